import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { scanLayer } from './scan';
import { type LayerScanEvent, type LayerScanRequest } from './events';
import { compressionOfMediaType, detectCompression } from './compression';

type Bytes = Uint8Array<ArrayBuffer>;

const workDir = mkdtempSync(join(tmpdir(), 'layer-scan-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function run(command: string, args: string[], input?: Uint8Array): Bytes {
  const result = spawnSync(command, args, { input, maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.toString()}`);
  return new Uint8Array(result.stdout);
}

/** Deterministic bytes that compress a little, like real files. */
function semiRandom(length: number, seed: number): Bytes {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = i % 3 === 0 ? 0x41 + (x >>> 28) : x >>> 24;
  }
  return bytes;
}

const HELLO = 'hello, layer\n';
const BIG = semiRandom(300_000, 7);

/** A layer tar written by GNU tar: a directory, a small and a big file, a symlink. */
function makeTar(): Bytes {
  const root = join(workDir, 'rootfs');
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'data'), { recursive: true });
  writeFileSync(join(root, 'etc/hello.txt'), HELLO);
  writeFileSync(join(root, 'data/big.bin'), BIG);
  symlinkSync('hello.txt', join(root, 'etc/link'));
  return run('tar', ['-C', root, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', '-', 'etc', 'data']);
}

const tar = makeTar();
const gzip = new Uint8Array(gzipSync(tar));
const zstd = run('zstd', ['-q', '-c', '-'], tar);

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const DIFF_ID = sha256(tar);

/** Splits bytes into chunks of `size`, like a network would. */
function chunked(bytes: Uint8Array, size: number): Bytes[] {
  const chunks: Bytes[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
}

function concat(...parts: Uint8Array[]): Bytes {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

interface FakeBlob {
  /** Chunks of the body, in order; `'fail'` errors the stream there; `'hang'` waits forever. */
  chunks: (Bytes | 'fail' | 'hang')[];
  status?: number;
  headers?: Record<string, string>;
  /** A byte stream, as browsers' fetch bodies are: the scan then reads into one reused buffer. */
  bytes?: boolean;
}

/** A fetch that serves one body and records how the download went. */
function fakeFetch(blob: FakeBlob) {
  const record = { pulled: 0, stopped: false };
  const fetchImpl = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined;
    const queue = [...blob.chunks];
    const source: UnderlyingDefaultSource<Uint8Array> = {
      start(controller) {
        signal?.addEventListener('abort', () => {
          record.stopped = true;
          controller.error(new DOMException('The operation was aborted.', 'AbortError'));
        });
      },
      pull(controller) {
        const next = queue.shift();
        if (next === undefined) {
          controller.close();
          // A byte stream closed under a pending BYOB read must answer that read (Streams spec).
          (controller as unknown as ReadableByteStreamController).byobRequest?.respond(0);
        } else if (next === 'fail') controller.error(new TypeError('network connection lost'));
        else if (next === 'hang') return new Promise<void>(() => {});
        else {
          record.pulled++;
          controller.enqueue(next);
        }
        return undefined;
      },
      cancel() {
        record.stopped = true;
      },
    };
    const body = blob.bytes
      ? new ReadableStream({ ...(source as unknown as UnderlyingByteSource), type: 'bytes' })
      : new ReadableStream(source);
    return new Response(body, { status: blob.status ?? 200, headers: blob.headers });
  };
  return { fetch: fetchImpl as typeof fetch, record };
}

async function scan(
  request: Partial<LayerScanRequest>,
  blob: FakeBlob,
  onEvent?: (event: LayerScanEvent, controller: AbortController) => void,
) {
  const events: LayerScanEvent[] = [];
  const controller = new AbortController();
  const { fetch, record } = fakeFetch(blob);
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
        expectedDigest: sha256(gzip),
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
      digest: { expected: sha256(gzip), computed: sha256(gzip), ok: true },
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
      const { last, entries } = await scan({ expectedDigest: sha256(blob), size: blob.length }, { chunks: chunked(blob, 7_000) });
      expect(doneOf(last).digest.ok).toBe(true);
      expect(entries.map((e) => [e.path, e.contentDigest])).toEqual([
        ['etc', undefined],
        ['etc/hello.txt', sha256(new TextEncoder().encode(HELLO))],
        ['etc/link', undefined],
        ['data', undefined],
        ['data/big.bin', sha256(BIG)],
      ]);
    }
  });

  it('reads a byte stream into one reused buffer without mixing up chunks', async () => {
    const { last, entries } = await scan(
      { expectedDigest: sha256(gzip), expectedDiffId: DIFF_ID, size: gzip.length },
      { chunks: chunked(gzip, 3_000), bytes: true },
    );
    expect(doneOf(last)).toMatchObject({ digest: { ok: true }, diffId: { ok: true }, decompressedBytes: tar.length, endMarker: true });
    expect(entries).toHaveLength(5);
  });

  it('reads every member of a multi-member gzip stream', async () => {
    const split = 100_000;
    const multi = concat(gzipSync(tar.subarray(0, split)), gzipSync(tar.subarray(split)));
    const { last, entries } = await scan({ expectedDigest: sha256(multi), expectedDiffId: DIFF_ID }, { chunks: chunked(multi, 8_192) });
    expect(doneOf(last)).toMatchObject({ decompressedBytes: tar.length, diffId: { ok: true }, digest: { ok: true }, endMarker: true });
    expect(entries.map((e) => e.path)).toContain('data/big.bin');
  });

  it('reports trailing garbage after the gzip stream and keeps the listing', async () => {
    const garbage = new TextEncoder().encode('not a gzip member, just junk');
    const body = concat(gzip, garbage);
    const { last } = await scan({ expectedDigest: sha256(body), expectedDiffId: DIFF_ID, size: body.length }, { chunks: [gzip, garbage] });
    expect(doneOf(last)).toMatchObject({
      trailingBytes: garbage.length,
      decompressedBytes: tar.length,
      diffId: { ok: true },
      entryCount: 5,
      endMarker: true,
    });
  });

  it('decompresses zstd', async () => {
    const { last } = await scan({ expectedDigest: sha256(zstd), expectedDiffId: DIFF_ID }, { chunks: chunked(zstd, 4_096) });
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
      { expectedDigest: sha256(zstd), expectedDiffId: DIFF_ID, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' },
      { chunks: [zstd] },
    );
    expect(doneOf(last)).toMatchObject({ compression: 'zstd', mediaTypeCompression: 'gzip', diffId: { ok: true } });
  });

  it('reports a digest mismatch with both values', async () => {
    const wrong = `sha256:${'0'.repeat(64)}`;
    const { last } = await scan({ expectedDigest: wrong, expectedDiffId: DIFF_ID }, { chunks: [gzip] });
    expect(doneOf(last).digest).toEqual({ expected: wrong, computed: sha256(gzip), ok: false });
    expect(doneOf(last).diffId.ok).toBe(true);
  });

  it('reports a diff_id mismatch with both values', async () => {
    const wrong = `sha256:${'1'.repeat(64)}`;
    const { last } = await scan({ expectedDigest: sha256(gzip), expectedDiffId: wrong }, { chunks: [gzip] });
    expect(doneOf(last).diffId).toEqual({ expected: wrong, computed: DIFF_ID, ok: false });
    expect(doneOf(last).digest.ok).toBe(true);
  });

  it('hashes with sha512 when the digest says so', async () => {
    const digest = `sha512:${createHash('sha512').update(gzip).digest('hex')}`;
    const { last } = await scan({ expectedDigest: digest }, { chunks: [gzip] });
    expect(doneOf(last).digest).toEqual({ expected: digest, computed: digest, ok: true });
    expect(doneOf(last).diffId).toEqual({ expected: undefined, computed: DIFF_ID, ok: undefined });
  });

  it('digest only: nothing decompressed', async () => {
    const { last, entries } = await scan({ expectedDigest: sha256(gzip), parseTar: false }, { chunks: chunked(gzip, 50_000) });
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
    const { last } = await scan({ expectedDigest: sha256(gzip), parseTar: false, keep: true }, { chunks: chunked(gzip, 50_000) });
    const kept = doneOf(last).kept;
    expect(new Uint8Array(await kept!.arrayBuffer())).toEqual(gzip);
    const { last: plain } = await scan({ expectedDigest: sha256(gzip), parseTar: false }, { chunks: chunked(gzip, 50_000) });
    expect(doneOf(plain).kept).toBeUndefined();
  });

  it('keeps bytes it was handed as a Blob without copying them', async () => {
    const blob = new Blob([gzip]);
    const events: LayerScanEvent[] = [];
    await scanLayer({ url: '/unused', expectedDigest: sha256(gzip), parseTar: false, keep: true, blob }, (event) => events.push(event));
    expect(doneOf(events.at(-1)!).kept).toBe(blob);
    expect(doneOf(events.at(-1)!).digest.ok).toBe(true);
  });

  it('keeps what was received even when it does not match the digest, which says so', async () => {
    const { last } = await scan({ expectedDigest: sha256(tar), parseTar: false, keep: true }, { chunks: chunked(gzip, 50_000) });
    expect(doneOf(last).digest.ok).toBe(false);
    expect(doneOf(last).kept!.size).toBe(gzip.length);
  });

  it('a body that breaks off is truncated, not a short listing', async () => {
    const chunks = chunked(gzip, 20_000);
    const { events, last } = await scan({ expectedDigest: sha256(gzip) }, { chunks: [chunks[0]!, chunks[1]!, 'fail'] });
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
      { expectedDigest: sha256(gzip) },
      { status: 404, chunks: [body], headers: { 'content-type': 'application/json' } },
    );
    expect(events).toEqual([
      { type: 'error', kind: 'http', status: 404, code: 'BLOB_UNKNOWN', message: expect.stringContaining(sha256(gzip)) },
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
      { expectedDigest: sha256(gzip) },
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
      { expectedDigest: sha256(gzip), extract: { path: 'etc/hello.txt', limit: 1 << 20 } },
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
      { expectedDigest: sha256(gzip), extract: { path: 'data/big.bin', limit: 1000 } },
      { chunks: chunked(gzip, 4_096) },
    );
    expect(last).toMatchObject({ type: 'file', path: 'data/big.bin', size: BIG.length, truncated: true });
    expect((last as { bytes: Uint8Array }).bytes).toEqual(BIG.subarray(0, 1000));
  });

  it('a file that is not in the layer ends in a verified done', async () => {
    const { events, last } = await scan({ expectedDigest: sha256(gzip), extract: { path: 'etc/missing', limit: 10 } }, { chunks: [gzip] });
    expect(doneOf(last).digest.ok).toBe(true);
    expect(events.some((e) => e.type === 'file')).toBe(false);
  });

  it('corrupt gzip data is a decompress error', async () => {
    const corrupt = gzip.slice();
    corrupt.fill(0xff, 100, 2_000);
    const { last } = await scan({ expectedDigest: sha256(corrupt) }, { chunks: [corrupt] });
    expect(last).toMatchObject({ type: 'error', kind: 'decompress' });
  });

  it('a gzip stream that stops early is a decompress error', async () => {
    const cut = gzip.slice(0, gzip.length - 1_000);
    const { last } = await scan({ expectedDigest: sha256(cut) }, { chunks: [cut] });
    expect(last).toMatchObject({ type: 'error', kind: 'decompress' });
  });

  it('bytes that are not a tar are a tar-format error', async () => {
    const notTar = new Uint8Array(gzipSync(semiRandom(4_096, 3)));
    const { last } = await scan({ expectedDigest: sha256(notTar) }, { chunks: [notTar] });
    expect(last).toMatchObject({ type: 'error', kind: 'tar-format' });
  });
});
