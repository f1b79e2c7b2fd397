/**
 * The OCI layouts opened in this tab, each served as a virtual registry at `<id>.layout.invalid`
 * so every page (index, manifest, blob, layer explorer, verified download) works on it unchanged.
 *
 * `createLayoutFetch` wraps `fetch` and answers the distribution-spec paths the registry client
 * uses ("Pulling manifests", "Pulling blobs", "Listing tags", the `/v2/` check) for layout hosts
 * from the layout's blobs; every other request goes to the real fetch untouched. It answers like
 * a registry would: `Docker-Content-Digest` is the digest the blob is stored under (its file
 * name), so the client's own hash is what proves the bytes, and a tampered file shows as a
 * mismatch. index.json has no digest of its own (image-layout.md), so it is served by the tag
 * `index.json` without one; other tags are index.json's `org.opencontainers.image.ref.name`s.
 * Once its bytes have been hashed the page offers a permalink by that digest, so index.json is
 * served by its own sha256 too (the client then checks it like any digest).
 * A docker-archive has no index.json: its tags and manifests are those oci/docker-archive.ts
 * synthesized, served like stored ones (the manifest itself says it was synthesized).
 *
 * Layouts live in this tab's memory only: nothing is uploaded, and after a reload (or in
 * another tab) the host is answered with LAYOUT_NOT_LOADED, which the UI turns into "open it again".
 */
import { digestBytes } from '../oci/spec/digest';
import { OCI_INDEX } from '../oci/spec/media-types';
import { isValidTag, layoutTags, manifestMediaType } from '../oci/layout/oci-layout';
import {
  INDEX_JSON_TAG,
  LAYOUT_HOST_SUFFIX,
  LAYOUT_NOT_LOADED_CODE,
  isLayoutHost,
  layoutNotLoadedSentence,
} from '../oci/layout/layout-host';
import { type OciLayout } from '../oci/layout/types';
import { parseProxyUrl } from '../oci/registry/proxy-url';

export interface LoadedLayout {
  /** `<id>.layout.invalid` */
  host: string;
  layout: OciLayout;
}

let loaded: readonly LoadedLayout[] = [];
const listeners = new Set<() => void>();

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Makes a layout browsable in this tab; returns its host. */
export function addLayout(layout: OciLayout): LoadedLayout {
  const entry = { host: `${randomId()}${LAYOUT_HOST_SUFFIX}`, layout };
  loaded = [...loaded, entry];
  for (const listener of listeners) listener();
  return entry;
}

/** The layouts opened in this tab, oldest first; the same array until one is added. */
export function loadedLayouts(): readonly LoadedLayout[] {
  return loaded;
}

export function subscribeToLayouts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function layoutOfHost(host: string): OciLayout | undefined {
  return loaded.find((l) => l.host === host.toLowerCase())?.layout;
}

/** What a layout request is after `/registry/<host>/v2/`. */
type LayoutRequest =
  { kind: 'ping' } | { kind: 'manifest'; reference: string } | { kind: 'blob'; digest: string } | { kind: 'tags' } | { kind: 'other' };

function parseLayoutPath(apiPath: string): LayoutRequest {
  if (apiPath === '') return { kind: 'ping' };
  const match = /^(.+)\/(manifests|blobs)\/([^/]+)$/.exec(apiPath);
  if (match) {
    const target = decodeURIComponent(match[3]!);
    return match[2] === 'manifests' ? { kind: 'manifest', reference: target } : { kind: 'blob', digest: target };
  }
  if (/^.+\/tags\/list$/.test(apiPath)) return { kind: 'tags' };
  return { kind: 'other' };
}

function errorResponse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ code, message }] }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' },
  });
}

function contentResponse(
  method: string,
  body: Blob | Uint8Array<ArrayBuffer>,
  mediaType: string | undefined,
  digest: string | undefined,
): Response {
  const headers = new Headers({
    'Content-Type': mediaType ?? 'application/octet-stream',
    'Content-Length': String(body instanceof Blob ? body.size : body.byteLength),
    'Docker-Distribution-API-Version': 'registry/2.0',
  });
  if (digest !== undefined) headers.set('Docker-Content-Digest', digest);
  return new Response(method === 'HEAD' ? null : body, { status: 200, headers });
}

const indexJsonDigests = new WeakMap<OciLayout, Promise<string>>();

