import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openAsBlob, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCI_CONFIG, OCI_INDEX, OCI_LAYER_GZIP, OCI_MANIFEST } from '../spec/media-types';
import { scanLayer } from '../layer/scan';
import { OciLayoutError, layoutTags, manifestMediaType, openLayoutFromFiles, openLayoutFromTar } from './oci-layout';
import { type OciLayout } from './types';
import { type LayerScanEvent } from '../layer/events';
import { sha256Digest } from '../../test-support/digest';

// Layouts are written to disk here and archived by the real GNU tar, the way users make them.

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

let work: string;

/** A one-image layout; the layer is larger than a read chunk, so indexing must skip over it. */
function sampleLayout() {
  const layerTar = execFileSync('tar', ['-cf', '-', '-C', work, 'payload'], { maxBuffer: 64 << 20 });
  const layer = new Uint8Array(gzipSync(layerTar, { level: 0 }));
  const config = json({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layerTar)] } });
  const manifest = json({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: OCI_LAYER_GZIP, digest: sha256Digest(layer), size: layer.length }],
  });
  const absent = sha256Digest('a manifest this layout does not hold');
  const index = json({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        digest: sha256Digest(manifest),
        size: manifest.length,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        annotations: { 'org.opencontainers.image.ref.name': 'v1' },
      },
      {
        mediaType: OCI_MANIFEST,
        digest: absent,
        size: 10,
        annotations: { 'org.opencontainers.image.ref.name': 'docker.io/library/app:v1' },
      },
    ],
  });
  return { layer, layerTar, config, manifest, index, absent };
}

function writeLayout(
  dir: string,
  sample: ReturnType<typeof sampleLayout>,
  marker = '{"imageLayoutVersion":"1.0.0"}',
  index: Uint8Array = sample.index,
) {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), marker);
  writeFileSync(join(dir, 'index.json'), index);
  for (const blob of [sample.layer, sample.config, sample.manifest])
    writeFileSync(join(dir, 'blobs', 'sha256', sha256Digest(blob).slice(7)), blob);
}

function tarOf(dir: string, name: string, args: string[]): string {
  const path = join(work, name);
  execFileSync('tar', ['-cf', path, ...args, '-C', dir, '.']);
  return path;
}

async function bytesOf(blob: Blob | undefined): Promise<Uint8Array> {
  return new Uint8Array(await blob!.arrayBuffer());
}

async function rejection(promise: Promise<unknown>): Promise<OciLayoutError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OciLayoutError);
  return error as OciLayoutError;
}

let sample: ReturnType<typeof sampleLayout>;
let layoutDir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'oci-layout-test-'));
  mkdirSync(join(work, 'payload'));
  writeFileSync(join(work, 'payload', 'big.bin'), randomBytes(3 * 1024 * 1024 + 77));
  writeFileSync(join(work, 'payload', 'hello.txt'), 'hello\n');
  sample = sampleLayout();
  layoutDir = join(work, 'layout');
  writeLayout(layoutDir, sample);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectSample(layout: OciLayout) {
  expect(layout.imageLayoutVersion).toBe('1.0.0');
  expect(layout.entries).toEqual([
    {
      digest: sha256Digest(sample.manifest),
      mediaType: OCI_MANIFEST,
      size: sample.manifest.length,
      platform: 'linux/arm64/v8',
      refName: 'v1',
      present: true,
    },
    { digest: sample.absent, mediaType: OCI_MANIFEST, size: 10, platform: undefined, refName: 'docker.io/library/app:v1', present: false },
  ]);
  expect([...layout.blobs.keys()].sort()).toEqual([sample.layer, sample.config, sample.manifest].map((b) => sha256Digest(b)).sort());
  expect(layout.missing).toEqual([{ digest: sample.absent, mediaType: OCI_MANIFEST, referencedBy: 'index.json' }]);
  expect(layout.mediaTypes.get(sha256Digest(sample.config))).toBe(OCI_CONFIG);
  expect(layout.mediaTypes.get(sha256Digest(sample.layer))).toBe(OCI_LAYER_GZIP);
  expect(new TextDecoder().decode(layout.indexBytes)).toBe(new TextDecoder().decode(sample.index));
}

