/**
 * Reads a docker-archive: what `docker save` before Docker 25 and `podman save` (its default
 * format) write. Its `manifest.json` is a list of `{Config, RepoTags, Layers}` naming files in
 * the archive (moby's image/spec "Combined Image JSON + Filesystem Changeset Format"); per-layer
 * `json`/`VERSION` files and `repositories` are legacy duplicates and are ignored.
 *
 * Such an archive holds no image manifest, so one is synthesized per image — a Docker image
 * manifest v2 — for the ordinary pages to browse. It is never passed off as a registry's: it
 * carries the `io.ociscope.synthesized` annotation saying so, and the layout page says it too.
 * Layers are stored uncompressed, so a layer's digest is its diff_id (`rootfs.diff_ids[i]`),
 * which a registry's gzip-compressed copy does not share.
 *
 * What is proved, and when: the config is small, so it is hashed here and compared with the
 * digest its file name claims (a mismatch is a problem listed on the layout page); it is then
 * served under the digest its bytes have. Layers can be gigabytes, so they are not read here:
 * each is served under the diff_id the config names, and the layer explorer hashes it when
 * opened, showing a mismatch if the file is not that tar.
 */
import { isObject, platformLabelOf } from '../spec/descriptor';
import { digestBytes } from '../spec/digest';
import { DOCKER_CONFIG, DOCKER_MANIFEST, OCI_MANIFEST, kindOf } from '../spec/media-types';
import type { LayoutEntry, LayoutProblem } from './types';
import { isDigest } from '../spec/reference';
import { MAX_DOCUMENT_BYTES } from '../spec/limits';

/** An uncompressed Docker layer (image-manifest-v2-2 "Media Types"). */
export const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';
/** The annotation that marks a manifest ociscope wrote, shown in the manifest page's annotations. */
export const SYNTHESIZED_ANNOTATION = 'io.ociscope.synthesized';
/** The value of SYNTHESIZED_ANNOTATION: why the manifest exists and why its layer digests differ from a registry's. */
export const SYNTHESIZED_NOTE =
  'synthesized by ociscope from manifest.json of a docker-archive; a registry would store gzip-compressed layers, so their digests differ (the diff_ids match)';

/** A config file named by its digest: `<hex>.json` (docker, podman) or `blobs/sha256/<hex>`. */
const DIGEST_NAMED = /(?:^|\/)([a-f0-9]{64})(?:\.json)?$/;

/** One image of manifest.json, paths as written (relative to the archive's top). */
export interface ArchiveImage {
  config: string;
  repoTags: string[];
  layers: string[];
}

/** manifest.json's images, or undefined when it is not a docker-archive manifest. */
export function parseArchiveManifest(json: unknown): ArchiveImage[] | undefined {
  if (!Array.isArray(json)) return undefined;
  const images: ArchiveImage[] = [];
  for (const item of json) {
    if (!isObject(item) || typeof item.Config !== 'string' || !Array.isArray(item.Layers)) return undefined;
    const layers = item.Layers.filter((l): l is string => typeof l === 'string');
    if (layers.length !== item.Layers.length) return undefined;
    const repoTags = Array.isArray(item.RepoTags) ? item.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    images.push({ config: item.Config, repoTags, layers });
  }
  return images;
}

/** A RepoTag (`name:tag`, any reference) made usable as a tag: other characters become `_`. */
export function tagOfRepoTag(repoTag: string): string | undefined {
  const tag = repoTag
    .replace(/[^\w.-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return tag === '' ? undefined : tag;
}

/**
 * Serves image `index` (from 0) of manifest.json under its RepoTags made tags, and `image-N`;
 * a tag already taken (two RepoTags reduced alike, or an earlier image's) stays with the first.
 * Returns the tags it got.
 */
export function serveUnderTags(repoTags: string[], index: number, digest: string, tags: Map<string, string>): string[] {
  const served: string[] = [];
  for (const tag of [...repoTags.map(tagOfRepoTag), `image-${index + 1}`]) {
    if (tag === undefined || tags.has(tag)) continue;
    tags.set(tag, digest);
    served.push(tag);
  }
  return served;
}

/** The digest a `blobs/sha256/<hex>` or `<hex>.json` path names, when it names one. */
export function digestOfPath(path: string): string | undefined {
  const hex = DIGEST_NAMED.exec(path)?.[1];
  return hex === undefined ? undefined : `sha256:${hex}`;
}

/** A manifest small enough to be one: image manifests are a few KiB; anything larger is not scanned for. */
const MAX_SCANNED_MANIFEST_BYTES = 64 * 1024;

/** An image manifest found among a layout's blobs, and its bytes' digest-addressed facts. */
export interface FoundManifest {
  digest: string;
  mediaType: string;
  size: number;
  /** From the config it names, e.g. `linux/amd64`. */
  platform?: string;
}

async function jsonOf(blob: Blob): Promise<unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(await blob.arrayBuffer()));
  } catch {
    return undefined;
  }
}

/**
 * The image manifest among `blobs` whose config is `configDigest`: Docker 25 writes the OCI
 * manifest of an image saved by ID to blobs/ but lists nothing in index.json, and its
 * manifest.json names only the config and layers. Found by content, so no manifest is made up.
 */
