/**
 * Opens an OCI image layout (image-spec image-layout.md) that the user picked from their disk —
 * a tar (`skopeo copy … oci-archive:`, `docker save` from Docker 25 on) or a directory
 * (`skopeo copy … oci:`) — into an in-memory content store: `blobs/<alg>/<encoded>` → Blob.
 *
 * Nothing is copied. A tar is read once, header by header, and each member becomes
 * `file.slice(offset, offset + size)`, so a multi-GB archive costs a few MB of index; the
 * bytes are read again only when a page asks for that blob, and hashed then like any download.
 * Sections followed: "Content" (oci-layout, index.json, blobs), "Blobs" (names per the
 * descriptor digest grammar; missing blobs are allowed, so they are listed, not fatal),
 * "oci-layout file" (imageLayoutVersion) and annotations.md `org.opencontainers.image.ref.name`
 * (valid only on index.json's descriptors).
 *
 * A tar or directory with `manifest.json` and no `oci-layout` is a docker-archive (`docker save`
 * before Docker 25, `podman save`): docker-archive.ts reads it into the same shape, with
 * manifests it synthesizes and says so.
 */
import { digestOfPath, manifestForConfig, parseArchiveManifest, readDockerArchive, serveUnderTags } from './docker-archive';
import { describeUnreachedBlobs } from './unreached-blobs';
import { isObject, platformLabelOf } from '../spec/descriptor';
import { OCI_INDEX, OCI_MANIFEST, isManifestType } from '../spec/media-types';
import { TarParser } from '../layer/tar';
import { INDEX_JSON_TAG, REF_NAME_ANNOTATION } from './layout-host';
import type { LayoutEntry, MissingBlob, OciLayout } from './types';
import { TarFormatError, normalizePath } from '../layer/tar-entry';
import { MAX_DOCUMENT_BYTES } from '../spec/limits';

/** Why a file could not be opened as a layout. */
export type OciLayoutErrorReason = 'not-layout' | 'unsupported-version' | 'malformed' | 'not-tar' | 'compressed';

/** A file that is not a layout ociscope can open, with the reason in a sentence. */
export class OciLayoutError extends Error {
  readonly kind = 'oci-layout';
  readonly reason: OciLayoutErrorReason;

  constructor(reason: OciLayoutErrorReason, message: string) {
    super(message);
    this.name = 'OciLayoutError';
    this.reason = reason;
  }
}

/** Enough for any real layout; bounds the work a hostile one can ask for. */
const MAX_WALKED_DOCUMENTS = 5000;
const READ_CHUNK = 1 << 20;
/** The descriptor grammar's `algorithm` and `encoded` (descriptor.md "Digests"). */
const ALGORITHM = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const ENCODED = /^[a-zA-Z0-9=_-]+$/;
/** Tag grammar (distribution-spec): a ref.name outside it cannot be asked for as a tag. */
const TAG = /^[\w][\w.-]{0,127}$/;

/** Whether a name can be asked for as a tag (distribution-spec tag grammar). */
export function isValidTag(name: string): boolean {
  return TAG.test(name);
}

/**
 * Indexes a tar's members without reading file data: the parser only counts the bytes it skips,
 * so after a member's header the reader jumps over its data and feeds the parser zeros for it.
 * Sparse members are read normally (their stored size is not their real size).
 */
export async function readTarMembers(file: Blob, onProgress?: (bytesRead: number, total: number) => void): Promise<Map<string, Blob>> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new OciLayoutError('compressed', 'This is a gzip-compressed file. Decompress it first (gunzip) and open the .tar.');
  }
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    throw new OciLayoutError('compressed', 'This is a zstd-compressed file. Decompress it first (zstd -d) and open the .tar.');
  }
  const members = new Map<string, Blob>();
  let nextHeader = 0;
  const parser = new TarParser({
    entry: (entry) => {
      if (entry.type === 'file' && !entry.sparse) {
        members.set(entry.path, file.slice(entry.dataOffset, entry.dataOffset + entry.size));
        nextHeader = entry.dataOffset + entry.size + ((512 - (entry.size % 512)) % 512);
      } else if (entry.type === 'hardlink' && entry.linkTarget !== undefined) {
        const target = members.get(entry.linkTarget);
        if (target) members.set(entry.path, target);
      }
    },
  });
  const zeros = new Uint8Array(READ_CHUNK);
  let position = 0;
  try {
    while (position < file.size) {
      if (nextHeader > position) {
        // Inside a member's data: skip it (up to the end of the file, so truncation still shows).
        const n = Math.min(nextHeader, file.size) - position;
        for (let left = n; left > 0; left -= READ_CHUNK) parser.push(zeros.subarray(0, Math.min(left, READ_CHUNK)));
        position += n;
      } else {
        const chunk = new Uint8Array(await file.slice(position, position + READ_CHUNK).arrayBuffer());
        parser.push(chunk);
        position += chunk.length;
      }
      onProgress?.(position, file.size);
    }
    parser.end();
  } catch (error) {
    if (error instanceof TarFormatError) {
      throw new OciLayoutError('not-tar', `Not a readable tar archive: ${error.message}.`);
    }
    throw error;
  }
  return members;
}

