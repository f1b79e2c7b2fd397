/**
 * Seeds a registry with the images the e2e suite browses, all built here from scratch: layers
 * archived by real GNU tar and compressed by real gzip/zstd (tar-layer.ts), real image configs,
 * and manifests in both OCI and Docker media types (DESIGN.md "Tests that count"). The layer
 * explorer's images and their file facts come from layer-fixtures.ts. Content is deterministic
 * (fixed modes and mtimes, `gzip -n`, fixed timestamps, no host names inside documents), so
 * digests only change when these files do.
 *
 * Push order matters: distribution 2.8 refuses a manifest whose blobs are not in the repository
 * and an index/list whose child manifests are not, so blobs go first, then children by digest,
 * then the index under its tag.
 *
 * Usage:
 *   npx tsx e2e/registry/seed.ts                          start a throwaway registry, seed it, print
 *                                                         the SeedResult and keep serving until ^C
 *   npx tsx e2e/registry/seed.ts <host:port> [<storage>]  seed an existing registry; the corrupt
 *                                                         image is only tampered with if its
 *                                                         filesystem storage root is given
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLayeredImageLayers, buildManyEntriesLayer, type LayeredFiles, type ManyEntriesShape } from './layer-fixtures.ts';
import { seedArtifacts, type ArtifactSeed } from './artifact-seed.ts';
import { seedCompare, type CompareSeed } from './compare-seed.ts';
import { seedHostile, type HostileSeed } from './hostile-seed.ts';
import { seedSupply, type SupplySeed } from './supply-seed.ts';
import { startRegistry } from './registry-server.ts';
import { pushBlob, pushManifest, type PushedContent } from './push.ts';
import { SEED_TIME, buildLayer, type BuiltLayer, type Compression, type TreeEntry } from './tar-layer.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inTotoJson: 'application/vnd.in-toto+json',
} as const;

export interface SeededBlob {
  digest: string;
  size: number;
  mediaType: string;
}

export interface SeededLayer extends SeededBlob {
  /** sha256 of the uncompressed tar; equals the config's `rootfs.diff_ids[i]`, except in `badDiff`. */
  diffId: string;
  /** Length of the uncompressed tar. */
  uncompressedSize: number;
  /** Entry names exactly as `tar --list` prints them, in archive order (directories end in `/`). */
  entries: string[];
}

/** A layer too big to list in the state file: only how many entries `tar --list` printed. */
export type SeededLayerSummary = Omit<SeededLayer, 'entries'> & { entryCount: number };

/** A manifest in `repo`, addressed by digest (children of an index have no tag). */
export interface SeededManifest {
  repo: string;
  digest: string;
  mediaType: string;
  size: number;
  config: SeededBlob;
  layers: SeededLayer[];
}

export interface SeededTaggedImage extends SeededManifest {
  tag: string;
  /** `<registry>/<repo>:<tag>`, ready for `/?image=`. */
  ref: string;
}

export type PlatformKey = 'linux/amd64' | 'linux/arm64' | 'linux/arm/v7';

export interface SeededIndex {
  repo: string;
  tag: string;
  ref: string;
  digest: string;
  mediaType: string;
  size: number;
  platforms: Record<PlatformKey, SeededManifest>;
}

/** A BuildKit-style attestation manifest listed inside an image index. */
export interface SeededAttestation extends SeededManifest {
  /** `vnd.docker.reference.digest`: the platform manifest the attestation describes. */
  subject: string;
  /** `in-toto.io/predicate-type` of its single in-toto layer. */
  predicateType: string;
}

