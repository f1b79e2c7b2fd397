import { describe, expect, it } from 'vitest';
import { type ImageManifest, readRegistryDocument } from '../spec/manifest';
import { compressionName, pairLayers } from './layer-diff';
import { diffManifests } from './manifest-diff';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_TAR = 'application/vnd.oci.image.layer.v1.tar';
const OCI_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

function manifest(json: object): ImageManifest {
  const doc = readRegistryDocument(json, undefined);
  if (doc.kind !== 'manifest') throw new Error('not a manifest');
  return doc;
}

const d = (c: string) => `sha256:${c.repeat(64)}`;
const layer = (mediaType: string, digest: string, size: number) => ({ mediaType, digest, size });

// Seed 000, "Different digest": the image as built locally (uncompressed layers) and as quay.io
// stores it after the push (gzip), digests from the article.
const CONFIG = { mediaType: OCI_CONFIG, digest: 'sha256:f89495e3e0be655cdd4abc0048fbd3974658e9c07296ff4cdcf5e4e3226edc41', size: 4236 };
const DIFF_IDS = [
  'sha256:e54dc53d0edbbc96d3307fdea7bc1ed433d9083a1aab033dc3b38fd8b4fb165a',
  'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
];
const local = manifest({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: CONFIG,
  layers: [layer(OCI_TAR, DIFF_IDS[0]!, 26090496), layer(OCI_TAR, DIFF_IDS[1]!, 1024)],
  annotations: {
    'org.opencontainers.image.base.digest': 'sha256:18a01cb5c53560ca2295e8a218454fe33b330ad6fac0d0ea43a513cd93787b7f',
    'org.opencontainers.image.base.name': 'registry.access.redhat.com/ubi9/ubi-micro:latest',
  },
});
const pushed = manifest({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: CONFIG,
  layers: [
    layer(OCI_GZIP, 'sha256:940034fae708a1fe0ee6ff6929fffd48c235a6da185812ea4b31bab58815b6cf', 7676536),
    layer(OCI_GZIP, 'sha256:bd9ddc54bea929a22b334e73e026d4136e5b73f5cc29942896c72e4ece69b13d', 34),
  ],
  annotations: {
    'org.opencontainers.image.base.digest': 'sha256:18a01cb5c53560ca2295e8a218454fe33b330ad6fac0d0ea43a513cd93787b7f',
    'org.opencontainers.image.base.name': 'registry.access.redhat.com/ubi9/ubi-micro:latest',
  },
});

describe('diffManifests: the same image before and after a push that compressed it', () => {
  const diff = diffManifests({ manifest: local, diffIds: DIFF_IDS }, { manifest: pushed, diffIds: DIFF_IDS });

  it('calls every layer recompressed, saying which compression each side uses', () => {
    expect(diff.layers.map((p) => [p.status, p.a?.compression, p.b?.compression, p.a?.diffId])).toEqual([
      ['recompressed', 'none', 'gzip', DIFF_IDS[0]],
      ['recompressed', 'none', 'gzip', DIFF_IDS[1]],
    ]);
    expect(diff.layers[0]!.a?.compressionSource).toBe('media type');
    expect(diff.layers[0]!.sizeDelta).toBe(7676536 - 26090496);
    expect(diff.layerCounts).toEqual({ shared: 0, recompressed: 2, 'only-a': 0, 'only-b': 0 });
    expect(compressionName('none')).toBe('uncompressed tar');
  });

  it('shares the config, keeps the annotations, and shows the layer media types side by side', () => {
    expect(diff.config.status).toBe('same');
    expect(diff.annotations.every((c) => c.status === 'same')).toBe(true);
    expect(diff.mediaTypes).toEqual([
      { part: 'manifest', a: [OCI_MANIFEST], b: [OCI_MANIFEST], same: true },
      { part: 'config', a: [OCI_CONFIG], b: [OCI_CONFIG], same: true },
      { part: 'layers', a: [OCI_TAR], b: [OCI_GZIP], same: false },
    ]);
  });

  it('totals the sizes and their delta', () => {
    expect(diff.sizes.a).toEqual({ config: 4236, layers: 26091520, total: 26095756 });
    expect(diff.sizes.b.total).toBe(4236 + 7676570);
    expect(diff.sizes.delta).toBe(7676570 - 26091520);
    expect(diff.sharedBytes).toBe(0);
  });

  it('without diff_ids cannot tell recompression from change, and says so', () => {
    const blind = diffManifests({ manifest: local }, { manifest: pushed, diffIds: DIFF_IDS });
    expect(blind.diffIdsKnown).toEqual({ a: false, b: true });
    expect(blind.layers.map((p) => p.status)).toEqual(['only-a', 'only-a', 'only-b', 'only-b']);
  });

  it('trusts what a layer pass saw in the bytes over the media type', () => {
    const observed = new Map([[pushed.layers[0]!.digest, { compression: 'zstd' as const, diffId: DIFF_IDS[0]! }]]);
    const seen = diffManifests({ manifest: local, diffIds: DIFF_IDS }, { manifest: pushed, observed });
    expect(seen.layers[0]!.b).toMatchObject({ compression: 'zstd', compressionSource: 'bytes', diffIdSource: 'pass' });
    // Without a config or a pass for it, B's second layer is only B's.
    expect(seen.layers.map((p) => p.status)).toEqual(['recompressed', 'only-a', 'only-b']);
  });
});

