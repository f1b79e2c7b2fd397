/**
 * Reading one file of a layer from its index: the Range asked for, decoding from the checkpoint
 * before the file, the content digest compared, and a registry that ignores Range.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunked, semiRandom } from '../../test-support/bytes';
import { scriptedBlobFetch } from '../../test-support/blob-fetch';
import { zstdCompress } from '../../test-support/compression';
import { sha256Digest } from '../../test-support/digest';
import { gnuTar, writeTree } from '../../test-support/tar';
import { makeTempDir } from '../../test-support/tools';
import type { Compression, LayerScanEvent } from './events';
import { planFileRead, readFileRange, VERIFY_LIMIT, type FileReadEvent } from './file-read';
import { scanLayer } from './scan';
import type { TarEntry } from './tar-entry';

const workDir = makeTempDir('file-read-test');
const contents = {
  'data/early.txt': new TextEncoder().encode('early file\n'),
  'data/filler-1.bin': semiRandom(5 << 20, 11),
  'data/middle.bin': semiRandom(300_000, 12),
  'data/filler-2.bin': semiRandom(6 << 20, 13),
  'data/late.txt': new TextEncoder().encode('the last file\n'),
};
writeTree(
  `${workDir}/rootfs`,
  Object.entries(contents).map(([path, content]) => ({ path, content })),
);
const tar = gnuTar(`${workDir}/rootfs`, { members: ['data'], args: ['--numeric-owner', '--sort=name'] });
const blobs: Record<Compression, Uint8Array> = { gzip: new Uint8Array(gzipSync(tar)), zstd: zstdCompress(tar), none: tar };

/** The full pass, as the store would have kept it. */
async function index(compression: Compression) {
  const blob = blobs[compression];
  const events: LayerScanEvent[] = [];
  const { fetch } = scriptedBlobFetch({ chunks: chunked(blob, 1 << 20) });
  await scanLayer({ url: '/registry/r.test/v2/a/blobs/x', expectedDigest: sha256Digest(blob), checkpoints: true }, (e) => events.push(e), {
    fetch,
  });
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('pass failed');
  const entries = events.flatMap((e) => (e.type === 'entries' ? e.entries : []));
  return { checkpoints: done.checkpoints!, entries };
}

/** A registry answering Range as RFC 9110 says (206 and Content-Range), or ignoring it (200, all of it). */
function rangeFetch(blob: Uint8Array, options: { ignoreRange?: boolean; shiftStart?: number } = {}) {
  const asked: (string | null)[] = [];
  const fetchImpl = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const range = new Headers(init?.headers).get('range');
    asked.push(range);
    const match = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
    if (options.ignoreRange || !match) return scriptedBlobFetch({ chunks: chunked(blob, 64 * 1024) }).fetch('', init);
    const start = Number(match[1]) + (options.shiftStart ?? 0);
    const end = match[2] === '' ? blob.length : Math.min(Number(match[2]) + 1, blob.length);
    const part = blob.slice(start, end);
    return scriptedBlobFetch({
      chunks: chunked(part, 64 * 1024),
      status: 206,
      headers: { 'content-range': `bytes ${start}-${end - 1}/${blob.length}` },
    }).fetch('', init);
  }) as typeof fetch;
  return { fetch: fetchImpl, asked };
}

function read(event: FileReadEvent) {
  if (event.type !== 'read') throw new Error(`read failed: ${JSON.stringify(event)}`);
  return event;
}

const fileEntry = (entries: TarEntry[], path: string) => entries.find((e) => e.path === path)!;