/** Opens a layout from a tar archive (plain, uncompressed). */
export async function openLayoutFromTar(
  file: Blob,
  name: string,
  onProgress?: (bytesRead: number, total: number) => void,
): Promise<OciLayout> {
  return openLayout(await readTarMembers(file, onProgress), { kind: 'tar', name });
}

/** Opens a layout from files picked as a directory; paths are relative (`webkitRelativePath`). */
export function openLayoutFromFiles(files: Iterable<{ path: string; file: Blob }>, name: string): Promise<OciLayout> {
  const members = new Map<string, Blob>();
  for (const { path, file } of files) members.set(normalizePath(path), file);
  return openLayout(members, { kind: 'directory', name });
}

/**
 * The directory holding `marker` (`oci-layout`, or a docker-archive's `manifest.json`): the top,
 * or the shallowest folder that has one (a picked directory's paths start with its own name; a
 * tar may have been made of the folder).
 */
function rootOf(members: ReadonlyMap<string, Blob>, marker: string): string | undefined {
  if (members.has(marker)) return '';
  let best: string | undefined;
  for (const path of members.keys()) {
    if (!path.endsWith(`/${marker}`)) continue;
    const root = path.slice(0, -marker.length);
    if (best === undefined || root.split('/').length < best.split('/').length) best = root;
  }
  return best;
}

