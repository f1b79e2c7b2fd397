/**
 * A tiny in-memory registry speaking the read side of the OCI distribution-spec (v1.1,
 * "Endpoints"): the /v2/ ping, manifests by tag or digest, blobs, tags/list with `n`/`last`
 * pagination, referrers computed from stored manifests' `subject`, and _catalog. Errors use the
 * spec's `{"errors":[{code,message}]}` shape with the codes distribution sends. Bytes are served
 * exactly as stored, with Docker-Content-Digest, so digests can be checked against them.
 *
 * Client and proxy tests then talk to something that behaves like a registry instead of each
 * scripting the answers it expects: mount it as the proxy's upstream (`upstream`) or as the
 * browser client's fetch behind the proxy's URL shape (`clientFetch`).
 */
import type { UpstreamFetch } from '../../proxy/upstream-fetch.ts';
import { sha256Digest } from './digest';

interface StoredManifest {
  bytes: Uint8Array<ArrayBuffer>;
  mediaType: string;
  digest: string;
}

interface Repository {
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  blobs: Map<string, Uint8Array<ArrayBuffer>>;
}

export interface Stored {
  digest: string;
  size: number;
  mediaType: string;
}

export interface MemoryRegistry {
  putBlob(repository: string, content: Uint8Array | string, mediaType?: string): Stored;
  /** Stores a manifest's bytes as given, under its digest and each of `tags`. */
  putManifest(repository: string, content: Uint8Array | string, mediaType: string, tags?: readonly string[]): Stored;
  /** Answers one request for a path under /v2/ (query included). */
  handle(method: string, pathAndQuery: string): Response;
  /** The proxy's upstream fetch for a registry at `https://<host>` (or http for loopback). */
  upstream(host: string): UpstreamFetch;
  /** The browser client's fetch, for proxy URLs `/registry/<host>/v2/…`. */
  clientFetch(host: string): typeof fetch;
  /** Every request seen, as "METHOD /v2/…?query". */
  readonly requests: string[];
}

const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function bytesOf(content: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content);
}

function registryError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ code, message }] }), {
    status,
    headers: { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' },
  });
}

function content(bytes: Uint8Array<ArrayBuffer>, mediaType: string, digest: string, head: boolean): Response {
  return new Response(head ? null : bytes, {
    headers: {
      'content-type': mediaType,
      'content-length': String(bytes.length),
      'docker-content-digest': digest,
      'docker-distribution-api-version': 'registry/2.0',
    },
  });
}

function json(value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json', ...headers } });
}

/** One page of a sorted list, distribution style: entries after `last`, at most `n`, a Link to the next page. */
function page(items: readonly string[], query: URLSearchParams, path: string): { items: string[]; link?: string } {
  const last = query.get('last');
  const n = query.has('n') ? Number(query.get('n')) : Infinity;
  const after = last === null ? items : items.filter((item) => item > last);
  const shown = after.slice(0, n);
  if (shown.length === after.length || shown.length === 0) return { items: shown };
  return { items: shown, link: `<${path}?n=${n}&last=${encodeURIComponent(shown.at(-1)!)}>; rel="next"` };
}

