/**
 * Anonymous Bearer tokens for registries that want one even for public content.
 *
 * Follows the Docker registry token authentication spec ("Token Authentication Specification"
 * and "Token Authentication Implementation" in distribution/distribution docs): a 401 carries
 * `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; `GET realm?service=…&scope=…`
 * without credentials answers `{"token"|"access_token", "expires_in"}` (60 s when absent).
 * `service` may be missing (then it is not sent) and so may `scope` (then the caller's
 * `repository:<name>:pull` is asked for, which is what the registry would have said).
 *
 * Tokens are cached by realm + service + scope until shortly before they expire, and concurrent
 * requests for the same key share one token call. The realm is attacker-chosen like every other
 * hop, so it is address-checked, fetched without following redirects, and its body is capped.
 * The cache is bounded because a client can make the proxy meet arbitrarily many realms.
 *
 * Which credential (if any) logs in at a realm is the caller's decision (upstream-request.ts,
 * which knows whose challenge it is); this module only uses it: Basic credentials on the GET
 * (plus `account=<user>`), an identity token as the OAuth2 `refresh_token` grant POSTed to the
 * realm ("Token Authentication Implementation using OAuth2"). The cache key holds the
 * credential's id (host + fingerprint, never the secret) or `anonymous`, so an anonymous token
 * and a credentialed one for the same scope are never confused. A token got with a user's
 * per-request credentials is never cached at all.
 *
 * A registry may reject a cached token before its stated expiry (revoked, key rotated,
 * permissions changed); the caller then asks again with `refresh`, which skips the cache once.
 */
import { basicAuthorization, type RegistryCredential } from './credentials.ts';
import { AuthFailedError } from './errors.ts';
import { USER_AGENT } from './header-policy.ts';
import { readCapped } from './read-capped.ts';
import { callUpstream, type UpstreamFetch } from './upstream-fetch.ts';
import { parseAuthChallenges } from './www-authenticate.ts';

export interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
}

/** The first Bearer challenge with a realm in the response's `WWW-Authenticate`, if any. */
export function findBearerChallenge(headers: Headers): BearerChallenge | undefined {
  const header = headers.get('www-authenticate');
  if (header === null) return undefined;
  for (const challenge of parseAuthChallenges(header)) {
    const realm = challenge.params.get('realm');
    if (challenge.scheme !== 'bearer' || realm === undefined) continue;
    const service = challenge.params.get('service');
    const scope = challenge.params.get('scope');
    return {
      realm,
      ...(service === undefined ? {} : { service }),
      ...(scope === undefined ? {} : { scope }),
    };
  }
  return undefined;
}

export interface TokenSourceOptions {
  readonly fetch: UpstreamFetch;
  readonly now: () => number;
  readonly maxTokenBytes: number;
  readonly maxCachedTokens: number;
}

/** A credential chosen to log in at a realm, and whose it is: a user's is never cached. */
export interface ChosenCredential {
  readonly credential: RegistryCredential;
  readonly use: 'server' | 'user';
}

/** What one proxied request allows a token call to do. */
export interface TokenRequestContext {
  /** Checks the realm like any other hop of this request; throws BlockedAddressError. */
  readonly assertHostAllowed: (url: URL) => void;
  /** The credential that may log in at this realm for this request, if any. */
  readonly credentialFor: (realm: URL) => Promise<ChosenCredential | undefined>;
  /** Skip the cache: the registry rejected the token it held. */
  readonly refresh?: boolean;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const DEFAULT_EXPIRES_IN_SECONDS = 60;
/** Visible ASCII only: the token goes into a header, where CR/LF or spaces would be injection. */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;
/** Renew this long before expiry so a token does not lapse between cache hit and use. */
const EXPIRY_MARGIN_MS = 10_000;

/** Whose credentials obtained an answer: nobody's, the server's (auth file), or the user's (per request). */
export type CredentialUse = 'none' | 'server' | 'user';

export interface IssuedToken {
  readonly token: string;
  readonly credentials: CredentialUse;
  /** True when it came from the cache (or a call already in flight), not from this request's own call. */
  readonly reused: boolean;
}

export interface TokenSource {
  /** A token for the challenge, from cache or from the realm. Throws AuthFailedError or BlockedAddressError. */
  tokenFor(challenge: BearerChallenge, fallbackScope: string | undefined, context: TokenRequestContext): Promise<IssuedToken>;
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<string>>();

