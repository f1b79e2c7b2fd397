/**
 * Images for e2e/compare.spec.ts (issue 10), one per question the seed articles ask by hand:
 * - `compare:base` and `compare:derived`: a base image and one built on it — the same base
 *   layer, plus a layer that adds a file and rewrites another with bytes of the same length, so
 *   only a per-file content hash can tell the edit apart from no change;
 * - `compress:gzip`, `compress:zstd`, `compress:tar`: the derived image's tars compressed three
 *   ways — same config, same diff_ids, other layer digests (seed 000's "different digest");
 * - `compare:derived-v2s2`: the derived image copied by skopeo with `--format v2s2`, the real
 *   tool's idea of the Docker v2.2 form of an OCI image (seed 003);
 * - `compare-index:v1` and `:v2`: two indexes of linux/amd64 and linux/arm64 where only arm64
 *   was rebuilt.
 * Layers come from GNU tar, gzip and zstd (tar-layer.ts); content is deterministic, so digests
 * change only when this file does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToCompletion } from '../support/processes.ts';
import { skopeoRaw } from '../support/skopeo.ts';
import { pushBlob, pushManifest } from './push.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';
import { SEED_TIME, buildLayer, layerFromTar, type BuiltLayer, type Compression, type TreeEntry } from './tar-layer.ts';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER_TYPES: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

/** The file the derived image rewrites, and both versions: equal lengths, other bytes. */
export const EDITED_FILE = { path: 'etc/app.conf', before: 'mode=prod\n', after: 'mode=test\n' } as const;
/** The file only the derived image has. */
export const ADDED_FILE = { path: 'srv/added.txt', content: 'added by the derived image\n' } as const;

const BASE_TREE: TreeEntry[] = [
  { path: 'etc/os-release', content: 'NAME="ociscope compare base"\nID=ociscope\n' },
  { path: EDITED_FILE.path, content: EDITED_FILE.before },
  { path: 'usr/bin/tool', content: '#!/bin/sh\necho tool\n', mode: 0o755 },
  { path: 'usr/share/doc/compare/README', content: 'The base layer of the comparison images.\n' },
];

const TOP_TREE: TreeEntry[] = [
  { path: EDITED_FILE.path, content: EDITED_FILE.after },
  { path: ADDED_FILE.path, content: ADDED_FILE.content },
];

export interface CompareImage {
  repo: string;
  tag: string;
  /** `<registry>/<repo>:<tag>`, ready for `/?image=` and `/?compare=`. */
  ref: string;
  digest: string;
  mediaType: string;
  layers: { digest: string; mediaType: string; size: number; diffId: string }[];
  config: { digest: string; mediaType: string };
}

export interface CompareSeed {
  base: CompareImage;
  derived: CompareImage;
  /** The derived image as skopeo writes it with `--format v2s2`. */
  dockerCopy: CompareImage;
  /** The derived image's two tars as gzip, zstd and uncompressed layers. */
  compressed: Record<Compression, CompareImage>;
  /** Two indexes: linux/amd64 the same manifest in both, linux/arm64 rebuilt in v2. */
  indexes: { v1: CompareImage & { platforms: Record<string, string> }; v2: CompareImage & { platforms: Record<string, string> } };
}

const json = (value: unknown): Buffer<ArrayBuffer> => Buffer.from(JSON.stringify(value, null, 2));

function imageConfig(architecture: string, layers: readonly BuiltLayer[], createdBy: string[]) {
  return {
    created: SEED_TIME,
    architecture,
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/usr/bin/tool'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: createdBy.map((step) => ({ created: SEED_TIME, created_by: step })),
  };
}

class ComparePusher {
  constructor(
    private readonly registry: string,
    private readonly url: string,
  ) {}

