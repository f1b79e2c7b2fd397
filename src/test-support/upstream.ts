/**
 * A scripted registry for proxy tests: exact upstream URL → reply, every call recorded. The
 * proxy's `UpstreamFetch` contract (proxy/upstream-fetch.ts) says redirects are never followed
 * for it, so every call is checked to ask for `redirect: 'manual'`. Unknown URLs answer 418, so a
 * request the test did not expect fails loudly instead of looking like a registry error.
 */
import { expect } from 'vitest';
import type { UpstreamFetch } from '../../proxy/upstream-fetch.ts';

export interface UpstreamCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | undefined;
  /** The request body when it was a string (token endpoints get form posts). */
  readonly body: string | undefined;
}

export type UpstreamRoute = (call: UpstreamCall) => Response | Promise<Response>;

export interface ScriptedUpstream {
  readonly fetch: UpstreamFetch;
  readonly calls: UpstreamCall[];
  /** The URLs called, in order. */
  urls(): string[];
  /** The Authorization header of each call to `url`, in order (null when none was sent). */
  authorizations(url: string): (string | null)[];
}

export function scriptedUpstream(routes: Readonly<Record<string, UpstreamRoute>>): ScriptedUpstream {
  const calls: UpstreamCall[] = [];
  const fetch: UpstreamFetch = async (url, init) => {
    expect(init.redirect).toBe('manual');
    const call: UpstreamCall = {
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      signal: init.signal ?? undefined,
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    calls.push(call);
    const route = routes[url];
    return route === undefined ? new Response(`unexpected upstream request ${url}`, { status: 418 }) : route(call);
  };
  return {
    fetch,
    calls,
    urls: () => calls.map((call) => call.url),
    authorizations: (url) => calls.filter((call) => call.url === url).map((call) => call.headers.get('authorization')),
  };
}
