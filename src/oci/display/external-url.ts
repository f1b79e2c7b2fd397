/**
 * The one rule for links out of ociscope made from registry-controlled text (annotations, JSON
 * values, decoded payloads): only absolute http(s) URLs become links. Anything else — `javascript:`,
 * `data:`, relative paths — stays text, so a hostile document cannot run code or navigate the app.
 */

/** The URL to link to when `value` is an absolute http(s) URL, else undefined. */
export function safeExternalUrl(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
