/** Bytes done of total, throughput and time left for a layer pass, with a cancel that stops the download. */
import { countOf, formatBytes, formatRate } from '../../ui/format';
import { MAX_CONCURRENT_PASSES, type LayerScanState } from '../../lib/layer-pass-store';
import { formatWait } from '../../oci/registry/response';

export function ScanProgress({ state, onCancel, onRestart }: { state: LayerScanState; onCancel: () => void; onRestart: () => void }) {
  const seconds = Math.max((state.updatedAt - state.startedAt) / 1000, 0.001);
  const rate = state.compressedBytes / seconds;
  const total = state.total;
  const fraction = total ? Math.min(state.compressedBytes / total, 1) : undefined;
  const eta = total && rate > 0 ? ((total - state.compressedBytes) / rate) * 1000 : undefined;
  return (
    <section className="scan-progress" data-testid="scan-progress" data-status={state.status} data-waiting={state.waiting === true}>
      <progress max={1} value={fraction} aria-label="Layer download progress" />
      <p>
        {state.lookingUp && <span className="muted">Looking in this browser’s storage · </span>}
        {state.waiting && <span className="muted">Waiting for other layers to finish ({MAX_CONCURRENT_PASSES} stream at once) · </span>}
        <span data-testid="scan-bytes">
          {formatBytes(state.compressedBytes)}
          {total !== undefined && ` of ${formatBytes(total)}`}
        </span>
        {' · '}
        {formatRate(rate)}
        {state.status === 'running' && eta !== undefined && ` · ${formatWait(eta)} left`}
        {' · '}
        {countOf(state.entryCount, 'entry', 'entries')}
        {state.decompressedBytes > 0 && ` · ${formatBytes(state.decompressedBytes)} uncompressed`}
        {state.status === 'running' && (
          <>
            {' '}
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </>
        )}
        {(state.status === 'cancelled' || state.status === 'error') && (
          <>
            {' '}
            <span className="muted">{state.status === 'cancelled' ? 'Cancelled; nothing below is verified.' : ''}</span>{' '}
            <button type="button" onClick={onRestart}>
              Start again
            </button>
          </>
        )}
      </p>
    </section>
  );
}