async function readJson(blob: Blob, what: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; json: unknown }> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  try {
    return { bytes, json: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch (error) {
    throw new OciLayoutError('malformed', `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

interface Descriptor {
  digest: string;
  mediaType?: string;
  size?: number;
  platform?: string;
  annotations: Record<string, unknown>;
}

function descriptorOf(value: unknown): Descriptor | undefined {
  if (!isObject(value) || typeof value.digest !== 'string') return undefined;
  const platform = platformLabelOf(value.platform);
  return {
    digest: value.digest,
    mediaType: typeof value.mediaType === 'string' ? value.mediaType : undefined,
    size: typeof value.size === 'number' ? value.size : undefined,
    platform,
    annotations: isObject(value.annotations) ? value.annotations : {},
  };
}

/** The descriptors a manifest or index names: its config, layers, manifests and blobs. */
function childDescriptors(document: Record<string, unknown>): Descriptor[] {
  const lists = [document.manifests, document.layers, document.blobs].filter(Array.isArray) as unknown[][];
  return [document.config, ...lists.flat()].map(descriptorOf).filter((d): d is Descriptor => d !== undefined);
}

async function openLayout(members: ReadonlyMap<string, Blob>, source: OciLayout['source']): Promise<OciLayout> {
  const root = rootOf(members, 'oci-layout');
  if (root === undefined) {
    const archiveRoot = rootOf(members, 'manifest.json');
    if (archiveRoot !== undefined) return openDockerArchive(members, archiveRoot, source);
    throw new OciLayoutError(
      'not-layout',
      'Not an OCI image layout: there is no oci-layout file, nor the manifest.json of a docker-archive (`docker save`, `podman save`).',
    );
  }
  const marker = await readJson(members.get(`${root}oci-layout`)!, 'oci-layout');
  const version = isObject(marker.json) ? marker.json.imageLayoutVersion : undefined;
  if (typeof version !== 'string') {
    throw new OciLayoutError('malformed', 'The oci-layout file has no imageLayoutVersion.');
  }
  // The layout's version follows the image-spec's; only a new major version may change it incompatibly.
  if (!/^1(\.|$)/.test(version)) {
    throw new OciLayoutError(
      'unsupported-version',
      `Unsupported image layout version ${JSON.stringify(version)}: ociscope reads version 1.x layouts.`,
    );
  }
  const indexFile = members.get(`${root}index.json`);
  if (!indexFile) throw new OciLayoutError('not-layout', 'Not a complete OCI image layout: there is an oci-layout file but no index.json.');
  const index = await readJson(indexFile, 'index.json');
  // `"manifests": null` is what Docker 25 writes when an image is saved by ID: read as none.
  const listed = isObject(index.json) ? index.json.manifests : undefined;
  if (listed !== null && !Array.isArray(listed)) {
    throw new OciLayoutError('malformed', 'index.json is not an image index: it has no manifests list.');
  }

  const blobs = new Map<string, Blob>();
  const prefix = `${root}blobs/`;
  for (const [path, blob] of members) {
    if (!path.startsWith(prefix)) continue;
    const parts = path.slice(prefix.length).split('/');
    if (parts.length === 2 && ALGORITHM.test(parts[0]!) && ENCODED.test(parts[1]!)) blobs.set(`${parts[0]}:${parts[1]}`, blob);
  }

  const top = ((listed ?? []) as unknown[]).map(descriptorOf).filter((d): d is Descriptor => d !== undefined);
  const entries = top.map((d): LayoutEntry => {
    const refName = d.annotations[REF_NAME_ANNOTATION];
    return {
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      platform: d.platform,
      refName: typeof refName === 'string' ? refName : undefined,
      present: blobs.has(d.digest),
    };
  });
  const { mediaTypes, missing, reached } = await walkDescriptors(top, blobs);
  const tags = new Map<string, string>();
  for (const { refName, digest } of entries) {
    if (refName !== undefined && isValidTag(refName) && refName !== INDEX_JSON_TAG && !tags.has(refName)) tags.set(refName, digest);
  }
  const layout: OpeningLayout = {
    source,
    format: 'oci-layout',
    imageLayoutVersion: version,
    indexBytes: index.bytes,
    entries,
    tags,
    blobs,
    mediaTypes,
    missing,
    problems: [],
    notes: [],
    unreached: [],
    undescribedBlobs: 0,
  };
  const manifestJson = members.get(`${root}manifest.json`);
  const viaManifestJson =
    top.length === 0 && manifestJson ? await openThroughManifestJson(layout, manifestJson, members, root) : new Set<string>();
  const described = await describeUnreachedBlobs(blobs, reached, viaManifestJson);
  return { ...layout, unreached: described.unreached, undescribedBlobs: described.undescribed };
}

/** A layout while it is being read: its maps still take entries. */
type OpeningLayout = Omit<OciLayout, 'tags' | 'blobs' | 'mediaTypes'> & {
  tags: Map<string, string>;
  blobs: Map<string, Blob>;
  mediaTypes: Map<string, string>;
};

/**
 * index.json lists nothing but a docker save's manifest.json names images (Docker 25, an image
 * saved by ID): each is served through the OCI manifest among the blobs whose config it names,
 * or, when the layout holds none, a manifest synthesized as for a docker-archive. Fills `layout`
 * in place; returns the digests manifest.json reaches.
 */
async function openThroughManifestJson(
  layout: OpeningLayout,
  manifestJson: Blob,
  members: ReadonlyMap<string, Blob>,
  root: string,
): Promise<Set<string>> {
  const images = parseArchiveManifest((await readJson(manifestJson, 'manifest.json')).json);
  const reached = new Set<string>();
  if (!images || images.length === 0) return reached;
  layout.notes.push(
    'index.json lists no images ("manifests": null is what Docker 25 writes for an image saved by ID); they were opened through the manifest.json of its docker save.',
  );
  for (const [i, image] of images.entries()) {
    const configDigest = digestOfPath(image.config);
    const found = configDigest === undefined ? undefined : await manifestForConfig(configDigest, layout.blobs);
    if (!found) {
      const synthesized = await readDockerArchive([image], (path) => members.get(`${root}${normalizePath(path)}`));
      for (const [digest, blob] of synthesized.blobs) layout.blobs.set(digest, blob);
      for (const [digest, type] of synthesized.mediaTypes) {
        layout.mediaTypes.set(digest, type);
        reached.add(digest);
      }
      for (const [tag, digest] of synthesized.tags) if (!layout.tags.has(tag)) layout.tags.set(tag, digest);
      layout.entries.push(...synthesized.entries);
      layout.problems.push(...synthesized.problems);
      continue;
    }
    const descriptor = { digest: found.digest, mediaType: found.mediaType, size: found.size, annotations: {} };
    const walked = await walkDescriptors([descriptor], layout.blobs);
    for (const digest of walked.reached) reached.add(digest);
    for (const [digest, type] of walked.mediaTypes) if (!layout.mediaTypes.has(digest)) layout.mediaTypes.set(digest, type);
    layout.missing.push(
      ...walked.missing.map((m) => ({ ...m, referencedBy: m.referencedBy === INDEX_JSON_TAG ? 'manifest.json' : m.referencedBy })),
    );
    layout.entries.push({
      digest: found.digest,
      mediaType: found.mediaType,
      size: found.size,
      platform: found.platform,
      repoTags: image.repoTags,
      tags: serveUnderTags(image.repoTags, i, found.digest, layout.tags),
      present: true,
    });
  }
  return reached;
}

/** A docker-archive rooted at `root` (docker-archive.ts synthesizes its manifests). */
async function openDockerArchive(members: ReadonlyMap<string, Blob>, root: string, source: OciLayout['source']): Promise<OciLayout> {
  const manifest = await readJson(members.get(`${root}manifest.json`)!, 'manifest.json');
  const images = parseArchiveManifest(manifest.json);
  if (images === undefined) {
    throw new OciLayoutError(
      'not-layout',
      'Not an OCI image layout (there is no oci-layout file), and its manifest.json is not a docker-archive’s list of {Config, RepoTags, Layers}.',
    );
  }
  if (images.length === 0) throw new OciLayoutError('malformed', 'This docker-archive’s manifest.json lists no images.');
  const contents = await readDockerArchive(images, (path) => members.get(`${root}${normalizePath(path)}`));
  return {
    source,
    format: 'docker-archive',
    imageLayoutVersion: undefined,
    indexBytes: undefined,
    missing: [],
    notes: [],
    unreached: [],
    undescribedBlobs: 0,
    ...contents,
  };
}

/**
 * Follows descriptors from index.json through indexes and manifests: which blobs are missing,
 * and what media type each blob was named with (what a registry would send as Content-Type).
 * Configs and layers are not read; documents that are not JSON are left for their page to show.
 */
async function walkDescriptors(top: Descriptor[], blobs: ReadonlyMap<string, Blob>) {
  const mediaTypes = new Map<string, string>();
  const missing: MissingBlob[] = [];
  const seen = new Set<string>();
  const reached = new Set<string>();
  const queue = top.map((descriptor) => ({ descriptor, referencedBy: INDEX_JSON_TAG }));
  let walked = 0;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const { descriptor, referencedBy } = next;
    if (descriptor.mediaType && !mediaTypes.has(descriptor.digest)) mediaTypes.set(descriptor.digest, descriptor.mediaType);
    reached.add(descriptor.digest);
    const blob = blobs.get(descriptor.digest);
    if (!blob) {
      if (!missing.some((m) => m.digest === descriptor.digest))
        missing.push({ digest: descriptor.digest, mediaType: descriptor.mediaType, referencedBy });
      continue;
    }
    if (
      seen.has(descriptor.digest) ||
      !isManifestType(descriptor.mediaType) ||
      blob.size > MAX_DOCUMENT_BYTES ||
      walked >= MAX_WALKED_DOCUMENTS
    )
      continue;
    seen.add(descriptor.digest);
    walked++;
    const document = await readJson(blob, descriptor.digest).catch(() => undefined);
    if (!isObject(document?.json)) continue;
    for (const child of childDescriptors(document.json)) queue.push({ descriptor: child, referencedBy: descriptor.digest });
  }
  return { mediaTypes, missing, reached };
}

/**
 * What a registry would send as a manifest's Content-Type: the media type a descriptor gave it,
 * else the document's own `mediaType`, else its shape (OCI allows omitting `mediaType`).
 */
export async function manifestMediaType(layout: OciLayout, digest: string, blob: Blob): Promise<string | undefined> {
  const named = layout.mediaTypes.get(digest);
  if (named) return named;
  if (blob.size > MAX_DOCUMENT_BYTES) return undefined;
  const json = await readJson(blob, digest).then(
    (d) => d.json,
    () => undefined,
  );
  if (!isObject(json)) return undefined;
  if (typeof json.mediaType === 'string') return json.mediaType;
  if (Array.isArray(json.manifests)) return OCI_INDEX;
  if (isObject(json.config)) return OCI_MANIFEST;
  return undefined;
}

/** The tags a layout answers: index.json itself (when it has one), then its other tags. */
export function layoutTags(layout: OciLayout): string[] {
  return [...(layout.indexBytes ? [INDEX_JSON_TAG] : []), ...layout.tags.keys()];
}