export interface ImageConfig {
  created: string;
  architecture: string;
  os: string;
  variant?: string;
  config: {
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    ExposedPorts?: Record<string, Record<string, never>>;
    Labels?: Record<string, string>;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history: { created: string; created_by: string; comment?: string; empty_layer?: true }[];
}

export interface SeedResult {
  /** `127.0.0.1:PORT` */
  registry: string;
  /** OCI manifest, 3 gzip layers, annotations with a https URL and a `javascript:` value. */
  single: SeededTaggedImage & { annotations: Record<string, string>; imageConfig: ImageConfig };
  /** OCI index: 3 platforms plus a BuildKit attestation manifest for linux/amd64. */
  multi: SeededIndex & { attestation: SeededAttestation };
  /** The same 3 platforms as a Docker manifest list of Docker schema2 manifests. */
  dockerList: SeededIndex;
  /**
   * One manifest under `count` tags, `latest` and `t000`…`t129`, sorted here. Distribution 2.8
   * ignores `n`/`last` on tags/list and answers all of them in one page, unsorted.
   */
  manyTags: SeededTaggedImage & { tags: string[]; count: number };
  /**
   * 300 tags (`r000`…`r299`) over three images made on different days: tag `rNNN` names image
   * NNN % 3. For the tags page: details are read for visible rows only, and tags share digests.
   */
  hundredsOfTags: { repo: string; tags: string[]; images: { digest: string; created: string; tags: string[] }[] };
  /**
   * An index whose one platform (linux/amd64) is described by two entries of other kinds: a
   * BuildKit `attestation-manifest` and a `builder` entry, both platform unknown/unknown.
   */
  referenceTypes: { repo: string; tag: string; ref: string; digest: string; platform: string; attestation: string; builder: string };
  /** A manifest whose config blob was rewritten on disk after the push (same length). */
  corrupt: SeededTaggedImage & {
    /** The digest the manifest names for the tampered blob (it is the config). */
    corruptedBlob: string;
    /** sha256 of the bytes the registry now serves for `corruptedBlob`. */
    servedDigest: string;
    /** `servedDigest !== corruptedBlob`; false only when the CLI was not given the storage root. */
    tampered: boolean;
  };
  /**
   * `ociscope/layers:v1` for the layer explorer: pax + gzip, GNU + zstd and ustar uncompressed
   * layers with whiteouts, an opaque dir, links, a long name and more (layer-fixtures.ts).
   */
  layered: SeededTaggedImage & { imageConfig: ImageConfig; files: LayeredFiles };
  /** One gzip layer whose digest is right but whose config names another tar's diff_id. */
  badDiff: SeededTaggedImage & {
    /** The config's `rootfs.diff_ids[0]`: the diff_id of `single`'s first layer. */
    wrongDiffId: string;
    /** sha256 of this layer's uncompressed tar, also `layers[0].diffId`. */
    realDiffId: string;
  };
  /** One layer whose descriptor says uncompressed tar while its bytes are gzip; its diff_id is right. */
  lyingType: SeededTaggedImage & {
    /** `layers[0].mediaType`: application/vnd.oci.image.layer.v1.tar. */
    declaredMediaType: string;
    /** What the bytes are (they start with 1f 8b). */
    actualCompression: Compression;
  };
  /** `ociscope/many:v1`: one gzip layer of 100,000 empty files in 1,101 directories. */
  manyEntries: Omit<SeededTaggedImage, 'layers'> & { layers: SeededLayerSummary[]; shape: ManyEntriesShape };
  /** `hostile/markup:*`: documents a malicious registry would serve, and what 2.8 refused (hostile-seed.ts). */
  hostile: HostileSeed;
  /** Base and derived images, one image three compressions, a Docker v2.2 copy, two indexes (compare-seed.ts). */
  compare: CompareSeed;
  /** Referrers of `single` as a registry without the Referrers API holds them (artifact-seed.ts). */
  artifacts: ArtifactSeed;
  /** Signatures, attestations, SBOMs, Notation and Helm fixtures with their bad twins (supply-seed.ts). */
  supply: SupplySeed;
}

/** Numbered tags besides `latest`: several pages for any registry that honours `n` below 131. */
const MANY_TAGS_COUNT = 130;

/** A layer as a manifest lists it; `mediaType` overrides the one its compression implies. */
type ImageLayer = BuiltLayer & { mediaType?: string };

const OCI_LAYER_MEDIA_TYPES: Record<Compression, string> = {
  gzip: MediaTypes.ociLayerGzip,
  zstd: MediaTypes.ociLayerZstd,
  none: MediaTypes.ociLayer,
};

interface Platform {
  os: 'linux';
  architecture: string;
  variant?: string;
}

const PLATFORMS: Record<PlatformKey, Platform> = {
  'linux/amd64': { os: 'linux', architecture: 'amd64' },
  'linux/arm64': { os: 'linux', architecture: 'arm64' },
  'linux/arm/v7': { os: 'linux', architecture: 'arm', variant: 'v7' },
};

const PLATFORM_KEYS = Object.keys(PLATFORMS) as PlatformKey[];

const BASE_TREE: TreeEntry[] = [
  { path: 'etc/os-release', content: 'NAME="ociscope test rootfs"\nID=ociscope\nVERSION_ID=1\n' },
  { path: 'etc/hostname', content: 'ociscope\n' },
  // Dangling on purpose: the browser shows the target, it never resolves it.
  { path: 'etc/localtime', symlink: '/usr/share/zoneinfo/UTC' },
  { path: 'usr/share/doc/ociscope/README', content: 'Base layer of the ociscope e2e images.\n' },
  { path: 'tmp', directory: true },
];

const APP_TREE: TreeEntry[] = [
  { path: 'app/README.md', content: '# demo app\n\nServes nothing; exists to be browsed.\n' },
  { path: 'app/start.sh', content: '#!/bin/sh\nexec echo "started with $*"\n', mode: 0o755 },
  { path: 'app/bin/start', symlink: '../start.sh' },
  { path: 'app/lib/deep/nested/module.txt', content: 'three directories down\n' },
  // Over 100 bytes of path: GNU tar writes a ././@LongLink record a tar reader must honour.
  {
    path: 'app/lib/deep/nested/a-file-name-long-enough-that-ustar-cannot-hold-it-so-gnu-tar-writes-a-longlink-record.txt',
    content: 'long name\n',
  },
];

const CONFIG_TREE: TreeEntry[] = [
  { path: 'app/config/settings.json', content: '{\n  "listen": ":8080",\n  "debug": false\n}\n' },
  // An OCI whiteout: this layer deletes /etc/hostname from the layers below.
  { path: 'etc/.wh.hostname', content: '' },
];

/** Own one-file trees, so no other image shares these blobs and a cache by digest cannot mask them. */
const BAD_DIFF_TREE: TreeEntry[] = [{ path: 'etc/ociscope-case', content: 'baddiff: the config names another tar\n' }];
const LYING_TYPE_TREE: TreeEntry[] = [{ path: 'etc/ociscope-case', content: 'lyingtype: gzip bytes behind an uncompressed media type\n' }];

/**
 * Seeds everything. `storageDir` is the registry's filesystem root; without it the corrupt image
 * is pushed but left intact (`corrupt.tampered === false`).
 */
export async function seedRegistry(registry: string, options: { storageDir?: string } = {}): Promise<SeedResult> {
  const seeder = new Seeder(registry, `http://${registry}`);
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-seed-'));
  try {
    // The two heavy builds (a 2 MiB file; a 50 MB tar) run alongside the small images, not before.
    const [small, layered, manyEntries, hostile, compare, supply] = await Promise.all([
      // The artifacts refer to `single`, so they are pushed once it is there.
      seedSmallImages(seeder, workDir, options.storageDir).then(async (images) => ({
        ...images,
        artifacts: await seedArtifacts(`http://${registry}`, images.single),
      })),
      buildLayeredImageLayers(workDir).then(({ layers, files }) => seedLayered(seeder, layers, files)),
      buildManyEntriesLayer().then(({ layer, shape }) => seedManyEntries(seeder, layer, shape)),
      seedHostile(registry, `http://${registry}`),
      seedCompare(registry),
      seedSupply(`http://${registry}`, registry, workDir),
    ]);
    return { registry, ...small, layered, manyEntries, hostile, compare, supply };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function seedSmallImages(
  seeder: Seeder,
  workDir: string,
  storageDir: string | undefined,
): Promise<Omit<SeedResult, 'registry' | 'layered' | 'manyEntries' | 'hostile' | 'artifacts' | 'compare' | 'supply'>> {
  const [base, app, appConfig, badDiffLayer, lyingTypeLayer, ...platformLayers] = await Promise.all([
    buildLayer(workDir, 'base', BASE_TREE),
    buildLayer(workDir, 'app', APP_TREE),
    buildLayer(workDir, 'config', CONFIG_TREE),
    buildLayer(workDir, 'baddiff', BAD_DIFF_TREE),
    buildLayer(workDir, 'lyingtype', LYING_TYPE_TREE),
    ...PLATFORM_KEYS.map((key, i) => buildLayer(workDir, `platform-${i}`, [{ path: 'etc/ociscope-platform', content: `${key}\n` }])),
  ]);
  const platformLayerByKey = Object.fromEntries(PLATFORM_KEYS.map((key, i) => [key, platformLayers[i]!])) as Record<
    PlatformKey,
    BuiltLayer
  >;

  const [single, multi, dockerList, manyTags, corrupt, badDiff, lyingType, hundredsOfTags, referenceTypes] = await Promise.all([
    seedSingle(seeder, [base, app, appConfig]),
    seedMulti(seeder, base, platformLayerByKey),
    seedDockerList(seeder, base, platformLayerByKey),
    seedManyTags(seeder, base),
    seedCorrupt(seeder, base, storageDir),
    seedBadDiff(seeder, badDiffLayer, base),
    seedLyingType(seeder, lyingTypeLayer),
    seedHundredsOfTags(seeder, base),
    seedReferenceTypes(seeder, base),
  ]);
  return { single, multi, dockerList, manyTags, corrupt, badDiff, lyingType, hundredsOfTags, referenceTypes };
}

/** Pushes documents and turns them into the Seeded* records. */
class Seeder {
  /**
   * One upload per repository and blob: children of an index share layers and are pushed
   * concurrently, and two simultaneous uploads of one digest race inside distribution 2.8
   * (one commit can fail DIGEST_INVALID, or a manifest PUT sees the blob as unknown).
   */
  private readonly uploads = new Map<string, Promise<PushedContent>>();

  constructor(
    readonly registry: string,
    private readonly registryUrl: string,
  ) {}

  async blob(repo: string, bytes: Uint8Array<ArrayBuffer>, mediaType: string): Promise<SeededBlob> {
    const key = `${repo}@${sha256Digest(bytes)}`;
    let upload = this.uploads.get(key);
    if (!upload) {
      upload = pushBlob(this.registryUrl, repo, bytes);
      this.uploads.set(key, upload);
    }
    return { ...(await upload), mediaType };
  }

  async layers(repo: string, kind: 'oci' | 'docker', layers: readonly ImageLayer[]): Promise<SeededLayer[]> {
    return Promise.all(
      layers.map(async (layer) => ({
        ...(await this.blob(repo, layer.blob, layer.mediaType ?? layerMediaType(kind, layer.compression))),
        diffId: layer.diffId,
        uncompressedSize: layer.uncompressedSize,
        entries: layer.entries,
      })),
    );
  }

  manifest(repo: string, reference: string, mediaType: string, bytes: Uint8Array<ArrayBuffer>): Promise<PushedContent> {
    return pushManifest(this.registryUrl, repo, reference, mediaType, bytes);
  }

  /**
   * Pushes config + layers, then the image manifest under each of `tags`, or under its own
   * digest when `tags` is empty (children of an index).
   */
  async image(
    repo: string,
    tags: readonly string[],
    kind: 'oci' | 'docker',
    imageConfig: ImageConfig,
    layers: readonly ImageLayer[],
    annotations?: Record<string, string>,
  ): Promise<SeededManifest> {
    const types =
      kind === 'oci'
        ? { manifest: MediaTypes.ociManifest, config: MediaTypes.ociConfig }
        : { manifest: MediaTypes.dockerManifest, config: MediaTypes.dockerConfig };
    const [config, seededLayers] = await Promise.all([this.blob(repo, json(imageConfig), types.config), this.layers(repo, kind, layers)]);
    const document = {
      schemaVersion: 2,
      mediaType: types.manifest,
      config: descriptor(config),
      layers: seededLayers.map(descriptor),
      ...(annotations && { annotations }),
    };
    const bytes = manifestBytes(kind, document);
    const references = tags.length > 0 ? tags : [sha256Digest(bytes)];
    // Small batches: quick for manytags' 131 tags without opening a socket per tag at once.
    for (let i = 0; i < references.length; i += 16) {
      await Promise.all(references.slice(i, i + 16).map((ref) => this.manifest(repo, ref, types.manifest, bytes)));
    }
    return { repo, digest: sha256Digest(bytes), size: bytes.length, mediaType: types.manifest, config, layers: seededLayers };
  }

  async fetchBlob(repo: string, digest: string): Promise<Buffer> {
    const response = await fetch(`${this.registryUrl}/v2/${repo}/blobs/${digest}`);
    if (response.status !== 200) throw new Error(`GET blob ${digest} in ${repo}: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  ref(repo: string, tag: string): string {
    return `${this.registry}/${repo}:${tag}`;
  }
}

async function seedSingle(seeder: Seeder, [base, app, appConfig]: [BuiltLayer, BuiltLayer, BuiltLayer]): Promise<SeedResult['single']> {
  const repo = 'ociscope/single';
  const tag = 'v1';
  const imageConfig: ImageConfig = {
    created: SEED_TIME,
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/app'],
      Entrypoint: ['/app/start.sh'],
      Cmd: ['--serve', '--port=8080'],
      WorkingDir: '/app',
      ExposedPorts: { '8080/tcp': {} },
      Labels: { 'org.opencontainers.image.title': 'ociscope single', maintainer: 'ociscope e2e' },
    },
    rootfs: { type: 'layers', diff_ids: [base.diffId, app.diffId, appConfig.diffId] },
    // Five of the eight steps made no layer: history[i] is not layers[i], and the UI must
    // skip `empty_layer` entries to join them.
    history: [
      { created: SEED_TIME, created_by: '/bin/sh -c #(nop) ADD file:base.tar in / ' },
      { created: SEED_TIME, created_by: 'ENV APP_HOME=/app', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created: SEED_TIME, created_by: 'WORKDIR /app', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created: SEED_TIME, created_by: 'COPY app/ /app/ # buildkit', comment: 'buildkit.dockerfile.v0' },
      {
        created: SEED_TIME,
        created_by: 'LABEL org.opencontainers.image.title=ociscope single',
        comment: 'buildkit.dockerfile.v0',
        empty_layer: true,
      },
      {
        created: SEED_TIME,
        created_by: 'RUN /bin/sh -c rm /etc/hostname && mkdir -p /app/config # buildkit',
        comment: 'buildkit.dockerfile.v0',
      },
      { created: SEED_TIME, created_by: 'ENTRYPOINT ["/app/start.sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created: SEED_TIME, created_by: 'CMD ["--serve" "--port=8080"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    ],
  };
  const annotations = {
    'org.opencontainers.image.source': 'https://example.com/src',
    'org.opencontainers.image.created': SEED_TIME,
    'org.opencontainers.image.description': 'Single-platform OCI image seeded by the ociscope e2e suite',
    // A URL-ish key with a script URL: it must render as text, never as a link.
    'org.opencontainers.image.documentation': 'javascript:alert(1)',
  };
  const image = await seeder.image(repo, [tag], 'oci', imageConfig, [base, app, appConfig], annotations);
  return { ...image, tag, ref: seeder.ref(repo, tag), annotations, imageConfig };
}

function platformConfig(key: PlatformKey, base: BuiltLayer, platformLayer: BuiltLayer): ImageConfig {
  const { os, architecture, variant } = PLATFORMS[key];
  return {
    created: SEED_TIME,
    architecture,
    os,
    ...(variant && { variant }),
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: [base.diffId, platformLayer.diffId] },
    history: [
      { created: SEED_TIME, created_by: '/bin/sh -c #(nop) ADD file:base.tar in / ' },
      {
        created: SEED_TIME,
        created_by: `RUN /bin/sh -c echo ${key} > /etc/ociscope-platform # buildkit`,
        comment: 'buildkit.dockerfile.v0',
      },
      { created: SEED_TIME, created_by: 'CMD ["/bin/sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    ],
  };
}

/** Children of an index or list, pushed by digest so they exist before the index names them. */
async function seedPlatformChildren(
  seeder: Seeder,
  repo: string,
  kind: 'oci' | 'docker',
  base: BuiltLayer,
  platformLayers: Record<PlatformKey, BuiltLayer>,
): Promise<Record<PlatformKey, SeededManifest>> {
  const children = await Promise.all(
    PLATFORM_KEYS.map((key) => seeder.image(repo, [], kind, platformConfig(key, base, platformLayers[key]), [base, platformLayers[key]])),
  );
  return Object.fromEntries(PLATFORM_KEYS.map((key, i) => [key, children[i]!])) as Record<PlatformKey, SeededManifest>;
}

function platformDescriptor(manifest: SeededManifest, key: PlatformKey) {
  return { ...descriptor(manifest), platform: PLATFORMS[key] };
}

async function seedMulti(seeder: Seeder, base: BuiltLayer, platformLayers: Record<PlatformKey, BuiltLayer>): Promise<SeedResult['multi']> {
  const repo = 'ociscope/multi';
  const tag = 'v1';
  const platforms = await seedPlatformChildren(seeder, repo, 'oci', base, platformLayers);
  const attestation = await seedAttestation(seeder, repo, platforms['linux/amd64']);
  const index = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociIndex,
    manifests: [
      ...PLATFORM_KEYS.map((key) => platformDescriptor(platforms[key], key)),
      {
        ...descriptor(attestation),
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': attestation.subject,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      },
    ],
  };
  const pushed = await seeder.manifest(repo, tag, MediaTypes.ociIndex, manifestBytes('oci', index));
  return { repo, tag, ref: seeder.ref(repo, tag), ...pushed, mediaType: MediaTypes.ociIndex, platforms, attestation };
}

async function seedReferenceTypes(seeder: Seeder, base: BuiltLayer): Promise<SeedResult['referenceTypes']> {
  const repo = 'ociscope/reftypes';
  const tag = 'v1';
  const platform = await seeder.image(repo, [], 'oci', baseOnlyConfig(base, { 'ociscope.e2e.image': 'reftypes' }), [base]);
  const attestation = await seedAttestation(seeder, repo, platform);
  // Not BuildKit's type: what another builder might store about the image it built.
  const [emptyConfig, info] = await Promise.all([
    seeder.blob(repo, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json'),
    seeder.blob(repo, json({ builder: 'ociscope-e2e', steps: 3 }), 'application/json'),
  ]);
  const builderBytes = manifestBytes('oci', {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    artifactType: 'application/vnd.example.builder-info+json',
    config: descriptor(emptyConfig),
    layers: [descriptor(info)],
  });
  const builder = await seeder.manifest(repo, sha256Digest(builderBytes), MediaTypes.ociManifest, builderBytes);
  const about = (type: string) => ({
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.digest': platform.digest, 'vnd.docker.reference.type': type },
  });
  const index = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociIndex,
    manifests: [
      platformDescriptor(platform, 'linux/amd64'),
      { ...descriptor(attestation), ...about('attestation-manifest') },
      { ...descriptor({ ...builder, mediaType: MediaTypes.ociManifest }), ...about('builder') },
    ],
  };
  const pushed = await seeder.manifest(repo, tag, MediaTypes.ociIndex, manifestBytes('oci', index));
  return {
    repo,
    tag,
    ref: seeder.ref(repo, tag),
    digest: pushed.digest,
    platform: platform.digest,
    attestation: attestation.digest,
    builder: builder.digest,
  };
}

/** The shape BuildKit gives an SBOM attestation: an OCI manifest with one in-toto layer. */
async function seedAttestation(seeder: Seeder, repo: string, subject: SeededManifest): Promise<SeededAttestation> {
  const predicateType = 'https://spdx.dev/Document';
  const statement = json({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType,
    subject: [
      {
        name: 'pkg:docker/ociscope/multi@v1?platform=linux%2Famd64',
        digest: { sha256: subject.digest.slice('sha256:'.length) },
      },
    ],
    predicate: {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'ociscope/multi',
      creationInfo: { created: SEED_TIME, creators: ['Tool: ociscope-e2e-seed'] },
      packages: [{ name: 'ociscope-demo', SPDXID: 'SPDXRef-Package-ociscope-demo', versionInfo: '1.0.0', downloadLocation: 'NOASSERTION' }],
    },
  });
  const layer = await seeder.blob(repo, statement, MediaTypes.inTotoJson);
  // BuildKit's attestation config lists the statement's digest as the only diff_id.
  const config = await seeder.blob(
    repo,
    json({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
    MediaTypes.ociConfig,
  );
  const document = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: descriptor(config),
    layers: [{ ...descriptor(layer), annotations: { 'in-toto.io/predicate-type': predicateType } }],
  };
  const bytes = manifestBytes('oci', document);
  const pushed = await seeder.manifest(repo, sha256Digest(bytes), MediaTypes.ociManifest, bytes);
  return {
    repo,
    ...pushed,
    mediaType: MediaTypes.ociManifest,
    config,
    layers: [{ ...layer, diffId: layer.digest, uncompressedSize: layer.size, entries: [] }],
    subject: subject.digest,
    predicateType,
  };
}

async function seedDockerList(
  seeder: Seeder,
  base: BuiltLayer,
  platformLayers: Record<PlatformKey, BuiltLayer>,
): Promise<SeedResult['dockerList']> {
  const repo = 'ociscope/dockerlist';
  const tag = 'v1';
  const platforms = await seedPlatformChildren(seeder, repo, 'docker', base, platformLayers);
  const list = {
    schemaVersion: 2,
    mediaType: MediaTypes.dockerList,
    manifests: PLATFORM_KEYS.map((key) => platformDescriptor(platforms[key], key)),
  };
  const pushed = await seeder.manifest(repo, tag, MediaTypes.dockerList, manifestBytes('docker', list));
  return { repo, tag, ref: seeder.ref(repo, tag), ...pushed, mediaType: MediaTypes.dockerList, platforms };
}

async function seedManyTags(seeder: Seeder, base: BuiltLayer): Promise<SeedResult['manyTags']> {
  const repo = 'ociscope/manytags';
  const tag = 'latest';
  const numbered = Array.from({ length: MANY_TAGS_COUNT }, (_, i) => `t${String(i).padStart(3, '0')}`);
  const tags = [tag, ...numbered].sort();
  const image = await seeder.image(repo, tags, 'oci', baseOnlyConfig(base, { 'ociscope.e2e.image': 'manytags' }), [base]);
  return { ...image, tag, ref: seeder.ref(repo, tag), tags, count: tags.length };
}

async function seedHundredsOfTags(seeder: Seeder, base: BuiltLayer): Promise<SeedResult['hundredsOfTags']> {
  const repo = 'ociscope/tags300';
  const tags = Array.from({ length: 300 }, (_, i) => `r${String(i).padStart(3, '0')}`);
  const images = await Promise.all(
    [0, 1, 2].map(async (n) => {
      const created = `2024-0${n + 1}-15T12:00:00Z`;
      const imageTags = tags.filter((_, i) => i % 3 === n);
      const config = { ...baseOnlyConfig(base, { 'ociscope.e2e.image': `tags300-${n}` }), created };
      const image = await seeder.image(repo, imageTags, 'oci', config, [base]);
      return { digest: image.digest, created, tags: imageTags };
    }),
  );
  return { repo, tags, images };
}

/** A one-layer linux/amd64 config; the label keeps each such config (and its blob) distinct. */
function baseOnlyConfig(base: BuiltLayer, labels: Record<string, string>): ImageConfig {
  return {
    created: SEED_TIME,
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/bin/sh'], Labels: labels },
    rootfs: { type: 'layers', diff_ids: [base.diffId] },
    history: [{ created: SEED_TIME, created_by: '/bin/sh -c #(nop) ADD file:base.tar in / ' }],
  };
}

/**
 * The config blob is rewritten in place with bytes of the same length. Keeping the length means
 * Content-Length and the descriptor's size stay right and the JSON stays valid, so only a real
 * hash comparison can notice — a size check or a parse error would not give it away. The config
 * carries a label no other image has, so no other repository shares the tampered blob.
 */
async function seedCorrupt(seeder: Seeder, base: BuiltLayer, storageDir: string | undefined): Promise<SeedResult['corrupt']> {
  const repo = 'ociscope/corrupt';
  const tag = 'v1';
  const imageConfig = baseOnlyConfig(base, { 'ociscope.e2e.state': 'pristine' });
  const image = await seeder.image(repo, [tag], 'oci', imageConfig, [base]);
  const corruptedBlob = image.config.digest;
  if (storageDir !== undefined) {
    const tamperedBytes = Buffer.from(
      json(imageConfig).toString('utf8').replace('"ociscope.e2e.state":"pristine"', '"ociscope.e2e.state":"tampered"'),
    );
    await overwriteBlob(storageDir, corruptedBlob, tamperedBytes);
  }
  // Observed rather than assumed: proves the registry serves the rewritten bytes unchecked.
  const servedDigest = sha256Digest(await seeder.fetchBlob(repo, corruptedBlob));
  return { ...image, tag, ref: seeder.ref(repo, tag), corruptedBlob, servedDigest, tampered: servedDigest !== corruptedBlob };
}

async function seedLayered(
  seeder: Seeder,
  layers: [BuiltLayer, BuiltLayer, BuiltLayer],
  files: LayeredFiles,
): Promise<SeedResult['layered']> {
  const repo = 'ociscope/layers';
  const tag = 'v1';
  const imageConfig: ImageConfig = {
    created: SEED_TIME,
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/opt/app/bin/run.sh'],
      WorkingDir: '/opt/app',
    },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history: [
      { created: SEED_TIME, created_by: '/bin/sh -c #(nop) ADD file:rootfs.tar in / ' },
      {
        created: SEED_TIME,
        created_by: 'RUN /bin/sh -c rm /etc/hostname && rm -rf /var/cache/app && mkdir /var/cache/app && install-app /opt/app # buildkit',
        comment: 'buildkit.dockerfile.v0',
      },
      { created: SEED_TIME, created_by: 'WORKDIR /opt/app', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      {
        created: SEED_TIME,
        created_by: 'RUN /bin/sh -c rm -rf /usr/share/doc/ociscope/manual && configure-app # buildkit',
        comment: 'buildkit.dockerfile.v0',
      },
      { created: SEED_TIME, created_by: 'CMD ["/opt/app/bin/run.sh"]', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    ],
  };
  const image = await seeder.image(repo, [tag], 'oci', imageConfig, layers);
  return { ...image, tag, ref: seeder.ref(repo, tag), imageConfig, files };
}

/**
 * The wrong diff_id is a real one (another seeded tar's), so it looks plausible: only hashing
 * the decompressed stream exposes it. The blob itself is intact, so the digest check passes.
 */
async function seedBadDiff(seeder: Seeder, layer: BuiltLayer, other: BuiltLayer): Promise<SeedResult['badDiff']> {
  const repo = 'ociscope/baddiff';
  const tag = 'v1';
  const imageConfig: ImageConfig = {
    ...baseOnlyConfig(layer, { 'ociscope.e2e.image': 'baddiff' }),
    rootfs: { type: 'layers', diff_ids: [other.diffId] },
  };
  const image = await seeder.image(repo, [tag], 'oci', imageConfig, [layer]);
  return { ...image, tag, ref: seeder.ref(repo, tag), wrongDiffId: other.diffId, realDiffId: layer.diffId };
}

/** Registries do not look inside blobs, so nothing stops a descriptor from misnaming its compression. */
async function seedLyingType(seeder: Seeder, gzipLayer: BuiltLayer): Promise<SeedResult['lyingType']> {
  const repo = 'ociscope/lyingtype';
  const tag = 'v1';
  const declaredMediaType = MediaTypes.ociLayer;
  const imageConfig = baseOnlyConfig(gzipLayer, { 'ociscope.e2e.image': 'lyingtype' });
  const image = await seeder.image(repo, [tag], 'oci', imageConfig, [{ ...gzipLayer, mediaType: declaredMediaType }]);
  return { ...image, tag, ref: seeder.ref(repo, tag), declaredMediaType, actualCompression: gzipLayer.compression };
}

/** The entry list stays out of the result: 101,101 names would swell the state file to megabytes. */
async function seedManyEntries(seeder: Seeder, layer: BuiltLayer, shape: ManyEntriesShape): Promise<SeedResult['manyEntries']> {
  const repo = 'ociscope/many';
  const tag = 'v1';
  const image = await seeder.image(repo, [tag], 'oci', baseOnlyConfig(layer, { 'ociscope.e2e.image': 'many' }), [layer]);
  const layers = image.layers.map(({ entries, ...summary }) => ({ ...summary, entryCount: entries.length }));
  return { ...image, layers, tag, ref: seeder.ref(repo, tag), shape };
}

/** Replaces a blob's bytes in the filesystem driver's layout, refusing if the layout surprises us. */
async function overwriteBlob(storageDir: string, digest: string, bytes: Buffer): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const dataPath = join(storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  const current = await readFile(dataPath);
  if (sha256Digest(current) !== digest || current.length !== bytes.length) {
    throw new Error(`refusing to overwrite ${dataPath}: it does not hold ${digest}, or the new bytes differ in length`);
  }
  await writeFile(dataPath, bytes);
}

function layerMediaType(kind: 'oci' | 'docker', compression: Compression): string {
  if (kind === 'oci') return OCI_LAYER_MEDIA_TYPES[compression];
  if (compression === 'gzip') return MediaTypes.dockerLayerGzip;
  throw new Error(`Docker schema 2 has no media type for a ${compression} layer`);
}

function descriptor(content: { mediaType: string; digest: string; size: number }) {
  return { mediaType: content.mediaType, digest: content.digest, size: content.size };
}

function json(value: unknown): Buffer<ArrayBuffer> {
  return Buffer.from(JSON.stringify(value));
}

/**
 * Indented like the tools that write these formats (BuildKit: 2 spaces, Docker's distribution
 * library: 3). It also means any client that re-serialises JSON before hashing gets a mismatch.
 */
function manifestBytes(kind: 'oci' | 'docker', document: unknown): Buffer<ArrayBuffer> {
  return Buffer.from(JSON.stringify(document, null, kind === 'oci' ? 2 : 3));
}

async function main(args: string[]): Promise<void> {
  const [host, storageDir] = args;
  if (host !== undefined) {
    if (storageDir === undefined) {
      process.stderr.write('seed: no storage root given, so ociscope/corrupt:v1 is left intact\n');
    }
    process.stdout.write(`${JSON.stringify(await seedRegistry(host, { storageDir }), null, 2)}\n`);
    return;
  }
  const registry = await startRegistry();
  // ^C reaches us twice (from the terminal and relayed by tsx); the second must not cut the
  // first one's cleanup short, so the handlers stay installed and stopping happens once.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= registry.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify(await seedRegistry(registry.host, { storageDir: registry.storageDir }), null, 2)}\n`);
  process.stderr.write(
    `seed: registry on ${registry.url} (storage ${registry.storageDir}); ^C stops it.\n` +
      `      serve the app with OCISCOPE_ALLOW_HOSTS=${registry.host} npm run serve\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
