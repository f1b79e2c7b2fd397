/**
 * Which headers cross the proxy, in each direction, and what the browser may read.
 *
 * Both lists are allowlists (`.notes/contracts.md`, "Proxy URL shape" and "Proxy responses"):
 * the browser's cookies, credentials and forwarding headers never reach a registry, and a
 * registry's cookies, redirects and server banners never reach the browser. CORS follows the
 * Fetch standard: `Access-Control-Expose-Headers` is what lets the client read the digest,
 * pagination and rate-limit headers at all.
 */

import { parseAuthChallenges } from './www-authenticate.ts';

/** Request headers taken from the browser (distribution-spec content negotiation and ranges). */
export const FORWARDED_REQUEST_HEADERS = ['accept', 'range', 'if-none-match', 'if-modified-since'] as const;

/** Response headers passed back from the registry; each one is also exposed via CORS. */
export const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'docker-content-digest',
  'docker-distribution-api-version',
  'link',
  'www-authenticate',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'warning',
  'oci-filters-applied',
] as const;

/**
 * Sent with every proxy response. A registry chooses a blob's bytes and Content-Type, and a
 * proxied URL is on the app's own origin, so a blob served as `text/html` and opened directly
 * would otherwise run its scripts as ociscope. The sandbox gives such a document an opaque
 * origin with scripts off, `default-src 'none'` lets it load nothing, `nosniff` stops a browser
 * guessing HTML or script from the bytes; none of this affects the app's own `fetch` calls.
 */
export const PROXY_SAFETY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Marks responses the proxy made itself, so the client can tell them from registry errors. */
export const PROXY_ERROR_HEADER = 'X-Ociscope-Proxy';

export const USER_AGENT = 'ociscope-proxy';

/** Per-request user credentials for the registry in the proxy URL (handler.ts); never forwarded as is. */
export const USER_CREDENTIALS_HEADER = 'X-Ociscope-Registry-Authorization';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': FORWARDED_RESPONSE_HEADERS.join(', '),
};

/** Answer to a CORS preflight: what the browser may send, cached by it for a day. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': FORWARDED_REQUEST_HEADERS.join(', '),
  'Access-Control-Max-Age': '86400',
};

/**
 * Headers for the first upstream request: the allowlisted browser headers plus our own.
 * `Accept-Encoding: identity` keeps the bytes the browser hashes equal to the stored bytes.
 */
export function upstreamRequestHeaders(browserHeaders: Headers): Headers {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = browserHeaders.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('accept-encoding', 'identity');
  headers.set('user-agent', USER_AGENT);
  return headers;
}

/**
 * A browser answers a 401 carrying a scheme it knows (Basic, Digest, Negotiate, NTLM) with its
 * own login dialog, on our origin, showing the registry's realm text — and a `fetch` waits on
 * it (forever, headless). Only Bearer challenges, which browsers ignore, are passed on; the 401
 * status and the registry's UNAUTHORIZED body still tell the page what happened.
 */
function onlyBearerChallenges(header: string): boolean {
  const challenges = parseAuthChallenges(header);
  return challenges.length > 0 && challenges.every((challenge) => challenge.scheme === 'bearer');
}

/**
 * Headers for the browser: CORS plus the allowlisted registry headers. A fetch implementation
 * decodes any `Content-Encoding` the registry sent despite `identity`, so the registry's
 * `Content-Length` would then describe other bytes and is dropped.
 */
export function browserResponseHeaders(upstreamHeaders: Headers): Headers {
  const headers = new Headers(CORS_HEADERS);
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstreamHeaders.get(name);
    if (value !== null) headers.set(name, value);
  }
  const challenge = headers.get('www-authenticate');
  if (challenge !== null && !onlyBearerChallenges(challenge)) headers.delete('www-authenticate');
  const encoding = upstreamHeaders.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') headers.delete('content-length');
  return headers;
}

/**
 * Cache-Control for a proxied response. Content addressed by digest never changes, so a CDN in
 * front may keep it forever; tag-addressed and listing responses change, so caches revalidate;
 * errors (including 401 challenges) are never stored. A response the proxy obtained with
 * server-side credentials is `private`: a browser may keep it, a shared cache (CDN) must not,
 * or it would hand private content to whoever asks next. One obtained with credentials the user
 * sent with the request is not stored anywhere (`private, no-store`).
 */
export function cacheControlFor(status: number, digestAddressed: boolean, credentials: 'none' | 'server' | 'user' = 'none'): string {
  if (status >= 400) return 'no-store';
  if (credentials === 'user') return 'private, no-store';
  if (credentials === 'server') return digestAddressed ? 'private, max-age=31536000' : 'private, no-cache';
  return digestAddressed ? 'public, max-age=31536000, immutable' : 'no-cache';
}