export async function manifestForConfig(configDigest: string, blobs: ReadonlyMap<string, Blob>): Promise<FoundManifest | undefined> {
  for (const [digest, blob] of blobs) {
    if (blob.size > MAX_SCANNED_MANIFEST_BYTES || digest === configDigest) continue;
    const json = await jsonOf(blob);
    if (!isObject(json) || !isObject(json.config) || json.config.digest !== configDigest || !Array.isArray(json.layers)) continue;
    const mediaType = typeof json.mediaType === 'string' ? json.mediaType : OCI_MANIFEST;
    if (kindOf(mediaType) !== 'manifest') continue;
    const config = blobs.get(configDigest);
    const platform = config && config.size <= MAX_DOCUMENT_BYTES ? platformLabelOf(await jsonOf(config)) : undefined;
    return { digest, mediaType, size: blob.size, platform };
  }
  return undefined;
}

/** What a docker-archive holds, read into the layout's shape. */
export interface DockerArchiveContents {
  entries: LayoutEntry[];
  blobs: Map<string, Blob>;
  mediaTypes: Map<string, string>;
  tags: Map<string, string>;
  problems: LayoutProblem[];
}

interface ReadConfig {
  digest: string;
  size: number;
  json: unknown;
}

/** Reads and hashes one image's config; a name that claims another digest is a problem, not fatal. */
async function readConfig(image: ArchiveImage, file: Blob | undefined, problems: LayoutProblem[]): Promise<ReadConfig | undefined> {
  if (!file) {
    problems.push({ message: `manifest.json names the config ${image.config}, which is not in the archive.` });
    return undefined;
  }
  if (file.size > MAX_DOCUMENT_BYTES) {
    problems.push({ message: `The config ${image.config} is ${file.size} bytes, too large for an image config; it was not read.` });
    return undefined;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const digest = await digestBytes(bytes);
  const named = DIGEST_NAMED.exec(image.config)?.[1];
  if (named !== undefined && `sha256:${named}` !== digest) {
    problems.push({
      message: `DIGEST MISMATCH: the config ${image.config} is named for sha256:${named}, but its bytes hash to ${digest}. It is served under the digest of its bytes.`,
      digest,
      mediaType: DOCKER_CONFIG,
    });
  }
  try {
    return { digest, size: bytes.length, json: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch (error) {
    problems.push({
      message: `The config ${image.config} is not JSON: ${error instanceof Error ? error.message : String(error)}.`,
      digest,
      mediaType: DOCKER_CONFIG,
    });
    return { digest, size: bytes.length, json: undefined };
  }
}

/** `rootfs.diff_ids` when it is a list of digests as long as manifest.json's Layers; else why not. */
function diffIdsOf(image: ArchiveImage, config: unknown): string[] | string {
  const rootfs = isObject(config) ? config.rootfs : undefined;
  const diffIds = isObject(rootfs) ? rootfs.diff_ids : undefined;
  if (!Array.isArray(diffIds)) return 'it has no rootfs.diff_ids';
  if (diffIds.length !== image.layers.length) {
    return `it names ${diffIds.length} diff_ids but manifest.json lists ${image.layers.length} layers`;
  }
  const invalid = diffIds.find((d) => typeof d !== 'string' || !isDigest(d));
  return invalid === undefined ? (diffIds as string[]) : `its diff_id ${JSON.stringify(invalid)} is not a digest`;
}

/**
 * The images of a docker-archive as a layout's contents: synthesized manifests (served by their
 * digest and tags), configs by the digest of their bytes, layers by diff_id. An image whose
 * manifest cannot be stated honestly (config or a layer missing, diff_ids not matching Layers)
 * is listed as a problem and gets no manifest.
 */
export async function readDockerArchive(
  images: ArchiveImage[],
  member: (path: string) => Blob | undefined,
): Promise<DockerArchiveContents> {
  const contents: DockerArchiveContents = { entries: [], blobs: new Map(), mediaTypes: new Map(), tags: new Map(), problems: [] };
  const { entries, blobs, mediaTypes, tags, problems } = contents;
  for (const [i, image] of images.entries()) {
    const configFile = member(image.config);
    const config = await readConfig(image, configFile, problems);
    if (!config) continue;
    blobs.set(config.digest, configFile!);
    mediaTypes.set(config.digest, DOCKER_CONFIG);
    if (config.json === undefined) continue;
    const diffIds = diffIdsOf(image, config.json);
    if (typeof diffIds === 'string') {
      problems.push({
        message: `No manifest was synthesized for image ${i + 1} (${image.config}): ${diffIds}.`,
        digest: config.digest,
        mediaType: DOCKER_CONFIG,
      });
      continue;
    }
    const layerFiles = image.layers.map((path) => member(path));
    const absent = image.layers.filter((_, n) => layerFiles[n] === undefined);
    if (absent.length > 0) {
      problems.push({
        message: `No manifest was synthesized for image ${i + 1}: manifest.json names layers the archive does not hold: ${absent.join(', ')}.`,
      });
      continue;
    }
    const layers = layerFiles.map((file, n) => ({ mediaType: DOCKER_LAYER_TAR, size: file!.size, digest: diffIds[n]! }));
    const manifest = {
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, size: config.size, digest: config.digest },
      layers,
      annotations: { [SYNTHESIZED_ANNOTATION]: SYNTHESIZED_NOTE },
    };
    const bytes = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
    const digest = await digestBytes(bytes);
    blobs.set(digest, new Blob([bytes]));
    mediaTypes.set(digest, DOCKER_MANIFEST);
    layers.forEach((layer, n) => {
      blobs.set(layer.digest, layerFiles[n]!);
      mediaTypes.set(layer.digest, DOCKER_LAYER_TAR);
    });
    const served = serveUnderTags(image.repoTags, i, digest, tags);
    entries.push({
      digest,
      mediaType: DOCKER_MANIFEST,
      size: bytes.length,
      platform: platformLabelOf(config.json),
      repoTags: image.repoTags,
      tags: served,
      present: true,
    });
  }
  return contents;
}
