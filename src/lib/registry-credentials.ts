/**
 * Per-user registry credentials entered in the UI: kept in this tab's sessionStorage only (gone
 * when the tab closes, never shared with another tab or browser context, never in localStorage
 * or a cookie), and sent with each proxy request for that registry in the
 * `X-Ociscope-Registry-Authorization` header — by the registry client, and by the layer worker,
 * which has no sessionStorage and gets them with each pass (layer passes and verified blob
 * downloads). The proxy uses them for that registry's challenges only (its own host and the
 * token realm it names), never caches them or what they fetched, and marks such answers
 * `private, no-store` (proxy/handler.ts). A plain link cannot carry them, so none is offered
 * where they are in use.
 */
import { parseProxyUrl } from '../oci/registry/proxy-url';
export const USER_CREDENTIALS_HEADER = 'X-Ociscope-Registry-Authorization';

const KEY_PREFIX = 'ociscope.registry-credentials.';

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

/** The header value stored for a registry host (`host[:port]`), if the user entered credentials. */
export function storedAuthorization(host: string): string | undefined {
  return storage()?.getItem(KEY_PREFIX + host.toLowerCase()) ?? undefined;
}

export function saveCredentials(host: string, username: string, password: string): void {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  storage()?.setItem(KEY_PREFIX + host.toLowerCase(), `Basic ${btoa(binary)}`);
}

export function forgetCredentials(host: string): void {
  storage()?.removeItem(KEY_PREFIX + host.toLowerCase());
}

/** `localhost:5000` out of `…/registry/localhost:5000/v2/…`. */
export function registryHostOfProxyUrl(url: string): string | undefined {
  return parseProxyUrl(url)?.registry;
}

/** The stored header value for the registry a proxy URL names, if the user entered credentials for it. */
export function storedAuthorizationForProxyUrl(url: string): string | undefined {
  const host = registryHostOfProxyUrl(url);
  return host === undefined ? undefined : storedAuthorization(host);
}

/**
 * Wraps a fetch so every request to the proxy carries the credentials the user entered for that
 * request's registry in this tab, if any. Kept out of src/oci: where credentials live is the
 * app's business, the client only sees a fetch.
 */
export function withStoredCredentials(fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const authorization = storedAuthorizationForProxyUrl(url);
    if (authorization === undefined) return fetchImpl(input, init);
    const headers = new Headers(init?.headers);
    headers.set(USER_CREDENTIALS_HEADER, authorization);
    return fetchImpl(input, { ...init, headers });
  };
}
