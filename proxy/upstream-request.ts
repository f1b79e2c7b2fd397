/**
 * One proxied request's journey upstream: hops, redirects and anonymous tokens.
 *
 * Redirects are followed by hand because registries send blob GETs (307) to CDNs and object
 * stores that answer without CORS headers, and because each hop is attacker-chosen: every hop
 * is address-checked before it is fetched, at most `maxRedirects` are followed, only http(s)
 * Locations without userinfo are taken (relative ones resolved against the hop, RFC 9110
 * §10.2.2), and the token is dropped whenever the origin changes so a registry's token never
 * reaches its CDN (the Fetch standard drops Authorization on cross-origin redirects too).
 *
 * A hop that answers 401 with a Bearer challenge is retried once with an anonymous token for
 * that challenge — including a redirect target that challenges for itself. A second 401, or a
 * challenge of another scheme (Basic), is returned as is so the browser can say "authentication
 * required" (user credentials are not supported yet).
 */
import { TooManyRedirectsError, UpstreamUnreachableError } from './errors.ts';
import { findBearerChallenge, type TokenSource } from './token-auth.ts';
import { callUpstream, type UpstreamFetch } from './upstream-fetch.ts';

export interface UpstreamRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  /** Allowlisted browser headers plus the proxy's own (never an Authorization). */
  readonly headers: Headers;
  /** Scope to ask for when a Bearer challenge names none: `repository:<name>:pull`. */
  readonly fallbackScope: string | undefined;
  readonly signal?: AbortSignal;
}

export interface UpstreamSenderOptions {
  readonly fetch: UpstreamFetch;
  readonly tokens: TokenSource;
  /** Throws BlockedAddressError for a hop the proxy must not contact. */
  readonly assertHostAllowed: (url: URL) => void;
  readonly maxRedirects: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Returns a function that sends a request and yields the final, non-redirect response. */
export function createUpstreamSender(options: UpstreamSenderOptions): (request: UpstreamRequest) => Promise<Response> {
  return async (request) => {
    let url = request.url;
    let token: string | undefined;
    for (let redirects = 0; ; redirects++) {
      options.assertHostAllowed(url);
      let response = await sendHop(url, token);
      const challenge = response.status === 401 ? findBearerChallenge(response.headers) : undefined;
      if (challenge !== undefined) {
        await response.body?.cancel();
        token = await options.tokens.tokenFor(challenge, request.fallbackScope);
        response = await sendHop(url, token);
      }

      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (redirects === options.maxRedirects) {
        throw new TooManyRedirectsError({ host: request.url.host, limit: options.maxRedirects });
      }
      const next = redirectTarget(url, location);
      if (next.origin !== url.origin) token = undefined;
      url = next;
    }

    function sendHop(hop: URL, bearer: string | undefined): Promise<Response> {
      const headers = new Headers(request.headers);
      if (bearer !== undefined) headers.set('authorization', `Bearer ${bearer}`);
      return callUpstream(options.fetch, hop, {
        method: request.method,
        headers,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
    }
  };
}

function redirectTarget(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new UpstreamUnreachableError({ host: from.host, cause: 'invalid redirect location' });
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new UpstreamUnreachableError({ host: from.host, cause: `redirect to unsupported scheme ${next.protocol}` });
  }
  if (next.username !== '' || next.password !== '') {
    throw new UpstreamUnreachableError({ host: from.host, cause: 'redirect carries credentials' });
  }
  return next;
}
