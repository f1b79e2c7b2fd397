/**
 * The two proofs a layer carries: its digest (the compressed bytes) and its diff_id (the
 * uncompressed tar, from the image config), as one proof line that unfolds to both values.
 * Either mismatch is red, open, and shows both values.
 */
import type { LayerScanState } from '../../lib/layer-pass-store';
import { layerTrust, type CheckStatus, type LayerTrust } from '../../lib/layer-trust';
import { describeMediaType, kindOf } from '../../oci/spec/media-types';
import { CopyButton } from '../../ui/copy-button';
import { abbreviateDigest, describeDate, formatBytes } from '../../ui/format';
import { ProofMark, type ProofState } from '../../ui/proof-mark';
import { ProofSummary } from '../../ui/proof-summary';
import type { ExpectedDiffId } from './use-expected-diff-id';

function Check({
  label,
  status,
  expected,
  computed,
  note,
  testId,
}: {
  label: string;
  status: CheckStatus;
  expected?: string;
  computed?: string;
  note?: string;
  testId: string;
}) {
  return (
    <tr data-testid={testId} data-status={status}>
      <th scope="row">
        <ProofMark state={status} /> {label}
      </th>
      <td>
        <div>
          expected <code data-testid={`${testId}-expected`}>{expected ?? '—'}</code>
        </div>
        <div>
          computed <code data-testid={`${testId}-computed`}>{computed ?? (status === 'pending' ? 'computing…' : '—')}</code>
        </div>
        {note && <div className="muted">{note}</div>}
      </td>
    </tr>
  );
}

/** The proof line's sentence: what was proven, or loudly what was not. */
function headline(overall: ProofState, state: LayerScanState, status: LayerTrust, digest: string): string {
  if (overall === 'verified') {
    const size = ` · ${formatBytes(state.compressedBytes)}, ${formatBytes(state.decompressedBytes)} uncompressed`;
    // A kept index's proof is an earlier pass's, so it says when.
    const where = state.kept
      ? `verified in this browser on ${describeDate(new Date(state.kept.verifiedAt).toISOString(), Date.now()).text}`
      : 'verified in your browser';
    return `${abbreviateDigest(digest)} ${where}: digest and diff_id both match${size}`;
  }
  if (overall === 'mismatch') {
    if (state.status === 'error') return 'The layer could not be read to the end. Nothing below is verified.';
    return status.digest === 'mismatch'
      ? 'DIGEST MISMATCH — these are not the bytes the manifest names. Content untrusted.'
      : 'DIFF_ID MISMATCH — the layer does not decompress to the tar the image config names. Content untrusted.';
  }
  if (overall === 'pending') return 'Verifying as the layer streams…';
  if (state.status === 'cancelled') return 'Cancelled before the end: not verified.';
  return status.digest === 'verified'
    ? `${abbreviateDigest(digest)} digest verified in your browser; no diff_id to compare with`
    : 'Not verified.';
}

export function layerStatus(state: LayerScanState, expectedDiffId: ExpectedDiffId): LayerTrust {
  return layerTrust(state, expectedDiffId.diffId, expectedDiffId.loading);
}

export function LayerVerification({
  digest,
  state,
  expectedDiffId,
}: {
  digest: string;
  state: LayerScanState;
  expectedDiffId: ExpectedDiffId;
}) {
  const status = layerStatus(state, expectedDiffId);
  const verified = status.digest === 'verified' && status.diffId === 'verified';
  const overall: ProofState = status.failed ? 'mismatch' : verified ? 'verified' : state.status === 'running' ? 'pending' : 'unverified';
  return (
    <ProofSummary
      state={overall}
      label="Proof of this layer"
      testId="layer-verification"
      line={<span className="verification-headline">{headline(overall, state, status, digest)}</span>}
      actions={<CopyButton text={digest} what="layer digest" />}
      details={
        <>
          <table className="kv proof-table">
            <tbody>
              <Check
                label="digest"
                testId="layer-digest"
                status={status.digest}
                expected={digest}
                computed={state.result?.digest.computed}
              />
              <Check
                label="diff_id"
                testId="layer-diff-id"
                status={status.diffId}
                expected={expectedDiffId.diffId}
                computed={state.result?.diffId.computed}
                note={expectedDiffId.reason}
              />
            </tbody>
          </table>
          {state.error && (
            <p className="inline-error" data-testid="layer-error" data-kind={state.error.kind}>
              {state.error.message}
            </p>
          )}
        </>
      }
    />
  );
}

/** The bytes say a different compression than the manifest: worth saying, but not a failed proof. */
export function CompressionNote({ state, mediaType }: { state: LayerScanState; mediaType?: string }) {
  const compression = state.result?.compression;
  const declared = mediaType ? describeMediaType(mediaType) : undefined;
  const declaredCompression =
    mediaType && kindOf(mediaType) === 'layer'
      ? mediaType.endsWith('zstd')
        ? 'zstd'
        : mediaType.endsWith('gzip')
          ? 'gzip'
          : 'none'
      : undefined;
  if (!compression || !declaredCompression || compression === declaredCompression) return null;
  return (
    <p className="warning" data-testid="compression-mismatch">
      The manifest says {declared}, but the bytes are {compression === 'none' ? 'an uncompressed tar' : `${compression}-compressed`};
      ociscope went by the bytes.
    </p>
  );
}
