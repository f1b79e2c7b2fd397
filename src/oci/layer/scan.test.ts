import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scriptedBlobFetch, type ScriptedBody } from '../../test-support/blob-fetch';
import { chunked, concatBytes, semiRandom } from '../../test-support/bytes';
import { zstdCompress } from '../../test-support/compression';
import { sha256Digest, sha512Digest } from '../../test-support/digest';
import { gnuTar, writeTree } from '../../test-support/tar';
import { makeTempDir } from '../../test-support/tools';
import { scanLayer } from './scan';
import { type LayerScanEvent, type LayerScanRequest } from './events';
import { compressionOfMediaType, detectCompression } from './compression';

const workDir = makeTempDir('layer-scan-test');

const HELLO = 'hello, layer\n';
const BIG = semiRandom(300_000, 7);

/** A layer tar written by GNU tar: a directory, a small and a big file, a symlink. */
function makeTar() {
  const root = `${workDir}/rootfs`;
  writeTree(root, [
    { path: 'etc/hello.txt', content: HELLO },
    { path: 'data/big.bin', content: BIG },
    { path: 'etc/link', symlink: 'hello.txt' },
  ]);
  return gnuTar(root, { members: ['etc', 'data'], args: ['--numeric-owner'] });
}

const tar = makeTar();
const gzip = new Uint8Array(gzipSync(tar));
const zstd = zstdCompress(tar);

const DIFF_ID = sha256Digest(tar);

async function scan(
  request: Partial<LayerScanRequest>,
  blob: ScriptedBody,
  onEvent?: (event: LayerScanEvent, controller: AbortController) => void,
) {
  const events: LayerScanEvent[] = [];
  const controller = new AbortController();
  const { fetch, record } = scriptedBlobFetch(blob);
  await scanLayer(
    { url: '/registry/127.0.0.1:5000/v2/demo/blobs/x', expectedDigest: 'sha256:unset', ...request },
    (event) => {
      events.push(event);
      onEvent?.(event, controller);
    },
    { fetch, signal: controller.signal },
  );
  const last = events.at(-1)!;
  const entries = events.flatMap((e) => (e.type === 'entries' ? e.entries : []));
  return { events, last, entries, record };
}

function doneOf(event: LayerScanEvent) {
  if (event.type !== 'done') throw new Error(`expected done, got ${JSON.stringify(event)}`);
  return event;
}

describe('detectCompression', () => {
  it.each([
    ['gzip', [0x1f, 0x8b, 0x08, 0x00], 'gzip'],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
    ['tar', [0x65, 0x74, 0x63, 0x2f], 'none'],
    ['too short', [0x1f], 'none'],
  ] as const)('%s', (_name, head, expected) => {
    expect(detectCompression(new Uint8Array(head))).toBe(expected);
  });
});

describe('compressionOfMediaType', () => {
  it.each([
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/octet-stream', undefined],
    [undefined, undefined],
  ] as const)('%s', (mediaType, expected) => {
    expect(compressionOfMediaType(mediaType)).toBe(expected);
  });
});