export function createMemoryRegistry(): MemoryRegistry {
  const repositories = new Map<string, Repository>();
  const requests: string[] = [];

  const repository = (name: string): Repository => {
    let repo = repositories.get(name);
    if (!repo) repositories.set(name, (repo = { manifests: new Map(), tags: new Map(), blobs: new Map() }));
    return repo;
  };

  const referrers = (repo: Repository, subject: string, artifactType: string | null): Response => {
    const manifests = [];
    for (const stored of repo.manifests.values()) {
      let parsed: { subject?: { digest?: string }; artifactType?: string; config?: { mediaType?: string }; annotations?: unknown };
      try {
        parsed = JSON.parse(new TextDecoder().decode(stored.bytes));
      } catch {
        continue;
      }
      if (parsed.subject?.digest !== subject) continue;
      const type = parsed.artifactType ?? parsed.config?.mediaType;
      if (artifactType !== null && type !== artifactType) continue;
      manifests.push({
        mediaType: stored.mediaType,
        digest: stored.digest,
        size: stored.bytes.length,
        ...(type === undefined ? {} : { artifactType: type }),
        ...(parsed.annotations === undefined ? {} : { annotations: parsed.annotations }),
      });
    }
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests };
    return json(index, {
      'content-type': 'application/vnd.oci.image.index.v1+json',
      ...(artifactType === null ? {} : { 'oci-filters-applied': 'artifactType' }),
    });
  };

  const handle = (method: string, pathAndQuery: string): Response => {
    requests.push(`${method} ${pathAndQuery}`);
    if (method !== 'GET' && method !== 'HEAD') return registryError(405, 'UNSUPPORTED', 'the operation is unsupported');
    const head = method === 'HEAD';
    const url = new URL(pathAndQuery, 'http://registry.invalid');
    const path = url.pathname;
    if (path === '/v2/') return json({}, { 'docker-distribution-api-version': 'registry/2.0' });
    if (path === '/v2/_catalog') {
      const listed = page([...repositories.keys()].sort(), url.searchParams, path);
      return json({ repositories: listed.items }, listed.link ? { link: listed.link } : {});
    }
    const route = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(path) ?? /^\/v2\/(.+)\/(tags)\/list$/.exec(path);
    if (!route) return new Response('404 page not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const [, name, action, reference] = route as unknown as [string, string, string, string | undefined];
    const repo = repositories.get(name);
    if (!repo) return registryError(404, 'NAME_UNKNOWN', 'repository name not known to registry');
    switch (action) {
      case 'tags': {
        const listed = page([...repo.tags.keys()].sort(), url.searchParams, path);
        return json({ name, tags: listed.items }, listed.link ? { link: listed.link } : {});
      }
      case 'manifests': {
        const digest = DIGEST_PATTERN.test(reference!) ? reference! : repo.tags.get(reference!);
        const stored = digest === undefined ? undefined : repo.manifests.get(digest);
        if (!stored) return registryError(404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        return content(stored.bytes, stored.mediaType, stored.digest, head);
      }
      case 'blobs': {
        const bytes = repo.blobs.get(reference!);
        if (!bytes) return registryError(404, 'BLOB_UNKNOWN', 'blob unknown to registry');
        return content(bytes, 'application/octet-stream', reference!, head);
      }
      default:
        return referrers(repo, reference!, url.searchParams.get('artifactType'));
    }
  };

  return {
    requests,
    handle,
    putBlob(name, data, mediaType = 'application/octet-stream') {
      const bytes = bytesOf(data);
      const digest = sha256Digest(bytes);
      repository(name).blobs.set(digest, bytes);
      return { digest, size: bytes.length, mediaType };
    },
    putManifest(name, data, mediaType, tags = []) {
      const bytes = bytesOf(data);
      const digest = sha256Digest(bytes);
      const repo = repository(name);
      repo.manifests.set(digest, { bytes, mediaType, digest });
      for (const tag of tags) repo.tags.set(tag, digest);
      return { digest, size: bytes.length, mediaType };
    },
    upstream(host) {
      return async (url, init) => {
        const target = new URL(url);
        if (target.host !== host) return new Response(`no registry at ${target.host}`, { status: 502 });
        return handle(init.method ?? 'GET', target.pathname + target.search);
      };
    },
    clientFetch(host) {
      const prefix = `/registry/${host}`;
      return (async (input: RequestInfo | URL, init?: RequestInit) => {
        const target = new URL(String(input), 'http://app.invalid');
        if (!target.pathname.startsWith(`${prefix}/v2/`)) return new Response('not this registry', { status: 502 });
        return handle(init?.method ?? 'GET', target.pathname.slice(prefix.length) + target.search);
      }) as typeof fetch;
    },
  };
}
