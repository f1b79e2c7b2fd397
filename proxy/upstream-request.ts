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
 * A hop that answers 401 with a Bearer challenge is retried once with a token for that
 * challenge — including a redirect target that challenges for itself. A hop that answers 401
 * with a Basic challenge is retried once with Basic credentials when the server has some
 * configured for exactly that hop's host (credentials.ts). A second 401, or a challenge the
 * proxy cannot answer, is returned as is so the browser can say "authentication required".
 *
 * Credential isolation: nothing is sent before a hop challenges, the hop's own host decides
 * which credential (if any) answers a Basic challenge, and whatever Authorization a hop earned
 * is dropped when a redirect changes origin, so a registry's credentials or token never reach
 * its CDN. The result says whether any credential was used, so the handler can mark the
 * response private for shared caches.
 */
import { TooManyRedirectsError, UpstreamUnreachableError } from './errors.ts';
import { basicAuthorization, type RegistryCredential } from './credentials.ts';
import { findBearerChallenge, type CredentialUse, type TokenSource } from './token-auth.ts';
import { callUpstream, type UpstreamFetch } from './upstream-fetch.ts';
import { parseAuthChallenges } from './www-authenticate.ts';

export interface UpstreamRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  /** Allowlisted browser headers plus the proxy's own (never an Authorization). */
  readonly headers: Headers;
  /** Scope to ask for when a Bearer challenge names none: `repository:<name>:pull`. */
  readonly fallbackScope: string | undefined;
  /**
   * Credentials the user sent with this request. They answer challenges from the request's own
   * host only (and a token realm on that host), over https or to loopback; they win over the
   * server's for that host and are never cached.
   */
  readonly userCredential?: RegistryCredential;
  readonly signal?: AbortSignal;
}

export interface UpstreamSenderOptions {
  readonly fetch: UpstreamFetch;
  readonly tokens: TokenSource;
  /** Throws BlockedAddressError for a hop the proxy must not contact. */
  readonly assertHostAllowed: (url: URL) => void;
  readonly maxRedirects: number;
  /** The credential configured for exactly this URL's host[:port], if any (none over plain http to a public host). */
  readonly credentialFor?: (url: URL) => RegistryCredential | undefined;
}

export interface UpstreamResult {
  readonly response: Response;
  /** Whose credentials answered a challenge on the way, the user's winning over the server's. */
  readonly credentials: CredentialUse;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Returns a function that sends a request and yields the final, non-redirect response. */
export function createUpstreamSender(options: UpstreamSenderOptions): (request: UpstreamRequest) => Promise<UpstreamResult> {
  return async (request) => {
    let url = request.url;
    let authorization: string | undefined;
    let credentials: CredentialUse = 'none';
    const userCredentialFor = (hop: URL): RegistryCredential | undefined =>
      request.userCredential !== undefined &&
      hop.host.toLowerCase() === request.url.host.toLowerCase() &&
      (hop.protocol === 'https:' || hop.protocol === request.url.protocol)
        ? request.userCredential
        : undefined;
    for (let redirects = 0; ; redirects++) {
      options.assertHostAllowed(url);
      let response = await sendHop(url, authorization);
      const answer = response.status === 401 ? await answerChallenge(url, response.headers) : undefined;
      if (answer !== undefined) {
        await response.body?.cancel();
        authorization = answer.authorization;
        if (answer.credentials === 'user' || credentials === 'none') credentials = answer.credentials;
        response = await sendHop(url, authorization);
      }

      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return { response, credentials };
      await response.body?.cancel();
      if (redirects === options.maxRedirects) {
        throw new TooManyRedirectsError({ host: request.url.host, limit: options.maxRedirects });
      }
      const next = redirectTarget(url, location);
      if (next.origin !== url.origin) authorization = undefined;
      url = next;
    }

    async function answerChallenge(
      hop: URL,
      headers: Headers,
    ): Promise<{ authorization: string; credentials: CredentialUse } | undefined> {
      const bearer = findBearerChallenge(headers);
      if (bearer !== undefined) {
        const issued = await options.tokens.tokenFor(bearer, request.fallbackScope, userCredentialFor);
        return { authorization: `Bearer ${issued.token}`, credentials: issued.credentials };
      }
      const user = userCredentialFor(hop);
      const credential = user ?? options.credentialFor?.(hop);
      if (credential?.kind !== 'basic' || !hasBasicChallenge(headers)) return undefined;
      return {
        authorization: basicAuthorization(credential.username, credential.password),
        credentials: user === undefined ? 'server' : 'user',
      };
    }

    function sendHop(hop: URL, auth: string | undefined): Promise<Response> {
      const headers = new Headers(request.headers);
      if (auth !== undefined) headers.set('authorization', auth);
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

function hasBasicChallenge(headers: Headers): boolean {
  const header = headers.get('www-authenticate');
  return header !== null && parseAuthChallenges(header).some((challenge) => challenge.scheme === 'basic');
}
