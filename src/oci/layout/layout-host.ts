/**
 * How a layout opened from disk is named while it is browsed: as a registry host that can never
 * resolve, so no link to it can reach a real registry, and what to say when a tab no longer holds it.
 * Kept apart from the layout reader so the registry client can recognise such hosts without it.
 */

/**
 * A loaded layout is browsed as a registry at `<id>.layout.invalid`: `.invalid` is reserved by
 * RFC 2606 §2 and never resolves, so such a name can never reach a real registry by accident.
 */
export const LAYOUT_HOST_SUFFIX = '.layout.invalid';
/** The repository name used in links; any name under a layout host reaches the same store. */
export const LAYOUT_REPOSITORY = 'layout';
/** The tag under which a layout's index.json itself is served. */
export const INDEX_JSON_TAG = 'index.json';
/** image-spec annotations.md: the name a layout gives a manifest; served as its tag. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
/** The error code for a layout host not loaded in this tab (lib/local-layouts.ts answers it). */
export const LAYOUT_NOT_LOADED_CODE = 'LAYOUT_NOT_LOADED';

/** Whether a registry host names a layout opened in this tab. */
export function isLayoutHost(host: string): boolean {
  return host.toLowerCase().endsWith(LAYOUT_HOST_SUFFIX);
}

/** What to tell someone following a link to a layout that this tab has not opened (or lost on reload). */
export function layoutNotLoadedSentence(host: string): string {
  return `The OCI layout ${host} is not open in this tab. A layout lives only in the tab that opened it, until that tab is closed or reloaded: open it again.`;
}