/** sha256 of index.json's bytes, computed once per layout. */
function indexJsonDigest(layout: OciLayout, indexBytes: Uint8Array<ArrayBuffer>): Promise<string> {
  let digest = indexJsonDigests.get(layout);
  if (digest === undefined) {
    digest = digestBytes(indexBytes);
    indexJsonDigests.set(layout, digest);
  }
  return digest;
}

async function answer(layout: OciLayout, request: LayoutRequest, method: string): Promise<Response> {
  switch (request.kind) {
    case 'ping':
      return new Response('{}', {
        status: 200,
        headers: { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' },
      });
    case 'tags':
      return new Response(JSON.stringify({ name: 'layout', tags: layoutTags(layout) }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    case 'blob': {
      const blob = layout.blobs.get(request.digest);
      if (!blob) return errorResponse(404, 'BLOB_UNKNOWN', `blob ${request.digest} is not in this layout`);
      return contentResponse(method, blob, layout.mediaTypes.get(request.digest), request.digest);
    }
    case 'manifest': {
      const { reference } = request;
      const { indexBytes } = layout;
      // index.json is not a blob: no digest names it, so none is claimed for it.
      if (reference === INDEX_JSON_TAG && indexBytes) return contentResponse(method, indexBytes, OCI_INDEX, undefined);
      const digest = reference.includes(':') ? reference : isValidTag(reference) ? layout.tags.get(reference) : undefined;
      if (digest !== undefined && indexBytes && !layout.blobs.has(digest) && digest === (await indexJsonDigest(layout, indexBytes))) {
        return contentResponse(method, indexBytes, OCI_INDEX, digest);
      }
      const blob = digest === undefined ? undefined : layout.blobs.get(digest);
      if (digest === undefined || !blob) {
        const tagsAre = layout.format === 'docker-archive' ? 'a tag of this docker-archive' : 'a ref.name in index.json';
        return errorResponse(404, 'MANIFEST_UNKNOWN', `${reference} is not ${digest === undefined ? tagsAre : 'in this layout'}`);
      }
      // A docker-archive's manifests are ours, hashed by us: by tag there is no independent digest
      // to claim, so none is (the page then says the computed digest is the identity). By digest,
      // the bytes still have to hash to the name asked for.
      const claimed = layout.format === 'docker-archive' && !reference.includes(':') ? undefined : digest;
      return contentResponse(method, blob, await manifestMediaType(layout, digest, blob), claimed);
    }
    case 'other':
      return errorResponse(404, 'UNSUPPORTED', 'an OCI layout answers manifests, blobs and tags only');
  }
}

/** The host and API path of a same-origin proxy URL, when it names a layout host. */
function layoutTarget(url: string): { host: string; apiPath: string } | undefined {
  const path = new URL(url, 'http://ociscope.invalid').pathname;
  const target = parseProxyUrl(path);
  if (!target || !isLayoutHost(target.registry)) return undefined;
  return { host: target.registry.toLowerCase(), apiPath: target.apiPath };
}

/** `fetch`, with layout hosts answered from this tab's layouts (`layouts` looks a host up). */
export function createLayoutFetch(layouts: (host: string) => OciLayout | undefined, next: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = layoutTarget(url);
    if (!target) return next(input, init);
    const layout = layouts(target.host);
    if (!layout) return errorResponse(404, LAYOUT_NOT_LOADED_CODE, 'this layout is not loaded in this tab');
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    return answer(layout, parseLayoutPath(target.apiPath), method);
  };
}

export const layoutAwareFetch: typeof fetch = createLayoutFetch(layoutOfHost, (input, init) => fetch(input, init));

/**
 * For a layer pass, which runs in a worker that cannot see this tab's layouts: the blob a layout
 * URL names, or why there is none. Undefined for URLs of real registries.
 */
export function layoutBlobOfProxyUrl(
  url: string,
  layouts: (host: string) => OciLayout | undefined = layoutOfHost,
): { blob: Blob } | { status: number; code: string; message: string } | undefined {
  const target = layoutTarget(url);
  if (!target) return undefined;
  const layout = layouts(target.host);
  if (!layout) return { status: 404, code: LAYOUT_NOT_LOADED_CODE, message: layoutNotLoadedSentence(target.host) };
  const request = parseLayoutPath(target.apiPath);
  const blob = request.kind === 'blob' ? layout.blobs.get(request.digest) : undefined;
  return blob ? { blob } : { status: 404, code: 'BLOB_UNKNOWN', message: `The blob is not in the OCI layout ${target.host}.` };
}
