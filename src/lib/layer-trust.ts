/**
 * The one rule for whether a layer pass proved its layer, shared by the layer page and the
 * merged filesystem so the two can never disagree: the digest is proven by the pass itself; the
 * diff_id only against the expected value from a verified image config; a pass that broke off
 * proves nothing, and any mismatch makes everything read from the layer untrusted.
 */
import type { LayerScanState } from './layer-pass-store';

export type CheckStatus = 'verified' | 'mismatch' | 'pending' | 'unverified';

export interface LayerTrust {
  readonly digest: CheckStatus;
  readonly diffId: CheckStatus;
  /** A proof failed or the pass ended in an error: nothing read from this layer is trusted. */
  readonly failed: boolean;
}

/**
 * `expectedDiffId` is `rootfs.diff_ids[i]` of a verified config, if known; `diffIdPending` says
 * it is still being fetched.
 */
export function layerTrust(
  state: Pick<LayerScanState, 'status' | 'result'>,
  expectedDiffId: string | undefined,
  diffIdPending = false,
): LayerTrust {
  const result = state.result;
  if (result === undefined) {
    const waiting: CheckStatus = state.status === 'running' ? 'pending' : 'unverified';
    return { digest: waiting, diffId: waiting, failed: state.status === 'error' };
  }
  const digest: CheckStatus = result.digest.ok ? 'verified' : 'mismatch';
  const diffId: CheckStatus =
    expectedDiffId !== undefined
      ? expectedDiffId === result.diffId.computed
        ? 'verified'
        : 'mismatch'
      : diffIdPending
        ? 'pending'
        : 'unverified';
  return { digest, diffId, failed: digest === 'mismatch' || diffId === 'mismatch' || state.status === 'error' };
}
