/**
 * The registry proxy as a Web-standard fetch handler: `(Request) => Promise<Response>`.
 *
 * Browsers cannot read registries directly (no CORS, tokens, redirects to CDNs without CORS),
 * so this handler does the registry side of the OCI distribution-spec read API on their behalf
 * and nothing more: GET/HEAD only, paths validated against the spec grammar (proxy-route.ts),
 * every hop address-checked (address-policy.ts), Bearer tokens (token-auth.ts), optional
 * server-side credentials each sent only to its own host (credentials.ts),
 * redirects followed by hand (upstream-request.ts), an allowlist of headers each way with CORS
 * exposure and a sandboxing CSP on every answer, since proxied bytes share the app's origin
 * (header-policy.ts), and registry-style errors of its own (errors.ts). The URL and
 * error contract is `.notes/contracts.md`.
 *
 * Bodies stream through untouched so the browser hashes exactly what the registry stored; only
 * manifests are read into memory, because they are capped (4 MiB by default) and a cap can only
 * be honoured with a clean 502 before the first byte is sent. It uses no runtime-specific API:
 * the upstream `fetch` is injected, which is where a runtime adds DNS-level checks.
 */
import { assertHostAllowed, createHostAllowlist, type HostAllowlist } from './address-policy.ts';
import {
  BadRequestError,
  BlockedAddressError,
  MethodNotAllowedError,
  ProxyError,
  TooLargeError,
  UpstreamUnreachableError,
  errorResponse,
} from './errors.ts';
import {
  PREFLIGHT_HEADERS,
  USER_CREDENTIALS_HEADER,
  PROXY_SAFETY_HEADERS,
  browserResponseHeaders,
  cacheControlFor,
  upstreamRequestHeaders,
} from './header-policy.ts';
import { parseProxyRoute, type ProxyRoute } from './proxy-route.ts';
import { readCapped } from './read-capped.ts';
import type { RegistryCredential, RegistryCredentials } from './credentials.ts';
import { createTokenSource, type CredentialUse } from './token-auth.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';
import { createUpstreamSender } from './upstream-request.ts';
import { MAX_DOCUMENT_BYTES } from '../src/oci/spec/limits.ts';

export interface ProxyLimits {
  /** Redirects followed per request (PROXY_TOO_MANY_REDIRECTS beyond). */
  readonly maxRedirects: number;
  /** Largest manifest body passed on (PROXY_TOO_LARGE beyond). */
  readonly maxManifestBytes: number;
  /** Largest token endpoint answer read (PROXY_AUTH_FAILED beyond). */
  readonly maxTokenBytes: number;
  /** Anonymous tokens kept at once; the oldest is evicted first. */
  readonly maxCachedTokens: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  maxRedirects: 5,
  maxManifestBytes: MAX_DOCUMENT_BYTES,
  maxTokenBytes: 64 * 1024,
  maxCachedTokens: 1000,
};

export interface ProxyHandlerOptions {
  /** How registries are reached; see upstream-fetch.ts for what an implementation must do. */
  readonly fetch: UpstreamFetch;
  /** `host:port` pairs exempt from the address policy (OCISCOPE_ALLOW_HOSTS), for local registries. */
  readonly allowHosts?: readonly string[];
  /** Clock for token expiry, in milliseconds. */
  readonly now?: () => number;
  readonly limits?: Partial<ProxyLimits>;
  /**
   * Server-side credentials by `host[:port]` (OCISCOPE_REGISTRY_AUTH_FILE, credentials.ts), each
   * sent only to its own host; responses obtained with them are `Cache-Control: private`.
   */
  readonly credentials?: RegistryCredentials;
}

export type ProxyHandler = (request: Request) => Promise<Response>;

/** Statuses whose responses have no body by definition (Fetch standard "null body status"). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Throws RangeError when an `allowHosts` entry is not a host[:port]. */
export function createProxyHandler(options: ProxyHandlerOptions): ProxyHandler {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const allowlist = createHostAllowlist(options.allowHosts ?? []);
  const credentials = options.credentials;
  const credentialFor = credentials === undefined ? undefined : (url: URL) => credentials.get(url.host.toLowerCase());
  const tokens = createTokenSource({
    fetch: options.fetch,
    now: options.now ?? Date.now,
    maxTokenBytes: limits.maxTokenBytes,
    maxCachedTokens: limits.maxCachedTokens,
  });
  const send = createUpstreamSender({
    fetch: options.fetch,
    tokens,
    maxRedirects: limits.maxRedirects,
    ...(credentialFor === undefined ? {} : { credentialFor }),
  });

  const answer = async (request: Request): Promise<Response> => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: PREFLIGHT_HEADERS });
    try {
      const method = request.method;
      if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method);
      const url = new URL(request.url);
      const route = parseProxyRoute(url.pathname, url.searchParams);
      const userCredential = userCredentialFrom(request.headers);
      const { response: upstream, credentials: used } = await send({
        ...(userCredential === undefined ? {} : { userCredential }),
        assertHostAllowed: hopPolicy(route.upstream, allowlist),
        url: route.upstream,
        method,
        headers: upstreamRequestHeaders(request.headers),
        fallbackScope: route.repository === undefined ? undefined : `repository:${route.repository}:pull`,
        signal: request.signal,
      });
      return await browserResponse(route, method, upstream, used, limits.maxManifestBytes);
    } catch (error) {
      if (!(error instanceof ProxyError)) throw error;
      const response = errorResponse(error);
      if (error instanceof MethodNotAllowedError) response.headers.set('Allow', 'GET, HEAD, OPTIONS');
      return response;
    }
  };
  return async (request) => {
    const response = await answer(request);
    for (const [name, value] of Object.entries(PROXY_SAFETY_HEADERS)) response.headers.set(name, value);
    return response;
  };
}

