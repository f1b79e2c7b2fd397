/**
 * The upstream fetch for Node: undici with the address policy enforced at connect time.
 *
 * A check on the hostname string cannot stop SSRF: `registry.example` may resolve to 10.0.0.1,
 * or resolve to a public address for the check and a private one for the connection (DNS
 * rebinding). So the check lives in the socket's `lookup`: every address DNS returns is vetted
 * with address-policy.ts, one bad answer refuses the whole name, and the socket connects to the
 * addresses that were vetted, never to a second resolution. Connections are pooled per origin
 * after that, so a reused socket is one that was checked when it was opened.
 *
 * Hosts in the operator's allowlist (`host:port`) go through a separate, unchecked agent; the
 * split is decided per hop from the URL, which is the only place the port is known.
 *
 * Timeouts are far below undici's defaults (300 s for headers and body) so a stalled registry
 * frees the proxy quickly. Failures become the typed errors of errors.ts: a refused address is
 * PROXY_BLOCKED_ADDRESS, DNS and socket failures PROXY_UNREACHABLE with the system code as cause.
 *
 * Bodyless GET/HEAD without redirect following — every registry and blob hop the handler makes —
 * go through `undici.request` rather than undici's fetch, with fetch's observable behaviour kept
 * (Fetch's bad-port refusal, a default Accept of any type, Content-Encoding decoded), so the body
 * stays a Node Readable behind a lazy Web façade (node-relay.ts) that the Node server can pipe
 * straight to the browser. Other requests (token POSTs) use fetch.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Agent, fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from 'undici';
import { assertHostAllowed, createHostAllowlist, isBlockedAddress } from './address-policy.ts';
import { BlockedAddressError, UpstreamUnreachableError } from './errors.ts';
import { relayableStream } from './node-relay.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';

/** Resolves a hostname to all its addresses, like `dns.lookup(name, { all: true })`. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface NodeTimeouts {
  /** TCP + TLS handshake. */
  readonly connectMs: number;
  /** From request sent to response headers received. */
  readonly headersMs: number;
  /** Longest pause between two body chunks. */
  readonly bodyIdleMs: number;
}

export const DEFAULT_TIMEOUTS: NodeTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyIdleMs: 60_000 };

export interface NodeFetchOptions {
  /** `host:port` pairs exempt from the address policy; the same list the handler gets. */
  readonly allowHosts?: readonly string[];
  /** DNS resolution for both agents; injected in tests. */
  readonly resolve?: Resolver;
  readonly timeouts?: Partial<NodeTimeouts>;
}

export interface NodeUpstream {
  readonly fetch: UpstreamFetch;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

const defaultResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true });

/**
 * A `net.connect` lookup that resolves with `resolve`, refuses the name with BlockedAddressError
 * if any address is blocked, and otherwise hands back exactly the addresses it checked.
 */
export function createGuardedLookup(resolve: Resolver): LookupFunction {
  return lookupVia(resolve, (hostname, addresses) => {
    const blocked = addresses.find((address) => isBlockedAddress(address.address));
    return blocked === undefined ? undefined : new BlockedAddressError({ host: hostname, address: blocked.address });
  });
}

/** Adapts a Resolver to the callback shape `net.connect` expects, with a veto on the answer. */
function lookupVia(resolve: Resolver, refuse: (hostname: string, addresses: LookupAddress[]) => Error | undefined): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const answer = (addresses: LookupAddress[]): void => {
      const refusal = refuse(hostname, addresses);
      if (refusal !== undefined) {
        callback(refusal, '');
        return;
      }
      const usable = family === 4 || family === 6 ? addresses.filter((address) => address.family === family) : addresses;
      const first = usable[0];
      if (first === undefined) {
        callback(Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }), '');
      } else if (options.all === true) {
        callback(null, usable);
      } else {
        callback(null, first.address, first.family);
      }
    };
    resolve(hostname).then(answer, (error: NodeJS.ErrnoException) => callback(error, ''));
  };
}

export function createNodeFetch(options: NodeFetchOptions = {}): NodeUpstream {
  const allowlist = createHostAllowlist(options.allowHosts ?? []);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const agentOptions = { headersTimeout: timeouts.headersMs, bodyTimeout: timeouts.bodyIdleMs };
  const resolve = options.resolve ?? defaultResolve;
  const guarded = new Agent({
    ...agentOptions,
    connect: { timeout: timeouts.connectMs, lookup: createGuardedLookup(resolve) },
  });
  const allowed = new Agent({
    ...agentOptions,
    connect: { timeout: timeouts.connectMs, lookup: lookupVia(resolve, () => undefined) },
  });

  return {
    async fetch(url, init) {
      const target = new URL(url);
      assertHostAllowed(target, allowlist);
      const dispatcher = allowlist.allows(target) ? allowed : guarded;
      if (isRelayable(init)) return requestRelayable(dispatcher, target, init);
      try {
        // undici's own Response and RequestInit are the Web types the handler uses, by another name.
        const response = await undiciFetch(url, { ...(init as UndiciRequestInit), dispatcher });
        return response as unknown as Response;
      } catch (error) {
        throw typedFetchError(error, target);
      }
    },
    async close() {
      await Promise.all([guarded.close(), allowed.close()]);
    },
  };
}

