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

/** A digest as a title shows it: algorithm and the first twelve hex digits ("sha256:9fab63e1c2d4"). */
export function shortDigestTitle(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest : digest.slice(0, colon + 13);
}

/** How a title names an image: the repository without its registry, then the tag or a short digest ("library/alpine:3.20"). */
export function imageTitle(ref: { repository: string; tag?: string; digest?: string }): string {
  if (ref.tag !== undefined) return `${ref.repository}:${ref.tag}`;
  return ref.digest !== undefined ? `${ref.repository}@${shortDigestTitle(ref.digest)}` : ref.repository;
}
