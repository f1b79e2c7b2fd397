/**
 * What a digest in a link names — a layer, an image manifest, an index, a config or another
 * document — decided from the blob's own bytes, never from the manifests endpoint's error: the
 * distribution registry answers HTTP 500 UNKNOWN (not 404) when asked for a manifest by a
 * layer's digest, and other registries answer 404 or 400, so an error says nothing reliable.
 * explore.ggcr.dev links often carry `mt=` (the descriptor's media type); these rules are for
 * the links that do not. First bytes (blob-start.ts) separate archives from JSON; a JSON
 * document is then read whole (it is small) and named by its mediaType or shape.
 */
import { sniffContent, type ContentKind } from '../supply/sniff';
import { kindOf } from '../spec/media-types';

/** What a digest names, as far as choosing a view goes. */
export type DigestTarget =
  /** A tar, gzip or zstd stream: a layer's files. */
  | { kind: 'layer'; sniffed: ContentKind }
  /** An image manifest (OCI, Docker v2 or schema1): its merged filesystem. */
  | { kind: 'manifest'; mediaType?: string }
  /** An index: it has no filesystem of its own, only its platforms do. */
  | { kind: 'index'; mediaType?: string }
  /** An image config: a document, not a filesystem. */
  | { kind: 'config'; mediaType?: string }
  /** Any other JSON document (attestations, SBOMs, artifact configs). */
  | { kind: 'document'; mediaType?: string }
  /** Neither an archive nor JSON (text, a binary file an artifact carries, …). */
  | { kind: 'other'; sniffed: ContentKind };

/** What the first bytes say before the document is read: an archive, JSON, or something else. */
export function targetOfStart(sample: Uint8Array, complete: boolean): DigestTarget | 'json' {
  const { kind } = sniffContent(sample, complete);
  if (kind === 'gzip' || kind === 'zstd' || kind === 'tar') return { kind: 'layer', sniffed: kind };
  if (kind === 'json') return 'json';
  return { kind: 'other', sniffed: kind };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Names a whole JSON document by its `mediaType`, else by shape (old OCI documents omit
 * mediaType): `manifests` is an index, `layers` with `config` (or schema1's `fsLayers`) a
 * manifest, `rootfs` with `os`/`architecture` a config.
 */
export function targetOfDocument(json: unknown): DigestTarget {
  if (!isObject(json)) return { kind: 'document' };
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  const byType = kindOf(mediaType);
  if (byType === 'index') return { kind: 'index', mediaType };
  if (byType === 'manifest' || byType === 'schema1') return { kind: 'manifest', mediaType };
  if (byType === 'config') return { kind: 'config', mediaType };
  if (mediaType === undefined) {
    if (Array.isArray(json.manifests)) return { kind: 'index' };
    if ((Array.isArray(json.layers) && isObject(json.config)) || Array.isArray(json.fsLayers)) return { kind: 'manifest' };
    if (isObject(json.rootfs) && ('os' in json || 'architecture' in json)) return { kind: 'config' };
  }
  return { kind: 'document', mediaType };
}

/**
 * What a link's `mt=` hint says the digest names. Only indexes, manifests and configs are named
 * by it; every other type (layers, and the files artifacts carry) is read as a blob's bytes.
 */
export function targetOfMediaType(mediaType: string): DigestTarget {
  const kind = kindOf(mediaType);
  if (kind === 'index') return { kind: 'index', mediaType };
  if (kind === 'manifest' || kind === 'schema1') return { kind: 'manifest', mediaType };
  if (kind === 'config') return { kind: 'config', mediaType };
  return { kind: 'layer', sniffed: 'binary' };
}
