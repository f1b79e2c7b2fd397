/**
 * A proof at a glance: one line that says what was checked and how it came out, with the full
 * account one click away. A mismatch is never folded: its details are open and stay open, and
 * the whole block is red (DESIGN.md "a mismatch is never hidden or softened").
 *
 * The details stay in the document while folded (hidden, not removed), so the full digests are
 * there for assistive technology's browse mode and for tests, and unfolding never refetches.
 */
import { type ReactNode, useId, useState } from 'react';
import { ProofMark, type ProofState } from './proof-mark';
import './ui.css';

export function ProofSummary({
  state,
  line,
  details,
  actions,
  testId,
  label,
}: {
  state: ProofState;
  /** The sentence after the mark: "sha256:9fab63…04ffa verified in your browser · 718 B". */
  line: ReactNode;
  /** The full account: every value compared, where it came from, notes. */
  details: ReactNode;
  /** Buttons that belong on the line (copy the digest). */
  actions?: ReactNode;
  testId?: string;
  /** Names the region for screen readers: "Proof of this image index". */
  label: string;
}) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const forcedOpen = state === 'mismatch';
  const shown = open || forcedOpen;
  return (
    <section className={`proof verification ${state}`} data-testid={testId} data-status={state} aria-label={label} aria-live="polite">
      <div className="proof-line">
        <ProofMark state={state} />
        <span className="proof-text">{line}</span>
        {actions}
        {!forcedOpen && (
          <button
            type="button"
            className="proof-toggle"
            aria-expanded={shown}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
            data-testid={testId ? `${testId}-toggle` : undefined}
          >
            {shown ? 'Hide details' : 'Details'}
          </button>
        )}
      </div>
      <div id={detailsId} className="proof-details" hidden={!shown}>
        {details}
      </div>
    </section>
  );
}
