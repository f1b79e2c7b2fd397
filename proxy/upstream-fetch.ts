/**
 * The seam between the Web-standard handler and a runtime's way of reaching registries.
 *
 * The handler is given an `UpstreamFetch` rather than using the global `fetch`, so each runtime
 * adds what only it can do (the Node adapter vets every DNS answer before connecting) and tests
 * inject a fake registry. Contract for implementations:
 * - never follow redirects (the handler is called with `redirect: 'manual'` and checks each hop);
 * - throw `BlockedAddressError` when a name resolves to a refused address, and
 *   `UpstreamUnreachableError` with a short cause for network failures.
 * A plain platform `fetch` also fits, minus the DNS-level checks; its untyped network errors
 * are mapped by `callUpstream`.
 */
import { ProxyError, UpstreamUnreachableError } from './errors.ts';

export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Calls the upstream fetch; an untyped failure (not an abort) becomes PROXY_UNREACHABLE. */
export async function callUpstream(fetch: UpstreamFetch, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url.href, { ...init, redirect: 'manual' });
  } catch (error) {
    if (error instanceof ProxyError || init.signal?.aborted) throw error;
    throw new UpstreamUnreachableError({ host: url.host, cause: 'network' }, { cause: error });
  }
}