describe('openLayoutFromTar', () => {
  it.each([
    ['GNU', ['--format=gnu']],
    ['pax', ['--format=pax']],
    ['ustar', ['--format=ustar']],
  ])('indexes a %s tar: blobs are slices with the exact bytes, missing blobs listed', async (_, args) => {
    const file = await openAsBlob(tarOf(layoutDir, `layout-${args[0]!.slice(9)}.tar`, args));
    const progress: number[] = [];
    const layout = await openLayoutFromTar(file, 'layout.tar', (read, total) => {
      expect(total).toBe(file.size);
      progress.push(read);
    });
    expectSample(layout);
    expect(layout.source).toEqual({ kind: 'tar', name: 'layout.tar' });
    // Hashes, not deep equality: comparing 3 MB arrays element by element takes seconds.
    for (const blob of [sample.layer, sample.config, sample.manifest])
      expect(sha256Digest(await bytesOf(layout.blobs.get(sha256Digest(blob))))).toBe(sha256Digest(blob));
    expect(progress.at(-1)).toBe(file.size);
  });

  it('finds the layout inside a folder the tar was made of', async () => {
    const path = join(work, 'folder.tar');
    execFileSync('tar', ['-cf', path, '-C', work, 'layout']);
    expectSample(await openLayoutFromTar(await openAsBlob(path), 'folder.tar'));
  });

  it('a layer blob from the tar scans like a download: digest and diff_id verified, no network', async () => {
    const layout = await openLayoutFromTar(await openAsBlob(tarOf(layoutDir, 'scan.tar', [])), 'scan.tar');
    const events: LayerScanEvent[] = [];
    const noNetwork = () => Promise.reject(new Error('the network was used'));
    await scanLayer(
      {
        url: '/registry/x.layout.invalid/v2/layout/blobs/unused',
        blob: layout.blobs.get(sha256Digest(sample.layer)),
        expectedDigest: sha256Digest(sample.layer),
        expectedDiffId: sha256Digest(sample.layerTar),
        size: sample.layer.length,
      },
      (e) => events.push(e),
      { fetch: noNetwork },
    );
    const done = events.find((e) => e.type === 'done');
    expect(done).toMatchObject({ digest: { ok: true }, diffId: { ok: true }, entryCount: 3 });
  });

  it('refuses compressed archives, non-tar files and truncated tars with a reason', async () => {
    const tar = readFileSync(tarOf(layoutDir, 'plain.tar', []));
    const gz = await rejection(openLayoutFromTar(new Blob([gzipSync(tar)]), 'x.tar.gz'));
    expect(gz.reason).toBe('compressed');
    expect(gz.message).toContain('gunzip');
    const junk = await rejection(openLayoutFromTar(new Blob(['x'.repeat(4096)]), 'junk'));
    expect(junk.reason).toBe('not-tar');
    const cut = join(work, 'cut.tar');
    writeFileSync(cut, tar);
    truncateSync(cut, 2048 + 700);
    const truncated = await rejection(openLayoutFromTar(await openAsBlob(cut), 'cut.tar'));
    expect(truncated.reason).toBe('not-tar');
    expect(truncated.message).toContain('ends inside');
  });
});

describe('openLayoutFromFiles', () => {
  const filesOf = (dir: string, top: string) =>
    execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((path) => ({ path: `${top}/${path.slice(dir.length + 1)}`, file: new Blob([readFileSync(path)]) }));

  it('reads a picked directory, whose paths start with the directory name', async () => {
    const layout = await openLayoutFromFiles(filesOf(layoutDir, 'single'), 'single');
    expectSample(layout);
    expect(layout.source).toEqual({ kind: 'directory', name: 'single' });
  });

  it('names what is wrong: no marker, an empty docker-archive, version, index.json', async () => {
    const only = (files: Record<string, string>) => Object.entries(files).map(([path, text]) => ({ path, file: new Blob([text]) }));
    const none = await rejection(openLayoutFromFiles(only({ 'index.json': '{"manifests":[]}' }), 'x'));
    expect(none.reason).toBe('not-layout');
    expect(none.message).toContain('no oci-layout file');
    expect((await rejection(openLayoutFromFiles(only({ 'manifest.json': '[]' }), 'x'))).message).toContain('docker-archive');
    const v2 = await rejection(
      openLayoutFromFiles(only({ 'oci-layout': '{"imageLayoutVersion":"2.0.0"}', 'index.json': '{"manifests":[]}' }), 'x'),
    );
    expect(v2.reason).toBe('unsupported-version');
    expect(v2.message).toContain('"2.0.0"');
    expect((await rejection(openLayoutFromFiles(only({ 'oci-layout': '{"imageLayoutVersion":"1.0.0"}' }), 'x'))).message).toContain(
      'no index.json',
    );
    const broken = await rejection(
      openLayoutFromFiles(only({ 'oci-layout': '{"imageLayoutVersion":"1.0.0"}', 'index.json': '{"manifests": [' }), 'x'),
    );
    expect(broken.reason).toBe('malformed');
    expect(broken.message).toContain('index.json is not JSON');
    expect((await rejection(openLayoutFromFiles(only({ 'oci-layout': 'nope', 'index.json': '{}' }), 'x'))).message).toContain(
      'oci-layout is not JSON',
    );
  });
});

describe('tags and media types', () => {
  it('answers index.json and ref.names valid as tags; media types from descriptors, else the document', async () => {
    const layout = await openLayoutFromFiles(
      [
        { path: 'oci-layout', file: new Blob(['{"imageLayoutVersion":"1.1.0"}']) },
        { path: 'index.json', file: new Blob([sample.index]) },
        { path: `blobs/sha256/${sha256Digest(sample.manifest).slice(7)}`, file: new Blob([sample.manifest]) },
      ],
      'x',
    );
    expect(layoutTags(layout)).toEqual(['index.json', 'v1']);
    const manifest = layout.blobs.get(sha256Digest(sample.manifest))!;
    expect(await manifestMediaType(layout, sha256Digest(sample.manifest), manifest)).toBe(OCI_MANIFEST);
    const bare = new Blob([json({ schemaVersion: 2, manifests: [] })]);
    expect(await manifestMediaType(layout, sha256Digest('other'), bare)).toBe(OCI_INDEX);
    expect(layout.missing.map((m) => m.digest)).toEqual([sample.absent, sha256Digest(sample.config), sha256Digest(sample.layer)]);
    expect(layout.missing[1]!.referencedBy).toBe(sha256Digest(sample.manifest));
  });
});
