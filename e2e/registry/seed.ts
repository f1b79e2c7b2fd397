/**
 * Seeds a registry with the images the e2e suite browses, all built here from scratch: real GNU
 * tar + gzip layers, real image configs, and manifests in both OCI and Docker media types
 * (DESIGN.md "Tests that count"). Content is deterministic (fixed mtimes, `gzip -n`, fixed
 * timestamps, no host names inside documents), so digests only change when this file does.
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
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runToCompletion } from '../support/processes.ts';
import { startRegistry } from './registry-server.ts';
import { pushBlob, pushManifest, sha256Digest, type PushedContent } from './push.ts';

export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
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
  /** sha256 of the uncompressed tar; equals the config's `rootfs.diff_ids[i]`. */
  diffId: string;
  /** Entry names exactly as `tar --list` prints them, in archive order (directories end in `/`). */
  entries: string[];
}

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
  /** A manifest whose config blob was rewritten on disk after the push (same length). */
  corrupt: SeededTaggedImage & {
    /** The digest the manifest names for the tampered blob (it is the config). */
    corruptedBlob: string;
    /** sha256 of the bytes the registry now serves for `corruptedBlob`. */
    servedDigest: string;
    /** `servedDigest !== corruptedBlob`; false only when the CLI was not given the storage root. */
    tampered: boolean;
  };
}

/** 2024-01-02T03:04:05Z: every timestamp in the seeded content. */
const SEED_EPOCH = 1_704_164_645;
const SEED_TIME = new Date(SEED_EPOCH * 1000).toISOString().replace('.000', '');

/** Numbered tags besides `latest`: several pages for any registry that honours `n` below 131. */
const MANY_TAGS_COUNT = 130;

type TreeEntry =
  | { path: string; text: string; executable?: true }
  | { path: string; symlink: string }
  | { path: string; directory: true };

interface BuiltLayer {
  gzip: Buffer<ArrayBuffer>;
  digest: string;
  size: number;
  diffId: string;
  entries: string[];
}

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
  { path: 'etc/os-release', text: 'NAME="ociscope test rootfs"\nID=ociscope\nVERSION_ID=1\n' },
  { path: 'etc/hostname', text: 'ociscope\n' },
  // Dangling on purpose: the browser shows the target, it never resolves it.
  { path: 'etc/localtime', symlink: '/usr/share/zoneinfo/UTC' },
  { path: 'usr/share/doc/ociscope/README', text: 'Base layer of the ociscope e2e images.\n' },
  { path: 'tmp', directory: true },
];

const APP_TREE: TreeEntry[] = [
  { path: 'app/README.md', text: '# demo app\n\nServes nothing; exists to be browsed.\n' },
  { path: 'app/start.sh', text: '#!/bin/sh\nexec echo "started with $*"\n', executable: true },
  { path: 'app/bin/start', symlink: '../start.sh' },
  { path: 'app/lib/deep/nested/module.txt', text: 'three directories down\n' },
  // Over 100 bytes of path: GNU tar writes a ././@LongLink record a tar reader must honour.
  {
    path: 'app/lib/deep/nested/a-file-name-long-enough-that-ustar-cannot-hold-it-so-gnu-tar-writes-a-longlink-record.txt',
    text: 'long name\n',
  },
];

const CONFIG_TREE: TreeEntry[] = [
  { path: 'app/config/settings.json', text: '{\n  "listen": ":8080",\n  "debug": false\n}\n' },
  // An OCI whiteout: this layer deletes /etc/hostname from the layers below.
  { path: 'etc/.wh.hostname', text: '' },
];

/**
 * Seeds everything. `storageDir` is the registry's filesystem root; without it the corrupt image
 * is pushed but left intact (`corrupt.tampered === false`).
 */
