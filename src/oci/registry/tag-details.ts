/**
 * What the tags page says about each tag once its manifest (and config) is read: the digest it
 * points at, whether it is an index, an image manifest or an artifact, its platforms, when it
 * was made and how much a pull of it downloads. Created is the config's `created`, else the
 * `org.opencontainers.image.created` annotation (image-spec annotations.md); an index has no
 * config, so its annotation or its first platform's config says. Sizes are the descriptors'
 * (config + layers, compressed: what a pull transfers); an index's size is per platform, so it
 * has none of its own here. Also: sorting by name or date, and which tags share a digest.
 */
import { type Descriptor, formatPlatform, isAttestation } from '../spec/descriptor';
import type { ImageConfig } from '../spec/image-config';
import type { RegistryDocument } from '../spec/manifest';
import { kindOf } from '../spec/media-types';

/** What a tag points at, as the tags page names it. */
export type TagKind = 'index' | 'manifest' | 'artifact' | 'schema1' | 'unknown';

/** One tag's row, as far as it is known. */
export interface TagDetail {
  tag: string;
  digest: string;
  kind: TagKind;
  /** `linux/amd64`, …; index entries that describe another entry (attestations) are not platforms. */
  platforms: string[];
  /** ISO 8601 as the image says it; undefined when it says nothing. */
  created?: string;
  /** What the created date came from, for a tooltip. */
  createdFrom?: 'config' | 'annotation' | 'platform config';
  /** Config + layers, compressed; undefined for an index. */
  size?: number;
  /** The artifact's type, for artifacts. */
  artifactType?: string;
}

const CREATED_ANNOTATION = 'org.opencontainers.image.created';
function sumSizes(descriptors: (Descriptor | undefined)[]): number {
  return descriptors.reduce((sum, d) => sum + (d && Number.isFinite(d.size) ? d.size : 0), 0);
}

/** True when a manifest's config is an image config: anything else makes it an artifact. */
export function isImageManifest(document: RegistryDocument): boolean {
  return document.kind === 'manifest' && !document.artifactType && kindOf(document.config?.mediaType) === 'config';
}

/** The platform child whose config dates an index that carries no created annotation. */
export function firstPlatformOf(document: RegistryDocument): Descriptor | undefined {
  return document.kind === 'index' ? document.manifests.find((d) => !isAttestation(d) && d.digestValid) : undefined;
}

/**
 * A tag's row from its manifest and, for an image, its config (or for an index, its first
 * platform's config, when the index carries no created annotation).
 */
export function readTagDetail(tag: string, digest: string, document: RegistryDocument, config?: ImageConfig): TagDetail {
  const annotated = document.kind === 'index' || document.kind === 'manifest' ? document.annotations?.[CREATED_ANNOTATION] : undefined;
  const created = config?.created
    ? { created: config.created, createdFrom: document.kind === 'index' ? ('platform config' as const) : ('config' as const) }
    : annotated
      ? { created: annotated, createdFrom: 'annotation' as const }
      : {};
  if (document.kind === 'index') {
    const platforms = document.manifests
      .filter((d) => !isAttestation(d))
      .map((d) => (d.platform ? formatPlatform(d.platform) : 'no platform'));
    const artifactType = document.artifactType;
    return { tag, digest, kind: artifactType ? 'artifact' : 'index', platforms, ...created, artifactType };
  }
  if (document.kind === 'manifest') {
    const image = isImageManifest(document);
    const platform = image && config?.os && config.architecture ? [formatPlatform(config)] : [];
    return {
      tag,
      digest,
      kind: image ? 'manifest' : 'artifact',
      platforms: platform,
      ...(image ? created : annotated ? { created: annotated, createdFrom: 'annotation' as const } : {}),
      size: sumSizes([document.config, ...document.layers]),
      artifactType: image ? undefined : (document.artifactType ?? document.config?.mediaType),
    };
  }
  return { tag, digest, kind: document.kind, platforms: [] };
}

/** A created date as a number for sorting; undefined when absent or unreadable. */
function createdTime(detail: TagDetail | undefined): number | undefined {
  if (!detail?.created) return undefined;
  const time = Date.parse(detail.created);
  return Number.isNaN(time) ? undefined : time;
}

/** How the tags page orders its rows. */
export type TagOrder = 'name' | 'date';

/**
 * Tags in the order asked for. By date: newest first, tags without a known date after them in
 * name order (their rows say why), so a tag is never left out for lacking a date.
 */
export function sortTags(tags: readonly string[], order: TagOrder, details: ReadonlyMap<string, TagDetail>): string[] {
  const byName = [...tags].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (order === 'name') return byName;
  const time = new Map(byName.map((t) => [t, createdTime(details.get(t))]));
  return byName.sort((a, b) => {
    const ta = time.get(a);
    const tb = time.get(b);
    if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? 0 : 1) : -1;
    return tb - ta;
  });
}

/** For each digest two or more known tags point at, those tags in name order. */
export function tagsSharingDigests(details: Iterable<TagDetail>): Map<string, string[]> {
  const byDigest = new Map<string, string[]>();
  for (const d of details) byDigest.set(d.digest, [...(byDigest.get(d.digest) ?? []), d.tag]);
  for (const [digest, tags] of byDigest) {
    if (tags.length < 2) byDigest.delete(digest);
    else tags.sort();
  }
  return byDigest;
}
