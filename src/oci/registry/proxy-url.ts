/**
 * The ociscope proxy's URL shape, built and read in one place: `/registry/<host>/v2/<api-path>`
 * (proxy/proxy-route.ts is the server's side of the same shape). Everything the app asks of a
 * registry goes through such a URL, so the proxy can apply its policy to the host named in it.
 */
import { servesRegistry } from '../spec/docker-hub';

/** The path prefix the proxy answers under. */
export const PROXY_PREFIX = '/registry/';

/** A repository on a registry, the way the client addresses it. */
export interface RepositoryAddress {
  registry: string;
  repository: string;
}

/** The proxy URL of a registry API path given after `/v2/` (e.g. `library/alpine/tags/list?n=10`). */
export function proxyApiUrl(registry: string, apiPath: string): string {
  return `${PROXY_PREFIX}${registry}/v2/${apiPath}`;
}

/** The proxy URL of a registry path that starts with `/v2/` (a pagination link, say). */
export function proxyUrlOfV2Path(registry: string, v2Path: string): string {
  return `${PROXY_PREFIX}${registry}${v2Path}`;
}

/** The proxy URL of a manifest, by tag or digest. */
export function manifestProxyUrl(repo: RepositoryAddress, reference: string): string {
  return proxyApiUrl(repo.registry, `${repo.repository}/manifests/${reference}`);
}

/** The proxy URL of a blob. */
export function blobProxyUrl(repo: RepositoryAddress, digest: string): string {
  return proxyApiUrl(repo.registry, `${repo.repository}/blobs/${digest}`);
}

/** What a proxy URL names: the registry host and the API path after `/v2/` (query included). */
export interface ProxyTarget {
  registry: string;
  apiPath: string;
}

const PROXY_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+)?\/registry\/([^/?#]+)\/v2\/([^#]*)$/i;

/** Reads a proxy URL (path or absolute URL); undefined when it is not one. */
export function parseProxyUrl(url: string): ProxyTarget | undefined {
  const match = PROXY_URL.exec(url);
  return match ? { registry: match[1]!, apiPath: match[2]! } : undefined;
}

/**
 * The `/v2/…` path of the next page a registry's `Link` names, when it stays on the same registry
 * and the same list (`listPath`); undefined when it points elsewhere, which is never followed.
 * Links may be relative or absolute (distribution-spec "Listing Tags", RFC 8288).
 */
export function sameListNextPage(registry: string, currentV2Path: string, link: string, listPath: string): string | undefined {
  const origin = `https://${registry}`;
  const url = new URL(link, `${origin}${currentV2Path}`);
  if (!servesRegistry(new URL(origin).host, url.host) || url.pathname !== listPath) return undefined;
  return `${url.pathname}${url.search}`;
}