export async function seedRegistry(registry: string, options: { storageDir?: string } = {}): Promise<SeedResult> {
  const registryUrl = `http://${registry}`;
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-seed-'));
  try {
    const [base, app, appConfig, ...platformLayers] = await Promise.all([
      buildLayer(workDir, 'base', BASE_TREE),
      buildLayer(workDir, 'app', APP_TREE),
      buildLayer(workDir, 'config', CONFIG_TREE),
      ...PLATFORM_KEYS.map((key, i) =>
        buildLayer(workDir, `platform-${i}`, [{ path: 'etc/ociscope-platform', text: `${key}\n` }]),
      ),
    ]);
    const seeder = new Seeder(registry, registryUrl);
    const platformLayerByKey = Object.fromEntries(
      PLATFORM_KEYS.map((key, i) => [key, platformLayers[i]!]),
    ) as Record<PlatformKey, BuiltLayer>;

    const [single, multi, dockerList, manyTags, corrupt] = await Promise.all([
      seedSingle(seeder, [base!, app!, appConfig!]),
      seedMulti(seeder, base!, platformLayerByKey),
      seedDockerList(seeder, base!, platformLayerByKey),
      seedManyTags(seeder, base!),
      seedCorrupt(seeder, base!, options.storageDir),
    ]);
    return { registry, single, multi, dockerList, manyTags, corrupt };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
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

  async layers(repo: string, layers: BuiltLayer[], mediaType: string): Promise<SeededLayer[]> {
    return Promise.all(
      layers.map(async (layer) => ({
        ...(await this.blob(repo, layer.gzip, mediaType)),
        diffId: layer.diffId,
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
    layers: BuiltLayer[],
    annotations?: Record<string, string>,
  ): Promise<SeededManifest> {
    const types =
      kind === 'oci'
        ? { manifest: MediaTypes.ociManifest, config: MediaTypes.ociConfig, layer: MediaTypes.ociLayerGzip }
        : { manifest: MediaTypes.dockerManifest, config: MediaTypes.dockerConfig, layer: MediaTypes.dockerLayerGzip };
    const [config, seededLayers] = await Promise.all([
      this.blob(repo, json(imageConfig), types.config),
      this.layers(repo, layers, types.layer),
    ]);
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

async function seedSingle(
  seeder: Seeder,
  [base, app, appConfig]: [BuiltLayer, BuiltLayer, BuiltLayer],
): Promise<SeedResult['single']> {
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
      { created: SEED_TIME, created_by: 'LABEL org.opencontainers.image.title=ociscope single', comment: 'buildkit.dockerfile.v0', empty_layer: true },
      { created: SEED_TIME, created_by: 'RUN /bin/sh -c rm /etc/hostname && mkdir -p /app/config # buildkit', comment: 'buildkit.dockerfile.v0' },
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
      { created: SEED_TIME, created_by: `RUN /bin/sh -c echo ${key} > /etc/ociscope-platform # buildkit`, comment: 'buildkit.dockerfile.v0' },
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
    PLATFORM_KEYS.map((key) =>
      seeder.image(repo, [], kind, platformConfig(key, base, platformLayers[key]), [base, platformLayers[key]]),
    ),
  );
  return Object.fromEntries(PLATFORM_KEYS.map((key, i) => [key, children[i]!])) as Record<PlatformKey, SeededManifest>;
}

function platformDescriptor(manifest: SeededManifest, key: PlatformKey) {
  return { ...descriptor(manifest), platform: PLATFORMS[key] };
}

async function seedMulti(
  seeder: Seeder,
  base: BuiltLayer,
  platformLayers: Record<PlatformKey, BuiltLayer>,
): Promise<SeedResult['multi']> {
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
      packages: [
        { name: 'ociscope-demo', SPDXID: 'SPDXRef-Package-ociscope-demo', versionInfo: '1.0.0', downloadLocation: 'NOASSERTION' },
      ],
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
    layers: [{ ...layer, diffId: layer.digest, entries: [] }],
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
async function seedCorrupt(
  seeder: Seeder,
  base: BuiltLayer,
  storageDir: string | undefined,
): Promise<SeedResult['corrupt']> {
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

/** Writes `tree` to a fresh directory and archives it with GNU tar, then gzip. */
async function buildLayer(workDir: string, name: string, tree: TreeEntry[]): Promise<BuiltLayer> {
  const root = join(workDir, name);
  for (const entry of tree) {
    const target = join(root, entry.path);
    if ('directory' in entry) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    if ('symlink' in entry) await symlink(entry.symlink, target);
    else await writeFile(target, entry.text, { mode: entry.executable ? 0o755 : 0o644 });
  }
  const topLevel = [...new Set(tree.map((entry) => entry.path.split('/')[0]!))].sort();
  const env = { ...process.env, LC_ALL: 'C' };
  const tar = await runToCompletion(
    'tar',
    [
      '--create',
      '--format=gnu',
      '--sort=name',
      `--mtime=@${SEED_EPOCH}`,
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      // Independent of the umask of whoever runs the suite.
      '--mode=u+rw,go+r,go-w',
      `--directory=${root}`,
      '--file=-',
      ...topLevel,
    ],
    { env },
  );
  const [gzip, listing] = await Promise.all([
    runToCompletion('gzip', ['-n', '-c'], { input: tar }),
    runToCompletion('tar', ['--list', '--file=-'], { input: tar, env }),
  ]);
  return {
    gzip,
    digest: sha256Digest(gzip),
    size: gzip.length,
    diffId: sha256Digest(tar),
    entries: listing.toString('utf8').split('\n').filter(Boolean),
  };
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