describe('diffManifests: an OCI image and its Docker v2.2 copy (skopeo copy --format v2s2)', () => {
  const oci = manifest({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: d('c'), size: 1497 },
    layers: [layer(OCI_GZIP, d('1'), 755724)],
    annotations: { 'org.opencontainers.image.created': '2024-01-02T03:04:05Z' },
  });
  const docker = manifest({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: DOCKER_CONFIG, digest: d('c'), size: 1497 },
    layers: [layer(DOCKER_GZIP, d('1'), 755724)],
  });
  const diff = diffManifests({ manifest: oci }, { manifest: docker });

  it('shares the blobs by digest while every media type differs, and drops the annotations', () => {
    expect(diff.layers.map((p) => [p.status, p.mediaTypeChanged])).toEqual([['shared', true]]);
    expect(diff.config).toMatchObject({ status: 'same', mediaTypeChanged: true });
    expect(diff.mediaTypes.map((row) => [row.part, row.same])).toEqual([
      ['manifest', false],
      ['config', false],
      ['layers', false],
    ]);
    expect(diff.annotations).toEqual([{ key: 'org.opencontainers.image.created', status: 'removed', a: '2024-01-02T03:04:05Z' }]);
    expect(diff.sharedBytes).toBe(755724);
    expect(diff.sizes.delta).toBe(0);
  });
});

describe('pairLayers', () => {
  const desc = (digest: string, mediaType = OCI_GZIP) => ({ mediaType, digest, size: 10, digestValid: true });

  it('puts a derived image’s own layers after the base layers they sit on', () => {
    const pairs = pairLayers({ layers: [desc(d('1')), desc(d('2'))] }, { layers: [desc(d('1')), desc(d('2')), desc(d('3'))] });
    expect(pairs.map((p) => [p.status, p.a?.index, p.b?.index])).toEqual([
      ['shared', 0, 0],
      ['shared', 1, 1],
      ['only-b', undefined, 2],
    ]);
  });

  it('places B’s new layer between the base layers it was inserted between', () => {
    const pairs = pairLayers(
      { layers: [desc(d('1')), desc(d('2')), desc(d('4'))] },
      { layers: [desc(d('1')), desc(d('3')), desc(d('4'))] },
    );
    expect(pairs.map((p) => [p.status, p.a?.index, p.b?.index])).toEqual([
      ['shared', 0, 0],
      ['only-a', 1, undefined],
      ['only-b', undefined, 1],
      ['shared', 2, 2],
    ]);
  });

  it('pairs a repeated layer one to one and notices one that moved', () => {
    const empty = d('e');
    const pairs = pairLayers({ layers: [desc(empty), desc(d('1')), desc(empty)] }, { layers: [desc(d('1')), desc(empty)] });
    expect(pairs.map((p) => [p.status, p.a?.index, p.b?.index, p.moved])).toEqual([
      ['shared', 0, 1, true],
      ['shared', 1, 0, true],
      ['only-a', 2, undefined, false],
    ]);
  });

  it('recognises the same tar as gzip, zstd and plain tar by its diff_id', () => {
    const tar = d('9');
    const gzip = { layers: [desc(d('a'), OCI_GZIP)], diffIds: [tar] };
    const zstd = { layers: [desc(d('b'), OCI_ZSTD)], diffIds: [tar] };
    const plain = { layers: [desc(tar, OCI_TAR)], diffIds: [tar] };
    expect(pairLayers(gzip, zstd).map((p) => [p.status, p.a?.compression, p.b?.compression])).toEqual([['recompressed', 'gzip', 'zstd']]);
    expect(pairLayers(zstd, plain).map((p) => [p.status, p.a?.compression, p.b?.compression])).toEqual([['recompressed', 'zstd', 'none']]);
  });

  it('ignores diff_ids that do not list one per layer: the positional join cannot be trusted', () => {
    const pairs = pairLayers({ layers: [desc(d('a'))], diffIds: [d('9'), d('8')] }, { layers: [desc(d('b'))], diffIds: [d('9')] });
    expect(pairs.map((p) => p.status)).toEqual(['only-a', 'only-b']);
  });
});
