import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_LAYER_TAR, SYNTHESIZED_ANNOTATION, SYNTHESIZED_NOTE, tagOfRepoTag } from './docker-archive';
import { scanLayer } from '../layer/scan';
import { DOCKER_CONFIG, DOCKER_MANIFEST } from '../spec/media-types';
import { OciLayoutError, layoutTags, openLayoutFromFiles, openLayoutFromTar } from './oci-layout';
import { type OciLayout } from './types';
import { type LayerScanEvent } from '../layer/events';
import { sha256Digest, sha256Hex } from '../../test-support/digest';

// Archives are written the way docker (before 25) and podman write them, then packed by GNU tar.

let work: string;
let layers: Uint8Array<ArrayBuffer>[];
let config: string;

/** Writes `files` under a fresh directory and packs it; returns the tar's path. */
function archive(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = join(work, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const tar = join(work, `${name}.tar`);
  execFileSync('tar', ['-cf', tar, '-C', dir, '.']);
  return tar;
}

/** Docker before 25: `<v1 id>/layer.tar` with legacy `json` and `VERSION` beside it, and `repositories`. */
function dockerStyle(name: string, configName = `${sha256Hex(config)}.json`, configText = config): string {
  const ids = ['1111', '2222'].map((n) => n.repeat(16));
  return archive(name, {
    [configName]: configText,
    [`${ids[0]}/layer.tar`]: layers[0]!,
    [`${ids[0]}/json`]: '{"id":"legacy"}',
    [`${ids[0]}/VERSION`]: '1.0',
    [`${ids[1]}/layer.tar`]: layers[1]!,
    repositories: '{"app":{"v1":"legacy"}}',
    'manifest.json': JSON.stringify([
      { Config: configName, RepoTags: ['example.com/team/app:v1', 'app:latest'], Layers: ids.map((id) => `${id}/layer.tar`) },
    ]),
  });
}

async function open(path: string): Promise<OciLayout> {
  return openLayoutFromTar(await openAsBlob(path), 'archive.tar');
}

async function text(blob: Blob | undefined): Promise<string> {
  return new TextDecoder().decode(await blob!.arrayBuffer());
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'docker-archive-test-'));
  for (const [dir, file, content] of [
    ['base', 'etc/os-release', 'ID=test\n'],
    ['app', 'app/run.sh', '#!/bin/sh\necho hi\n'],
  ] as const) {
    mkdirSync(join(work, 'trees', dir, dirname(file)), { recursive: true });
    writeFileSync(join(work, 'trees', dir, file), content);
  }
  layers = ['base', 'app'].map((dir) => new Uint8Array(execFileSync('tar', ['-cf', '-', '-C', join(work, 'trees', dir), '.'])));
  config = JSON.stringify({
    architecture: 'arm64',
    os: 'linux',
    variant: 'v8',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256Digest(l)) },
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What every honest two-layer archive of `config` must open as. */
async function expectSynthesized(layout: OciLayout, tags: string[]) {
  expect(layout.format).toBe('docker-archive');
  expect([layout.imageLayoutVersion, layout.indexBytes, layout.missing, layout.problems]).toEqual([undefined, undefined, [], []]);
  const [entry] = layout.entries;
  expect(layout.entries).toHaveLength(1);
  expect(entry).toMatchObject({ mediaType: DOCKER_MANIFEST, platform: 'linux/arm64/v8', tags, present: true });
  const manifestText = await text(layout.blobs.get(entry!.digest));
  expect(sha256Digest(manifestText)).toBe(entry!.digest);
  expect(manifestText.length).toBe(entry!.size);
  expect(JSON.parse(manifestText)).toEqual({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: DOCKER_CONFIG, size: config.length, digest: sha256Digest(config) },
    layers: layers.map((l) => ({ mediaType: DOCKER_LAYER_TAR, size: l.length, digest: sha256Digest(l) })),
    annotations: { [SYNTHESIZED_ANNOTATION]: SYNTHESIZED_NOTE },
  });
  expect(layoutTags(layout)).toEqual(tags);
  for (const tag of tags) expect(layout.tags.get(tag)).toBe(entry!.digest);
  expect(await text(layout.blobs.get(sha256Digest(config)))).toBe(config);
  for (const l of layers)
    expect(sha256Digest(new Uint8Array(await layout.blobs.get(sha256Digest(l))!.arrayBuffer()))).toBe(sha256Digest(l));
  expect([entry!.digest, sha256Digest(config), ...layers.map((l) => sha256Digest(l))].map((d) => layout.mediaTypes.get(d))).toEqual([
    DOCKER_MANIFEST,
    DOCKER_CONFIG,
    DOCKER_LAYER_TAR,
    DOCKER_LAYER_TAR,
  ]);
}

