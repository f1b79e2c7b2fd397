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
 * challenge — including a redirect target that challenges for itself. If the registry rejects a
 * token the proxy had cached (revoked or rotated before its stated expiry), the token is fetched
 * anew once. A hop that answers 401 with a Basic challenge is retried once with Basic
 * credentials for exactly that hop's host. A further 401, or a challenge the proxy cannot
 * answer, is returned as is so the browser can say "authentication required".
 *
 * Where credentials go (the browsed registry's are the user's per-request ones, else the
 * server's for its host, credentials.ts):
 * - a Basic challenge is answered with the credentials of the challenging hop's own host;
 * - a Bearer challenge from the browsed registry itself (its own origin, before any redirect)
 *   sends the registry's credentials to the realm that challenge names, on whatever host: the
 *   token spec makes the realm the registry's login service (Docker Hub's is auth.docker.io,
 *   GitLab's is gitlab.com), and docker, containerd and ggcr all log in there;
 * - a challenge from any other hop (a CDN the registry redirected to) gets only credentials
 *   configured for the realm's own host, so a redirect target cannot collect the registry's;
 * - nothing travels over plain http except to a loopback host, so a downgrade cannot read it.
 * Nothing is sent before a hop challenges, and whatever Authorization a hop earned is dropped
 * when a redirect changes origin, so a registry's credentials or token never reach its CDN.
 * The result says whose credentials were used, so the handler can keep shared caches out.
 */
import { TooManyRedirectsError, UpstreamUnreachableError } from './errors.ts';
import { basicAuthorization, type RegistryCredential } from './credentials.ts';
import { isLoopbackHostname } from './address-policy.ts';
import { findBearerChallenge, type ChosenCredential, type CredentialUse, type TokenSource } from './token-auth.ts';
import { callUpstream, type UpstreamFetch } from './upstream-fetch.ts';
import { parseAuthChallenges } from './www-authenticate.ts';

export interface UpstreamRequest {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  /** Allowlisted browser headers plus the proxy's own (never an Authorization). */
  readonly headers: Headers;
  /** Scope to ask for when a Bearer challenge names none: `repository:<name>:pull`. */
  readonly fallbackScope: string | undefined;
  /** Credentials the user sent with this request for the browsed registry; they win over the server's and are never cached. */
  readonly userCredential?: RegistryCredential;
  /** Throws BlockedAddressError for a hop (redirect target or realm) this request must not contact. */
  readonly assertHostAllowed: (url: URL) => void;
  readonly signal?: AbortSignal;
}

export interface UpstreamSenderOptions {
  readonly fetch: UpstreamFetch;
  readonly tokens: TokenSource;
  readonly maxRedirects: number;
  /** The server-side credential configured for exactly this URL's host[:port], if any. */
  readonly credentialFor?: (url: URL) => RegistryCredential | undefined | Promise<RegistryCredential | undefined>;
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
    const serverCredential = async (target: URL): Promise<ChosenCredential | undefined> => {
      const credential = await options.credentialFor?.(target);
      return credential === undefined ? undefined : { credential, use: 'server' };
    };
    const registryCredential = async (): Promise<ChosenCredential | undefined> =>
      request.userCredential === undefined ? serverCredential(request.url) : { credential: request.userCredential, use: 'user' };
    const ownCredential = (target: URL): Promise<ChosenCredential | undefined> =>
      target.host.toLowerCase() === request.url.host.toLowerCase() ? registryCredential() : serverCredential(target);
    // Nothing is even looked up (a credential helper run) for a hop it could not be sent to.
    const overSafeTransport = async (target: URL, choose: () => Promise<ChosenCredential | undefined>) =>
      target.protocol === 'https:' || isLoopbackHostname(target.hostname) ? choose() : undefined;

    for (let redirects = 0; ; redirects++) {
      request.assertHostAllowed(url);
      let response = await sendHop(url, authorization);
      for (let refresh = false; response.status === 401; refresh = true) {
        const answer = await answerChallenge(url, response.headers, refresh);
        if (answer === undefined) break;
        await response.body?.cancel();
        authorization = answer.authorization;
        if (answer.credentials === 'user' || credentials === 'none') credentials = answer.credentials;
        response = await sendHop(url, authorization);
        // Only a token that came from the cache is worth one more try; a fresh one was refused on its merits.
        if (!answer.reusedToken || refresh) break;
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
      refresh: boolean,
    ): Promise<{ authorization: string; credentials: CredentialUse; reusedToken: boolean } | undefined> {
      const bearer = findBearerChallenge(headers);
      if (bearer !== undefined) {
        const registrysOwnChallenge = hop.origin === request.url.origin;
        const issued = await options.tokens.tokenFor(bearer, request.fallbackScope, {
          assertHostAllowed: request.assertHostAllowed,
          credentialFor: (realm) => overSafeTransport(realm, () => (registrysOwnChallenge ? registryCredential() : ownCredential(realm))),
          refresh,
        });
        return { authorization: `Bearer ${issued.token}`, credentials: issued.credentials, reusedToken: issued.reused };
      }
      if (refresh || !hasBasicChallenge(headers)) return undefined;
      const chosen = await overSafeTransport(hop, () => ownCredential(hop));
      if (chosen?.credential.kind !== 'basic') return undefined;
      return {
        authorization: basicAuthorization(chosen.credential.username, chosen.credential.password),
        credentials: chosen.use,
        reusedToken: false,
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
