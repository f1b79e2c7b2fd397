/**
 * The one vocabulary for proof in ociscope: every check anywhere in the app (a document's
 * digest, a layer's diff_id, a signature, an attestation's subject) is in one of four states,
 * drawn with one mark and named with one word. Pages map their own results onto ProofState
 * (proofStateOf does it for a Verification's checks) and draw them with ProofMark or ProofBadge,
 * so "verified" looks and reads the same on every page, and a mismatch is always the red ✗.
 */
import type { CheckStatus } from '../oci/spec/verify';

/**
 * - verified: computed here and equal to what was expected;
 * - mismatch: computed here and different — the content is untrusted;
 * - pending: still being computed (a layer streaming, a signature being checked);
 * - unverified: nothing to compare with, or not checked; says nothing either way.
 */
export type ProofState = 'verified' | 'mismatch' | 'pending' | 'unverified';

const symbols: Record<ProofState, string> = { verified: '✓', mismatch: '✗', pending: '…', unverified: '–' };

/** What the state is called on screen and for screen readers. */
export const PROOF_WORDS: Readonly<Record<ProofState, string>> = {
  verified: 'verified',
  mismatch: 'mismatch',
  pending: 'checking',
  unverified: 'not verified',
};

/** A check of a Verification (spec/verify.ts) as a proof state. */
export function proofStateOf(status: CheckStatus): ProofState {
  return status === 'match' ? 'verified' : status === 'mismatch' ? 'mismatch' : 'unverified';
}

/** The state of several checks together: any mismatch wins, then anything pending, then all verified. */
export function combinedProofState(states: readonly ProofState[]): ProofState {
  if (states.includes('mismatch')) return 'mismatch';
  if (states.includes('pending')) return 'pending';
  return states.length > 0 && states.every((s) => s === 'verified') ? 'verified' : 'unverified';
}

/**
 * The mark alone (✓ ✗ … –), for table cells and lists. `label` replaces the spoken word when the
 * check needs naming ("digest matches").
 */
export function ProofMark({ state, label }: { state: ProofState; label?: string }) {
  return (
    <span className={`mark ${state}`} role="img" aria-label={label ?? PROOF_WORDS[state]} data-proof={state}>
      {symbols[state]}
    </span>
  );
}

/** Mark and word in a pill ("✓ verified"), for headlines. */
export function ProofBadge({ state }: { state: ProofState }) {
  return (
    <span className={`badge ${state}`} data-proof={state}>
      <span aria-hidden="true">{symbols[state]}</span> {PROOF_WORDS[state]}
    </span>
  );
}
