/**
 * The two proofs a layer carries: its digest (the compressed bytes) and its diff_id (the
 * uncompressed tar, from the image config). Either mismatch is red and shows both values.
 */
import type { LayerScanState } from '../../lib/layer-pass-store';
import { layerTrust, type CheckStatus, type LayerTrust } from '../../lib/layer-trust';
import { describeMediaType, kindOf } from '../../oci/spec/media-types';
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
  const mark = status === 'verified' ? '✓' : status === 'mismatch' ? '✗' : status === 'pending' ? '…' : '?';
  return (
    <tr data-testid={testId} data-status={status}>
      <th>
        <span className={`mark ${status === 'verified' ? 'ok' : status === 'mismatch' ? 'bad' : 'none'}`}>{mark}</span> {label}
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

export function layerStatus(state: LayerScanState, expectedDiffId: ExpectedDiffId): LayerTrust {
  return layerTrust(state, expectedDiffId.diffId, expectedDiffId.loading);
}

export function LayerVerification({
  digest,
  state,
  expectedDiffId,
  mediaType,
}: {
  digest: string;
  state: LayerScanState;
  expectedDiffId: ExpectedDiffId;
  mediaType?: string;
}) {
  const status = layerStatus(state, expectedDiffId);
  const failed = status.failed;
  const verified = status.digest === 'verified' && status.diffId === 'verified';
  const overall = failed ? 'mismatch' : verified ? 'verified' : state.status === 'running' ? 'pending' : 'unverified';
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
  return (
    <section className={`verification ${overall}`} data-testid="layer-verification" data-status={overall} aria-live="polite">
      <h2 className="verification-headline">
        {overall === 'verified' && '✓ Layer verified in your browser: digest and diff_id both match.'}
        {overall === 'mismatch' &&
          (state.status === 'error'
            ? '✗ The layer could not be read to the end. Nothing below is verified.'
            : status.digest === 'mismatch'
              ? '✗ DIGEST MISMATCH — these are not the bytes the manifest names. Content untrusted.'
              : '✗ DIFF_ID MISMATCH — the layer does not decompress to the tar the image config names. Content untrusted.')}
        {overall === 'pending' && 'Verifying as the layer streams…'}
        {overall === 'unverified' &&
          (state.status === 'cancelled' ? 'Cancelled before the end: not verified.' : 'Digest checked; no diff_id to compare with.')}
      </h2>
      <table className="kv">
        <tbody>
          <Check label="digest" testId="layer-digest" status={status.digest} expected={digest} computed={state.result?.digest.computed} />
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
      {compression && declaredCompression && compression !== declaredCompression && (
        <p className="warning" data-testid="compression-mismatch">
          The manifest says {declared}, but the bytes are {compression === 'none' ? 'an uncompressed tar' : `${compression}-compressed`};
          ociscope went by the bytes.
        </p>
      )}
      {state.error && (
        <p className="inline-error" data-testid="layer-error" data-kind={state.error.kind}>
          {state.error.message}
        </p>
      )}
    </section>
  );
}