/** The requests the fast path serves: what Fetch would send with no body and no redirect following. */
function isRelayable(init: RequestInit): boolean {
  const method = (init.method ?? 'GET').toUpperCase();
  return (method === 'GET' || method === 'HEAD') && init.body == null && init.redirect === 'manual';
}

/**
 * Fetch's "bad ports" (Fetch standard, "port blocking"): ports of other protocols (SMTP, IRC, …)
 * that a fetch refuses, so a proxied GET cannot be aimed at them. The fetch path gets this from
 * undici; the request path must do it itself.
 */
const FETCH_BAD_PORTS = new Set(
  [
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
    119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
    989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
  ].map(String),
);

/** Statuses whose responses have no body (Fetch "null body status"); a Response refuses one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * GET/HEAD through `undici.request`: the Response's body is a relayable façade over undici's
 * Node body. Errors are typed as on the fetch path; an abort passes through unchanged.
 */
async function requestRelayable(dispatcher: Dispatcher, target: URL, init: RequestInit): Promise<Response> {
  if (FETCH_BAD_PORTS.has(target.port)) throw new UpstreamUnreachableError({ host: target.host, cause: 'bad port' });
  const method = (init.method ?? 'GET').toUpperCase() as 'GET' | 'HEAD';
  const headers: Record<string, string> = {};
  for (const [name, value] of new Headers(init.headers)) headers[name] = value;
  headers['accept'] ??= '*/*';
  let answer: Dispatcher.ResponseData;
  try {
    answer = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method,
      headers,
      ...(init.signal == null ? {} : { signal: init.signal }),
    });
  } catch (error) {
    if (init.signal?.aborted === true) throw error;
    throw typedNetworkError(error, target);
  }
  const status = answer.statusCode;
  // A Response cannot carry these; undici's fetch hands them over and the handler refuses them.
  if (status < 200 || status > 599) {
    discard(answer.body);
    throw new UpstreamUnreachableError({ host: target.host, cause: `invalid status ${status}` });
  }
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        responseHeaders.append(name, one);
      } catch {
        // A value a Headers refuses (undici's own parser let it through); fetch drops it too.
      }
    }
  }
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    // Read to the end (nothing, or a stray few bytes) so the connection can be reused.
    answer.body.dump().catch(() => undefined);
    return new Response(null, { status, headers: responseHeaders });
  }
  const body = decodeContentEncoding(answer.body, responseHeaders.get('content-encoding'), target);
  return new Response(relayableStream(body), { status, headers: responseHeaders });
}

/** Drops a body nobody will read; undici reports its own destroy as an 'error', which must be heard. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** Content codings past this many are refused, as undici's fetch does (a decompression bomb guard). */
const MAX_CONTENT_CODINGS = 5;

/**
 * Undoes the Content-Encoding like a fetch does (the handler asks for identity, but a registry
 * may ignore that, and header-policy.ts relies on the body being decoded): codings applied in
 * order are undone in reverse, leniently flushed like curl and browsers; an unknown coding
 * leaves the body as it came.
 */
function decodeContentEncoding(body: Readable, header: string | null, target: URL): Readable {
  if (header === null) return body;
  const codings = header
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim());
  if (codings.length > MAX_CONTENT_CODINGS) {
    discard(body);
    throw new UpstreamUnreachableError({ host: target.host, cause: 'too many content-encodings' });
  }
  const decoders: NodeJS.ReadWriteStream[] = [];
  for (const coding of codings.reverse()) {
    if (coding === 'identity' || coding === '') continue;
    const decoder = decoderFor(coding);
    if (decoder === undefined) return body;
    decoders.push(decoder);
  }
  if (decoders.length === 0) return body;
  // pipeline destroys every stage when one fails, so an error either way reaches both ends.
  return pipeline([body, ...decoders], () => undefined) as unknown as Readable;
}

function decoderFor(coding: string): NodeJS.ReadWriteStream | undefined {
  const zlibLenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(zlibLenient);
  if (coding === 'deflate') return zlib.createInflate(zlibLenient);
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    });
  }
  return undefined;
}

/** undici codes that mean "took too long", reported to the UI as one cause. */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * undici's fetch rejects network failures as `TypeError('fetch failed')` with the real error as
 * `cause`; aborts and anything else pass through unchanged.
 */
function typedFetchError(error: unknown, target: URL): unknown {
  if (!(error instanceof TypeError)) return error;
  return typedNetworkError(error.cause, target, error);
}

/** A network failure `cause` (undici's or the guarded lookup's) as the typed error for `target`. */
function typedNetworkError(cause: unknown, target: URL, wrapper: unknown = cause): unknown {
  if (cause instanceof BlockedAddressError) {
    return new BlockedAddressError({ host: target.host, address: cause.detail.address });
  }
  const code = systemErrorCode(cause);
  // Without a system code undici's own message is the cause, e.g. "bad port" (Fetch blocks some ports).
  const fallback = cause instanceof Error ? cause.message : 'network';
  const reason = code === undefined ? fallback : TIMEOUT_CODES.has(code) ? 'timeout' : code;
  return new UpstreamUnreachableError({ host: target.host, cause: reason }, { cause: wrapper });
}

/** The first `code` on the error, its `cause` chain, or (Happy Eyeballs) its AggregateError members. */
function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const member of errors) {
      const found = systemErrorCode(member);
      if (found !== undefined) return found;
    }
  }
  return systemErrorCode(cause);
}
