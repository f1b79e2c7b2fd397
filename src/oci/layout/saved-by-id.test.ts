import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from '../spec/media-types';
import { sha256Digest } from '../../test-support/digest';
import { openLayoutFromFiles } from './oci-layout';

// Docker 25's `docker save <image id>`: an OCI layout whose index.json says "manifests": null,
// with a manifest.json naming the config and layers as blobs/sha256/<hex>.

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const hex = (b: Uint8Array) => sha256Digest(b).slice('sha256:'.length);

function savedById({ withManifestBlob }: { withManifestBlob: boolean }) {
  const layer = new Uint8Array(gzipSync(Buffer.from('not really a tar, but gzip bytes')));
  const config = bytes({
    architecture: 'amd64',
    os: 'linux',
    created: '2024-02-02T00:00:00Z',
    rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] },
  });
  const manifest = bytes({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: OCI_LAYER_GZIP, digest: sha256Digest(layer), size: layer.length }],
  });
  const stray = bytes({ note: 'left behind by some tool' });
  const files: Record<string, Uint8Array<ArrayBuffer>> = {
    'oci-layout': bytes('{"imageLayoutVersion":"1.0.0"}'),
    'index.json': bytes({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: null }),
    'manifest.json': bytes([{ Config: `blobs/sha256/${hex(config)}`, RepoTags: null, Layers: [`blobs/sha256/${hex(layer)}`] }]),
    [`blobs/sha256/${hex(config)}`]: config,
    [`blobs/sha256/${hex(layer)}`]: layer,
    [`blobs/sha256/${hex(stray)}`]: stray,
  };
  if (withManifestBlob) files[`blobs/sha256/${hex(manifest)}`] = manifest;
  const picked = Object.entries(files).map(([path, content]) => ({ path: `save/${path}`, file: new Blob([content]) }));
  return { picked, layer, config, manifest, stray };
}

describe('a docker save of an image saved by ID ("manifests": null)', () => {
  it('opens through manifest.json, serving the OCI manifest the blobs hold', async () => {
    const sample = savedById({ withManifestBlob: true });
    const layout = await openLayoutFromFiles(sample.picked, 'save');
    expect(layout.format).toBe('oci-layout');
    expect(layout.notes).toEqual([expect.stringContaining('"manifests": null')]);
    expect(layout.entries).toEqual([
      expect.objectContaining({
        digest: sha256Digest(sample.manifest),
        mediaType: OCI_MANIFEST,
        platform: 'linux/amd64',
        tags: ['image-1'],
        present: true,
      }),
    ]);
    expect(layout.tags.get('image-1')).toBe(sha256Digest(sample.manifest));
    expect(layout.mediaTypes.get(sha256Digest(sample.layer))).toBe(OCI_LAYER_GZIP);
    expect(layout.problems).toEqual([]);
  });

  it('lists every blob index.json does not reach with what its bytes are', async () => {
    const sample = savedById({ withManifestBlob: true });
    const layout = await openLayoutFromFiles(sample.picked, 'save');
    const described = Object.fromEntries(
      layout.unreached.map((b) => [b.digest, { kind: b.target.kind, viaManifestJson: b.viaManifestJson }]),
    );
    expect(described).toEqual({
      [sha256Digest(sample.manifest)]: { kind: 'manifest', viaManifestJson: true },
      [sha256Digest(sample.config)]: { kind: 'config', viaManifestJson: true },
      [sha256Digest(sample.layer)]: { kind: 'layer', viaManifestJson: true },
      [sha256Digest(sample.stray)]: { kind: 'document', viaManifestJson: false },
    });
  });

  it('synthesizes a manifest, as for a docker-archive, when the blobs hold none', async () => {
    const sample = savedById({ withManifestBlob: false });
    const layout = await openLayoutFromFiles(sample.picked, 'save');
    expect(layout.entries).toHaveLength(1);
    expect(layout.entries[0]!.digest).not.toBe(sha256Digest(sample.manifest));
    expect(layout.tags.get('image-1')).toBe(layout.entries[0]!.digest);
    expect(layout.blobs.has(layout.entries[0]!.digest)).toBe(true);
  });

  it('still refuses an index.json whose manifests is neither a list nor null', async () => {
    const sample = savedById({ withManifestBlob: true });
    const broken = sample.picked.map((p) => (p.path === 'save/index.json' ? { ...p, file: new Blob([bytes({ manifests: 3 })]) } : p));
    await expect(openLayoutFromFiles(broken, 'save')).rejects.toMatchObject({ reason: 'malformed' });
  });
});
