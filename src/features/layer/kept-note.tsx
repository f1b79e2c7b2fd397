/**
 * What this browser's store of verified layer indexes did for a layer: listed it without a
 * download (and when that proof was made), kept it just now (and what it evicted for room),
 * threw a damaged copy away, or cannot be used here at all, in which case every visit reads
 * the layer again, as before.
 */
import { Link } from 'react-router';
import type { LayerScanState } from '../../lib/layer-pass-store';
import { DateText } from '../../ui/date-text';

/** "verified in this browser on 2 Dec 2026, 12:00 UTC (3 days ago)". */
export function KeptLabel({ verifiedAt }: { verifiedAt: number }) {
  return (
    <span data-testid="kept-label">
      verified in this browser on <DateText value={new Date(verifiedAt).toISOString()} />
    </span>
  );
}

export function KeptNote({ state, onReadAgain }: { state: LayerScanState; onReadAgain: () => void }) {
  const storage = state.storage;
  return (
    <>
      {state.kept && (
        <p className="muted" data-testid="kept-note">
          Listed from this browser’s storage, <KeptLabel verifiedAt={state.kept.verifiedAt} />: nothing was downloaded.{' '}
          <button type="button" onClick={onReadAgain} data-testid="read-again">
            Read and verify it again
          </button>
        </p>
      )}
      {state.discarded && (
        <p className="warning" data-testid="kept-discarded">
          The index this browser kept for this layer could not be used ({state.discarded}); it was discarded and the layer is read again.
        </p>
      )}
      {storage?.kind === 'kept' && (
        <p className="muted" data-testid="kept-now">
          Kept in this browser: the next visit lists this layer and opens its files without reading it again.
        </p>
      )}
      {storage?.kind === 'kept' && storage.evicted > 0 && (
        <p className="warning" data-testid="kept-evicted">
          Storage was full: the{' '}
          {storage.evicted === 1 ? 'oldest kept layer index was' : `${storage.evicted} oldest kept layer indexes were`} removed to keep this
          one. <Link to="/storage">See what is kept</Link>
        </p>
      )}
      {storage?.kind === 'not-kept' && (
        <p className="muted" data-testid="kept-not-kept">
          This layer’s index was not kept in this browser ({storage.reason}): the next visit reads it again.
          {storage.evicted > 0 && ` ${storage.evicted} older indexes were removed trying to make room.`}
        </p>
      )}
      {storage?.kind === 'unavailable' && state.status === 'done' && (
        <p className="muted" data-testid="kept-unavailable">
          Nothing is kept between visits here ({storage.reason}): every visit reads the layer again.
        </p>
      )}
    </>
  );
}
