/**
 * The browser tab's title for a view, most specific first: "alpine:3.20 · linux/arm64 · ociscope".
 * Tabs, history and bookmarks then say which image they hold, not "ociscope" eight times.
 */
import { useEffect } from 'react';

export const APP_NAME = 'ociscope';

/** The title for these parts (empty ones dropped), ending in the app's name. */
export function documentTitle(parts: readonly (string | undefined)[]): string {
  return [...parts.filter((p): p is string => Boolean(p)), APP_NAME].join(' · ');
}

/** Sets the tab's title while the calling view is shown. */
export function useDocumentTitle(parts: readonly (string | undefined)[]): void {
  const title = documentTitle(parts);
  useEffect(() => {
    document.title = title;
  }, [title]);
}