describe.each(['gzip', 'zstd', 'none'] as const)('a file of a %s layer read on its own', (compression) => {
  it('has the same bytes as the file, and its digest matches the one the full pass recorded', async () => {
    const { checkpoints, entries } = await index(compression);
    const blob = blobs[compression];
    for (const [path, content] of Object.entries(contents)) {
      const entry = fileEntry(entries, path);
      const plan = planFileRead({ compression, checkpoints, blobSize: blob.length, ...entry }, 1 << 20);
      const { fetch, asked } = rangeFetch(blob);
      const result = read(await readFileRange({ url: '/registry/r.test/v2/a/blobs/x', plan }, { fetch }));
      expect(asked[0]).toMatch(/^bytes=\d+-\d*$/);
      expect(result.rangeHonoured).toBe(true);
      expect(Buffer.compare(result.bytes, content.subarray(0, 1 << 20))).toBe(0);
      expect(result.truncated).toBe(content.length > 1 << 20);
      expect(result.content).toEqual({ status: 'match', expected: sha256Digest(content), computed: sha256Digest(content) });
    }
  });
});

describe('ranged reads', () => {
  it('fetch only a small part of a gzip layer for a file past its first checkpoints', async () => {
    const { checkpoints, entries } = await index('gzip');
    const blob = blobs.gzip;
    const plan = planFileRead({ compression: 'gzip', checkpoints, blobSize: blob.length, ...fileEntry(entries, 'data/late.txt') }, 1 << 20);
    expect(plan.from?.out).toBeGreaterThan(8 << 20);
    const { fetch } = rangeFetch(blob);
    const result = read(await readFileRange({ url: '/x', plan }, { fetch }));
    // From the checkpoint before the file to the end: at most one checkpoint spacing of tar.
    expect(result.transferred).toBeLessThanOrEqual(blob.length - Math.floor(plan.from!.bit / 8));
    expect(result.transferred).toBeLessThan(blob.length / 3);
    expect(result.decodedFrom).toBe(plan.from!.out);
  });

  it('still read the file when the registry ignores Range, and say so', async () => {
    const { checkpoints, entries } = await index('gzip');
    const blob = blobs.gzip;
    const plan = planFileRead(
      { compression: 'gzip', checkpoints, blobSize: blob.length, ...fileEntry(entries, 'data/middle.bin') },
      1 << 20,
    );
    const { fetch } = rangeFetch(blob, { ignoreRange: true });
    const result = read(await readFileRange({ url: '/x', plan }, { fetch }));
    expect(result.rangeHonoured).toBe(false);
    expect(result.content.status).toBe('match');
    expect(Buffer.compare(result.bytes, contents['data/middle.bin'])).toBe(0);
  });

  it('report bytes that do not hash to the recorded digest as a mismatch', async () => {
    const { checkpoints, entries } = await index('none');
    const entry = { ...fileEntry(entries, 'data/early.txt'), contentDigest: sha256Digest(new TextEncoder().encode('other\n')) };
    const plan = planFileRead({ compression: 'none', checkpoints, blobSize: tar.length, ...entry }, 1 << 20);
    const result = read(await readFileRange({ url: '/x', plan }, { fetch: rangeFetch(tar).fetch }));
    expect(result.content.status).toBe('mismatch');
  });

  it('refuse a 206 that starts elsewhere than asked', async () => {
    const { checkpoints, entries } = await index('none');
    const plan = planFileRead({ compression: 'none', checkpoints, blobSize: tar.length, ...fileEntry(entries, 'data/late.txt') }, 1 << 20);
    const result = await readFileRange({ url: '/x', plan }, { fetch: rangeFetch(tar, { shiftStart: 512 }).fetch });
    expect(result).toMatchObject({ type: 'error', kind: 'http' });
  });

  it('read a big file only as far as its preview, unchecked, and all of it when asked', () => {
    const location = { compression: 'none' as const, checkpoints: [], dataOffset: 512, size: VERIFY_LIMIT + 1 };
    expect(planFileRead(location, 1 << 20)).toMatchObject({ start: 512, end: 512 + (1 << 20), keep: 1 << 20, readLength: 1 << 20 });
    expect(planFileRead(location, VERIFY_LIMIT + 1)).toMatchObject({ readLength: VERIFY_LIMIT + 1 });
    expect(planFileRead({ ...location, size: 100 }, 10)).toMatchObject({ keep: 10, readLength: 100 });
  });
});
