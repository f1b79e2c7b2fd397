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
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { assertHostAllowed, createHostAllowlist, isBlockedAddress } from './address-policy.ts';
import { BlockedAddressError, UpstreamUnreachableError } from './errors.ts';
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
function lookupVia(
  resolve: Resolver,
  refuse: (hostname: string, addresses: LookupAddress[]) => Error | undefined,
): LookupFunction {
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

/** undici codes that mean "took too long", reported to the UI as one cause. */
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * undici's fetch rejects network failures as `TypeError('fetch failed')` with the real error as
 * `cause`; aborts and anything else pass through unchanged.
 */
function typedFetchError(error: unknown, target: URL): unknown {
  if (!(error instanceof TypeError)) return error;
  const cause = error.cause;
  if (cause instanceof BlockedAddressError) {
    return new BlockedAddressError({ host: target.host, address: cause.detail.address });
  }
  const code = systemErrorCode(cause);
  // Without a system code undici's own message is the cause, e.g. "bad port" (Fetch blocks some ports).
  const fallback = cause instanceof Error ? cause.message : 'network';
  const reason = code === undefined ? fallback : TIMEOUT_CODES.has(code) ? 'timeout' : code;
  return new UpstreamUnreachableError({ host: target.host, cause: reason }, { cause: error });
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