  const remember = (key: string, token: string, expiresInSeconds: number): void => {
    const now = options.now();
    const expiresAt = now + expiresInSeconds * 1000 - EXPIRY_MARGIN_MS;
    if (expiresAt <= now) return;
    for (const [cachedKey, cached] of cache) if (cached.expiresAt <= now) cache.delete(cachedKey);
    while (cache.size >= options.maxCachedTokens) {
      const oldest = cache.keys().next();
      if (oldest.done) break;
      cache.delete(oldest.value);
    }
    cache.set(key, { token, expiresAt });
  };

  const requestToken = async (realm: URL, key: string | undefined, credential: RegistryCredential | undefined): Promise<string> => {
    const realmName = `${realm.origin}${realm.pathname}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'identity',
      'user-agent': USER_AGENT,
    };
    let init: RequestInit = { method: 'GET', headers };
    if (credential?.kind === 'basic') {
      realm.searchParams.set('account', credential.username);
      headers['authorization'] = basicAuthorization(credential.username, credential.password);
    } else if (credential?.kind === 'identitytoken') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.token, client_id: USER_AGENT });
      for (const name of ['service', 'scope']) {
        const value = realm.searchParams.get(name);
        if (value !== null) form.set(name, value);
      }
      realm.search = '';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      init = { method: 'POST', headers, body: form.toString() };
    }
    const response = await callUpstream(options.fetch, realm, init);
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new AuthFailedError({ realm: realmName, status: response.status, reason: `status ${response.status}` });
    }
    const body = await readCapped(response, options.maxTokenBytes);
    if (body === undefined) {
      throw new AuthFailedError({ realm: realmName, status: 200, reason: `answer over ${options.maxTokenBytes} bytes` });
    }
    const answer = parseTokenAnswer(body);
    if (answer === undefined) {
      throw new AuthFailedError({ realm: realmName, status: 200, reason: 'answer has no usable token' });
    }
    if (key !== undefined) remember(key, answer.token, answer.expiresIn);
    return answer.token;
  };

  return {
    async tokenFor(challenge, fallbackScope, context) {
      const realm = realmUrl(challenge.realm);
      context.assertHostAllowed(realm);
      const scope = challenge.scope ?? fallbackScope;
      if (challenge.service !== undefined) realm.searchParams.set('service', challenge.service);
      if (scope !== undefined) realm.searchParams.set('scope', scope);

      const chosen = await context.credentialFor(realm);
      if (chosen?.use === 'user') {
        return { token: await requestToken(realm, undefined, chosen.credential), credentials: 'user', reused: false };
      }
      const credential = chosen?.credential;
      const credentials = credential === undefined ? 'none' : 'server';
      const key = [challenge.realm, challenge.service ?? '', scope ?? '', credential?.id ?? 'anonymous'].join('\n');
      const cached = cache.get(key);
      if (context.refresh === true) cache.delete(key);
      else if (cached !== undefined && cached.expiresAt > options.now()) return { token: cached.token, credentials, reused: true };
      const pending = inFlight.get(key);
      if (pending !== undefined) return { token: await pending, credentials, reused: true };

      const request = requestToken(realm, key, credential).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return { token: await request, credentials, reused: false };
    },
  };
}

function realmUrl(realm: string): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new AuthFailedError({ realm, status: 0, reason: 'realm is not a URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthFailedError({ realm, status: 0, reason: 'realm is not an http(s) URL' });
  }
  if (url.username !== '' || url.password !== '') {
    throw new AuthFailedError({ realm: url.host, status: 0, reason: 'realm carries credentials' });
  }
  return url;
}

function parseTokenAnswer(body: Uint8Array): { token: string; expiresIn: number } | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
  if (typeof answer !== 'object' || answer === null) return undefined;
  const fields = answer as Record<string, unknown>;
  const token = [fields['token'], fields['access_token']].find(
    (value): value is string => typeof value === 'string' && BEARER_TOKEN.test(value),
  );
  if (token === undefined) return undefined;
  const expiresIn =
    typeof fields['expires_in'] === 'number' && fields['expires_in'] > 0 ? fields['expires_in'] : DEFAULT_EXPIRES_IN_SECONDS;
  return { token, expiresIn };
}