describe('docker-archive', () => {
  it('docker save before 25 (`<id>/layer.tar`): a synthesized Docker manifest v2, served by RepoTags and image-1', async () => {
    const layout = await open(dockerStyle('docker'));
    await expectSynthesized(layout, ['example.com_team_app_v1', 'app_latest', 'image-1']);
    expect(layout.entries[0]!.repoTags).toEqual(['example.com/team/app:v1', 'app:latest']);
  });

  it('podman save (`<diff_id hex>.tar`), also as a picked directory whose paths start with its name', async () => {
    const files = {
      [`${sha256Hex(config)}.json`]: config,
      [`${sha256Hex(layers[0]!)}.tar`]: layers[0]!,
      [`${sha256Hex(layers[1]!)}.tar`]: layers[1]!,
      'manifest.json': JSON.stringify([
        { Config: `${sha256Hex(config)}.json`, RepoTags: null, Layers: layers.map((l) => `${sha256Hex(l)}.tar`) },
      ]),
    };
    await expectSynthesized(await open(archive('podman', files)), ['image-1']);
    const picked = Object.entries(files).map(([path, content]) => ({ path: `saved/${path}`, file: new Blob([content]) }));
    await expectSynthesized(await openLayoutFromFiles(picked, 'saved'), ['image-1']);
  });

  it('a layer served by its diff_id scans verified: for an uncompressed layer the digest is the diff_id', async () => {
    const layout = await open(dockerStyle('scan'));
    const diffId = sha256Digest(layers[1]!);
    const events: LayerScanEvent[] = [];
    await scanLayer(
      {
        url: '/registry/x.layout.invalid/v2/layout/blobs/unused',
        blob: layout.blobs.get(diffId),
        expectedDigest: diffId,
        expectedDiffId: diffId,
        size: layers[1]!.length,
      },
      (e) => events.push(e),
      { fetch: () => Promise.reject(new Error('the network was used')) },
    );
    expect(events.find((e) => e.type === 'done')).toMatchObject({ digest: { ok: true }, diffId: { ok: true } });
  });

  it('a config whose bytes do not hash to its name is a loud problem; it is served under the digest of its bytes', async () => {
    const claimed = sha256Hex('another config');
    const layout = await open(dockerStyle('renamed', `${claimed}.json`));
    expect(layout.problems).toEqual([
      { message: expect.stringContaining('DIGEST MISMATCH'), digest: sha256Digest(config), mediaType: DOCKER_CONFIG },
    ]);
    expect(layout.problems[0]!.message).toContain(`sha256:${claimed}`);
    expect(layout.blobs.has(sha256Digest(config))).toBe(true);
    expect(layout.blobs.has(`sha256:${claimed}`)).toBe(false);
    expect(JSON.parse(await text(layout.blobs.get(layout.entries[0]!.digest))).config.digest).toBe(sha256Digest(config));
  });

  it('diff_ids that do not match Layers one for one: a problem, and no manifest for that image', async () => {
    const short = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256Digest(layers[0]!)] } });
    const layout = await open(dockerStyle('short', `${sha256Hex(short)}.json`, short));
    expect(layout.entries).toEqual([]);
    expect(layout.tags.size).toBe(0);
    expect(layout.problems).toEqual([
      {
        message: expect.stringContaining('names 1 diff_ids but manifest.json lists 2 layers'),
        digest: sha256Digest(short),
        mediaType: DOCKER_CONFIG,
      },
    ]);
    expect(layoutTags(layout)).toEqual([]);
  });

  it('a layer manifest.json names but the archive lacks: a problem, and no manifest', async () => {
    const layout = await open(
      archive('lacking', {
        [`${sha256Hex(config)}.json`]: config,
        'a.tar': layers[0]!,
        'manifest.json': JSON.stringify([{ Config: `${sha256Hex(config)}.json`, Layers: ['a.tar', 'b.tar'] }]),
      }),
    );
    expect(layout.entries).toEqual([]);
    expect(layout.problems.map((p) => p.message)).toEqual([expect.stringContaining('b.tar')]);
  });

  it('a tar that is neither an OCI layout nor a docker-archive says so', async () => {
    const rejection = (path: string) =>
      open(path).then(
        () => expect.unreachable(),
        (e: unknown) => e as OciLayoutError,
      );
    const webApp = await rejection(archive('webapp', { 'manifest.json': '{"name":"a web app"}', 'index.html': '<p>' }));
    expect(webApp).toBeInstanceOf(OciLayoutError);
    expect(webApp.reason).toBe('not-layout');
    expect(webApp.message).toContain('not a docker-archive');
    const empty = await rejection(archive('empty', { 'manifest.json': '[]' }));
    expect(empty.message).toContain('lists no images');
    const neither = await rejection(archive('neither', { 'README.md': 'hello' }));
    expect(neither.message).toContain('no oci-layout file, nor the manifest.json of a docker-archive');
  });

  it('reduces RepoTags to valid tags', () => {
    expect(['docker.io/library/alpine:3.20', '.hidden:x', '///', 'a'.repeat(200)].map(tagOfRepoTag)).toEqual([
      'docker.io_library_alpine_3.20',
      'hidden_x',
      '___',
      'a'.repeat(128),
    ]);
  });
});