/**
 * The address check for every hop of a request to `registry`. The operator's allowlist names
 * local registries to browse, so it applies only when the browsed registry is one of them
 * (its own redirects and token realm may then be local too). From any other registry an
 * allowlisted host is refused like any private one: otherwise a public registry could
 * redirect, or name a realm, into the operator's network.
 */
function hopPolicy(registry: URL, allowlist: HostAllowlist): (url: URL) => void {
  if (allowlist.allows(registry)) return (url) => assertHostAllowed(url, allowlist);
  return (url) => {
    if (allowlist.allows(url)) throw new BlockedAddressError({ host: url.host, address: url.hostname, from: registry.host });
    assertHostAllowed(url, NO_ALLOWLIST);
  };
}

const NO_ALLOWLIST = createHostAllowlist([]);

/**
 * A user's own credentials for the registry named in the proxy URL, sent by the app with this
 * one request (`X-Ociscope-Registry-Authorization: Basic base64(user:password)`). They answer
 * challenges of that registry's host only, are never cached or logged, and the answer is
 * `private, no-store`. Cross-origin pages cannot send the header: the preflight does not allow it.
 * A malformed value is refused without echoing it.
 */
function userCredentialFrom(headers: Headers): RegistryCredential | undefined {
  const value = headers.get(USER_CREDENTIALS_HEADER);
  if (value === null) return undefined;
  const refuse = () =>
    new BadRequestError(`${USER_CREDENTIALS_HEADER} must be "Basic base64(user:password)".`, {
      part: 'header',
      value: USER_CREDENTIALS_HEADER,
    });
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(value.trim());
  if (match === null) throw refuse();
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    throw refuse();
  }
  const colon = decoded.indexOf(':');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (colon <= 0 || /[\x00-\x1f\x7f]/.test(decoded)) throw refuse();
  return { kind: 'basic', id: 'user', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Manifests are buffered (to cap them), so a body that breaks off or goes idle surfaces here,
 * after the status is known: it must still reach the browser as the registry being unreachable,
 * with the reason, not as a proxy crash.
 */
async function readManifestBody(upstream: Response, limit: number, host: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await readCapped(upstream, limit);
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    throw new UpstreamUnreachableError({ host, cause: bodyFailureCause(error) }, { cause: error });
  }
}

/** undici reports a body timeout as UND_ERR_BODY_TIMEOUT; anything else means the bytes stopped short. */
function bodyFailureCause(error: unknown): string {
  const code = (value: unknown) => (value && typeof value === 'object' && 'code' in value ? String(value.code) : '');
  const codes = [code(error), code(error instanceof Error ? error.cause : undefined)];
  if (codes.includes('UND_ERR_BODY_TIMEOUT')) return 'timeout';
  return 'truncated';
}

async function browserResponse(
  route: ProxyRoute,
  method: 'GET' | 'HEAD',
  upstream: Response,
  credentials: CredentialUse,
  maxManifestBytes: number,
): Promise<Response> {
  const status = upstream.status;
  if (status < 200 || status > 599) {
    await upstream.body?.cancel();
    throw new UpstreamUnreachableError({ host: route.upstream.host, cause: `invalid status ${status}` });
  }
  const headers = browserResponseHeaders(upstream.headers);
  headers.set('Cache-Control', cacheControlFor(status, route.digestAddressed, credentials));
  // A registry picks the manifest it answers by Accept (a tag may down-convert, or name an index
  // or a single manifest), so a shared cache must keep answers to different Accepts apart.
  if (route.kind === 'manifest') headers.set('Vary', 'Accept');

  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    await upstream.body?.cancel();
    return new Response(null, { status, headers });
  }
  if (route.kind === 'manifest') {
    const body = await readManifestBody(upstream, maxManifestBytes, route.upstream.host);
    if (body === undefined) throw new TooLargeError({ host: route.host, limit: maxManifestBytes });
    headers.set('Content-Length', String(body.byteLength));
    return new Response(body, { status, headers });
  }
  return new Response(upstream.body, { status, headers });
}