  async image(repo: string, tag: string, config: object, layers: readonly BuiltLayer[]): Promise<CompareImage> {
    const configBytes = json(config);
    const [pushedConfig, ...pushedLayers] = await Promise.all([
      pushBlob(this.url, repo, configBytes),
      ...layers.map((l) => pushBlob(this.url, repo, l.blob)),
    ]);
    const document = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, ...pushedConfig! },
      layers: layers.map((l, i) => ({ mediaType: LAYER_TYPES[l.compression], ...pushedLayers[i]! })),
    };
    const bytes = json(document);
    await pushManifest(this.url, repo, tag, OCI_MANIFEST, bytes);
    return {
      repo,
      tag,
      ref: `${this.registry}/${repo}:${tag}`,
      digest: sha256Digest(bytes),
      mediaType: OCI_MANIFEST,
      layers: layers.map((l, i) => ({ ...pushedLayers[i]!, mediaType: LAYER_TYPES[l.compression], diffId: l.diffId })),
      config: { digest: pushedConfig!.digest, mediaType: OCI_CONFIG },
    };
  }

  async index(
    repo: string,
    tag: string,
    platforms: Record<string, CompareImage>,
  ): Promise<CompareImage & { platforms: Record<string, string> }> {
    const manifests = Object.entries(platforms).map(([architecture, image]) => ({
      mediaType: image.mediaType,
      digest: image.digest,
      size: 0,
      platform: { architecture, os: 'linux' },
    }));
    // Sizes from the registry's own bytes: the children were pushed by digest just before.
    for (const entry of manifests) {
      const response = await fetch(`${this.url}/v2/${repo}/manifests/${entry.digest}`, { headers: { Accept: OCI_MANIFEST } });
      entry.size = (await response.arrayBuffer()).byteLength;
    }
    const bytes = json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
    await pushManifest(this.url, repo, tag, OCI_INDEX, bytes);
    return {
      repo,
      tag,
      ref: `${this.registry}/${repo}:${tag}`,
      digest: sha256Digest(bytes),
      mediaType: OCI_INDEX,
      layers: [],
      config: { digest: '', mediaType: '' },
      platforms: Object.fromEntries(Object.entries(platforms).map(([arch, image]) => [`linux/${arch}`, image.digest])),
    };
  }

  /** `skopeo copy --format v2s2`, then what the registry now serves for the copy. */
  async dockerCopy(from: CompareImage, tag: string): Promise<CompareImage> {
    const target = `${this.registry}/${from.repo}:${tag}`;
    await runToCompletion('skopeo', [
      'copy',
      '--quiet',
      '--insecure-policy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--format',
      'v2s2',
      `docker://${from.ref}`,
      `docker://${target}`,
    ]);
    const raw = await skopeoRaw(target);
    const document = JSON.parse(raw.toString('utf8')) as {
      mediaType: string;
      config: { digest: string; mediaType: string };
      layers: { digest: string; mediaType: string; size: number }[];
    };
    return {
      repo: from.repo,
      tag,
      ref: target,
      digest: sha256Digest(raw),
      mediaType: document.mediaType,
      layers: document.layers.map((l, i) => ({ ...l, diffId: from.layers[i]!.diffId })),
      config: document.config,
    };
  }
}

export async function seedCompare(registry: string): Promise<CompareSeed> {
  const pusher = new ComparePusher(registry, `http://${registry}`);
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-compare-seed-'));
  try {
    const [baseTar, topTar, amd64, arm64v1, arm64v2] = await Promise.all([
      buildLayer(workDir, 'base', BASE_TREE, { compression: 'none' }),
      buildLayer(workDir, 'top', TOP_TREE, { compression: 'none' }),
      buildLayer(workDir, 'amd64', [{ path: 'etc/platform', content: 'amd64 build 1\n' }]),
      buildLayer(workDir, 'arm64-1', [{ path: 'etc/platform', content: 'arm64 build 1\n' }]),
      buildLayer(workDir, 'arm64-2', [{ path: 'etc/platform', content: 'arm64 build 2, rebuilt\n' }]),
    ]);
    const compressions = ['gzip', 'zstd', 'none'] as const;
    const [baseLayers, topLayers] = await Promise.all(
      [baseTar, topTar].map((tar) => Promise.all(compressions.map((c) => (c === 'none' ? tar : layerFromTar(tar.blob, c))))),
    );
    const [baseGzip, topGzip] = [baseLayers![0]!, topLayers![0]!];
    const steps = ['/bin/sh -c #(nop) ADD file:base.tar in / ', 'RUN /bin/sh -c configure --test && add-file # buildkit'];

    const base = await pusher.image('ociscope/compare', 'base', imageConfig('amd64', [baseGzip], steps.slice(0, 1)), [baseGzip]);
    const derived = await pusher.image('ociscope/compare', 'derived', imageConfig('amd64', [baseGzip, topGzip], steps), [
      baseGzip,
      topGzip,
    ]);
    const compressed = Object.fromEntries(
      await Promise.all(
        compressions.map(async (c, i) => {
          const layers = [baseLayers![i]!, topLayers![i]!];
          return [
            c,
            await pusher.image('ociscope/compress', c === 'none' ? 'tar' : c, imageConfig('amd64', layers, steps), layers),
          ] as const;
        }),
      ),
    ) as Record<Compression, CompareImage>;
    const dockerCopy = await pusher.dockerCopy(derived, 'derived-v2s2');

    const platformImage = (arch: string, layer: BuiltLayer) =>
      pusher.image('ociscope/compare-index', `${arch}-${layer.digest.slice(7, 19)}`, imageConfig(arch, [baseGzip, layer], steps), [
        baseGzip,
        layer,
      ]);
    const [amd, armOld, armNew] = await Promise.all([
      platformImage('amd64', amd64),
      platformImage('arm64', arm64v1),
      platformImage('arm64', arm64v2),
    ]);
    const v1 = await pusher.index('ociscope/compare-index', 'v1', { amd64: amd, arm64: armOld });
    const v2 = await pusher.index('ociscope/compare-index', 'v2', { amd64: amd, arm64: armNew });
    return { base, derived, dockerCopy, compressed, indexes: { v1, v2 } };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