describe('scanLayer', () => {
  it('verifies digest and diff_id of a gzip layer and lists its files', async () => {
    const { events, last, entries } = await scan(
      {
        expectedDigest: sha256Digest(gzip),
        expectedDiffId: DIFF_ID,
        size: gzip.length,
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      },
      { chunks: chunked(gzip, 10_000) },
    );
    const done = doneOf(last);
    expect(done).toMatchObject({
      compression: 'gzip',
      compressedBytes: gzip.length,
      decompressedBytes: tar.length,
      entryCount: 5,
      digest: { expected: sha256Digest(gzip), computed: sha256Digest(gzip), ok: true },
      diffId: { expected: DIFF_ID, computed: DIFF_ID, ok: true },
      endMarker: true,
      mediaTypeCompression: 'gzip',
    });
    expect(done.trailingBytes).toBeUndefined();
    expect(entries.map((e) => `${e.type} ${e.path}${e.linkTarget ? ` -> ${e.linkTarget}` : ''}`)).toEqual([
      'directory etc',
      'file etc/hello.txt',
      'symlink etc/link -> hello.txt',
      'directory data',
      'file data/big.bin',
    ]);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', compressedBytes: gzip.length, decompressedBytes: tar.length, total: gzip.length });
  });

  it('gives every regular file the sha256 of its content, whatever the compression', async () => {
    for (const blob of [gzip, zstd, tar]) {
      const { last, entries } = await scan({ expectedDigest: sha256Digest(blob), size: blob.length }, { chunks: chunked(blob, 7_000) });
      expect(doneOf(last).digest.ok).toBe(true);
      expect(entries.map((e) => [e.path, e.contentDigest])).toEqual([
        ['etc', undefined],
        ['etc/hello.txt', sha256Digest(new TextEncoder().encode(HELLO))],
        ['etc/link', undefined],
        ['data', undefined],
        ['data/big.bin', sha256Digest(BIG)],
      ]);
    }
  });

  it('reads a byte stream into one reused buffer without mixing up chunks', async () => {
    const { last, entries } = await scan(
      { expectedDigest: sha256Digest(gzip), expectedDiffId: DIFF_ID, size: gzip.length },
      { chunks: chunked(gzip, 3_000), bytes: true },
    );
    expect(doneOf(last)).toMatchObject({ digest: { ok: true }, diffId: { ok: true }, decompressedBytes: tar.length, endMarker: true });
    expect(entries).toHaveLength(5);
  });

  it('reads every member of a multi-member gzip stream', async () => {
    const split = 100_000;
    const multi = concatBytes(gzipSync(tar.subarray(0, split)), gzipSync(tar.subarray(split)));
    const { last, entries } = await scan(
      { expectedDigest: sha256Digest(multi), expectedDiffId: DIFF_ID },
      { chunks: chunked(multi, 8_192) },
    );
    expect(doneOf(last)).toMatchObject({ decompressedBytes: tar.length, diffId: { ok: true }, digest: { ok: true }, endMarker: true });
    expect(entries.map((e) => e.path)).toContain('data/big.bin');
  });

  it('reports trailing garbage after the gzip stream and keeps the listing', async () => {
    const garbage = new TextEncoder().encode('not a gzip member, just junk');
    const body = concatBytes(gzip, garbage);
    const { last } = await scan(
      { expectedDigest: sha256Digest(body), expectedDiffId: DIFF_ID, size: body.length },
      { chunks: [gzip, garbage] },
    );
    expect(doneOf(last)).toMatchObject({
      trailingBytes: garbage.length,
      decompressedBytes: tar.length,
      diffId: { ok: true },
      entryCount: 5,
      endMarker: true,
    });
  });

  it('decompresses zstd', async () => {
    const { last } = await scan({ expectedDigest: sha256Digest(zstd), expectedDiffId: DIFF_ID }, { chunks: chunked(zstd, 4_096) });
    expect(doneOf(last)).toMatchObject({
      compression: 'zstd',
      decompressedBytes: tar.length,
      diffId: { ok: true },
      digest: { ok: true },
      entryCount: 5,
    });
  });

  it('takes a plain tar as is: its diff_id is its digest', async () => {
    const { last } = await scan({ expectedDigest: DIFF_ID, expectedDiffId: DIFF_ID, size: tar.length }, { chunks: chunked(tar, 65_536) });
    expect(doneOf(last)).toMatchObject({
      compression: 'none',
      compressedBytes: tar.length,
      decompressedBytes: tar.length,
      digest: { ok: true },
      diffId: { computed: DIFF_ID, ok: true },
    });
  });

  it('believes the magic bytes, not the media type, and says so', async () => {
    const { last } = await scan(
      { expectedDigest: sha256Digest(zstd), expectedDiffId: DIFF_ID, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
      { chunks: [zstd] },
    );
    expect(doneOf(last)).toMatchObject({ compression: 'zstd', mediaTypeCompression: 'gzip', diffId: { ok: true } });
  });

  it('reports a digest mismatch with both values', async () => {
    const wrong = `sha256:${'0'.repeat(64)}`;
    const { last } = await scan({ expectedDigest: wrong, expectedDiffId: DIFF_ID }, { chunks: [gzip] });
    expect(doneOf(last).digest).toEqual({ expected: wrong, computed: sha256Digest(gzip), ok: false });
    expect(doneOf(last).diffId.ok).toBe(true);
  });

  it('reports a diff_id mismatch with both values', async () => {
    const wrong = `sha256:${'1'.repeat(64)}`;
    const { last } = await scan({ expectedDigest: sha256Digest(gzip), expectedDiffId: wrong }, { chunks: [gzip] });
    expect(doneOf(last).diffId).toEqual({ expected: wrong, computed: DIFF_ID, ok: false });
    expect(doneOf(last).digest.ok).toBe(true);
  });

  it('hashes with sha512 when the digest says so', async () => {
    const digest = sha512Digest(gzip);
    const { last } = await scan({ expectedDigest: digest }, { chunks: [gzip] });
    expect(doneOf(last).digest).toEqual({ expected: digest, computed: digest, ok: true });
    expect(doneOf(last).diffId).toEqual({ expected: undefined, computed: DIFF_ID, ok: undefined });
  });

  it('digest only: nothing decompressed', async () => {
    const { last, entries } = await scan({ expectedDigest: sha256Digest(gzip), parseTar: false }, { chunks: chunked(gzip, 50_000) });
    expect(doneOf(last)).toMatchObject({
      compression: 'gzip',
      decompressedBytes: 0,
      entryCount: 0,
      digest: { ok: true },
      diffId: { computed: '' },
    });
    expect(entries).toEqual([]);
  });

  it('keeps an exact copy of the bytes received when asked to, and only then', async () => {
    const { last } = await scan({ expectedDigest: sha256Digest(gzip), parseTar: false, keep: true }, { chunks: chunked(gzip, 50_000) });
    const kept = doneOf(last).kept;
    expect(new Uint8Array(await kept!.arrayBuffer())).toEqual(gzip);
    const { last: plain } = await scan({ expectedDigest: sha256Digest(gzip), parseTar: false }, { chunks: chunked(gzip, 50_000) });
    expect(doneOf(plain).kept).toBeUndefined();
  });

  it('keeps bytes it was handed as a Blob without copying them', async () => {
    const blob = new Blob([gzip]);
    const events: LayerScanEvent[] = [];
    await scanLayer({ url: '/unused', expectedDigest: sha256Digest(gzip), parseTar: false, keep: true, blob }, (event) =>
      events.push(event),
    );
    expect(doneOf(events.at(-1)!).kept).toBe(blob);
    expect(doneOf(events.at(-1)!).digest.ok).toBe(true);
  });

  it('keeps what was received even when it does not match the digest, which says so', async () => {
    const { last } = await scan({ expectedDigest: sha256Digest(tar), parseTar: false, keep: true }, { chunks: chunked(gzip, 50_000) });
    expect(doneOf(last).digest.ok).toBe(false);
    expect(doneOf(last).kept!.size).toBe(gzip.length);
  });

  it('a body that breaks off is truncated, not a short listing', async () => {
    const chunks = chunked(gzip, 20_000);
    const { events, last } = await scan({ expectedDigest: sha256Digest(gzip) }, { chunks: [chunks[0]!, chunks[1]!, 'fail'] });
    expect(last).toMatchObject({ type: 'error', kind: 'truncated' });
    expect(events.some((e) => e.type === 'done')).toBe(false);
  });

  it('fewer bytes than the descriptor size is truncated', async () => {
    const short = tar.subarray(0, 10_240);
    const { last } = await scan({ expectedDigest: DIFF_ID, size: tar.length }, { chunks: [short.slice()] });
    expect(last).toMatchObject({ type: 'error', kind: 'truncated' });
    expect((last as { message: string }).message).toContain(`10240 of ${tar.length}`);
  });

  it('turns a registry error into an http error with its code', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }));
    const { events } = await scan(
      { expectedDigest: sha256Digest(gzip) },
      { status: 404, chunks: [body], headers: { 'content-type': 'application/json' } },
    );
    expect(events).toEqual([
      { type: 'error', kind: 'http', status: 404, code: 'BLOB_UNKNOWN', message: expect.stringContaining(sha256Digest(gzip)) },
    ]);
  });

  it('a fetch that fails outright is a network error', async () => {
    const events: LayerScanEvent[] = [];
    await scanLayer({ url: '/x', expectedDigest: DIFF_ID }, (e) => events.push(e), {
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(events).toEqual([{ type: 'error', kind: 'network', message: expect.stringContaining('Failed to fetch') }]);
  });

  it('sends the user credentials entered for the registry with the blob request, and nothing without them', async () => {
    const seen: (string | null)[] = [];
    const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('x-ociscope-registry-authorization'));
      return new Response(null, { status: 401 });
    }) as typeof fetch;
    await scanLayer({ url: '/x', expectedDigest: DIFF_ID, authorization: 'Basic dTpw' }, () => {}, { fetch: fetchImpl });
    await scanLayer({ url: '/x', expectedDigest: DIFF_ID }, () => {}, { fetch: fetchImpl });
    expect(seen).toEqual(['Basic dTpw', null]);
  });

  it('cancel stops the download and ends in aborted', async () => {
    const chunks = chunked(gzip, 20_000);
    const { events, last, record } = await scan(
      { expectedDigest: sha256Digest(gzip) },
      { chunks: [chunks[0]!, 'hang', ...chunks.slice(1)] },
      (event, controller) => {
        if (event.type === 'progress') controller.abort();
      },
    );
    expect(last).toEqual({ type: 'error', kind: 'aborted', message: 'the scan was cancelled' });
    expect(record.stopped).toBe(true);
    expect(record.pulled).toBe(1);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('extracts one file and stops downloading', async () => {
    const chunks = chunked(gzip, 4_096);
    const { events, last, record } = await scan(
      { expectedDigest: sha256Digest(gzip), extract: { path: 'etc/hello.txt', limit: 1 << 20 } },
      { chunks },
    );
    expect(last).toMatchObject({ type: 'file', path: 'etc/hello.txt', size: HELLO.length, truncated: false });
    expect(new TextDecoder().decode((last as { bytes: Uint8Array }).bytes)).toBe(HELLO);
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(record.stopped).toBe(true);
    expect(record.pulled).toBeLessThan(chunks.length);
  });

  it('extracts the first bytes of a big file up to the limit', async () => {
    const { last } = await scan(
      { expectedDigest: sha256Digest(gzip), extract: { path: 'data/big.bin', limit: 1000 } },
      { chunks: chunked(gzip, 4_096) },
    );
    expect(last).toMatchObject({ type: 'file', path: 'data/big.bin', size: BIG.length, truncated: true });
    expect((last as { bytes: Uint8Array }).bytes).toEqual(BIG.subarray(0, 1000));
  });

  it('a file that is not in the layer ends in a verified done', async () => {
    const { events, last } = await scan(
      { expectedDigest: sha256Digest(gzip), extract: { path: 'etc/missing', limit: 10 } },
      { chunks: [gzip] },
    );
    expect(doneOf(last).digest.ok).toBe(true);
    expect(events.some((e) => e.type === 'file')).toBe(false);
  });

  it('corrupt gzip data is a decompress error', async () => {
    const corrupt = gzip.slice();
    corrupt.fill(0xff, 100, 2_000);
    const { last } = await scan({ expectedDigest: sha256Digest(corrupt) }, { chunks: [corrupt] });
    expect(last).toMatchObject({ type: 'error', kind: 'decompress' });
  });

  it('a gzip stream that stops early is a decompress error', async () => {
    const cut = gzip.slice(0, gzip.length - 1_000);
    const { last } = await scan({ expectedDigest: sha256Digest(cut) }, { chunks: [cut] });
    expect(last).toMatchObject({ type: 'error', kind: 'decompress' });
  });

  it('bytes that are not a tar are a tar-format error', async () => {
    const notTar = new Uint8Array(gzipSync(semiRandom(4_096, 3)));
    const { last } = await scan({ expectedDigest: sha256Digest(notTar) }, { chunks: [notTar] });
    expect(last).toMatchObject({ type: 'error', kind: 'tar-format' });
  });
});
