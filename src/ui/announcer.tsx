/**
 * One polite live region for the whole app, and `announce()` to speak through it: a view that
 * replaced the page ("Image index alpine:3.20"), a copy that worked ("Digest copied"). One region
 * rather than one per button, because screen readers announce a region reliably only when it was
 * already in the document before its text changed, and many regions talk over each other.
 */
import { useSyncExternalStore } from 'react';

let message = '';
let serial = 0;
const listeners = new Set<() => void>();

/**
 * Says `text` to screen-reader users, politely (after what they are hearing). The same text twice
 * in a row is still spoken: a zero-width mark alternates so the region's content changes.
 */
export function announce(text: string): void {
  serial++;
  message = serial % 2 ? text : `${text}\u200b`;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Rendered once, by the app's frame. */
export function LiveAnnouncer() {
  const text = useSyncExternalStore(
    subscribe,
    () => message,
    () => '',
  );
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {text}
    </div>
  );
}
