import { describe, expect, it } from 'vitest';
import { createRegistryClient } from './client';
import { totalOfContentRange } from './blob-start';

const repo = { registry: 'r.example', repository: 'team/app' };
const digest = `sha256:${'b'.repeat(64)}`;
const blob = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);

/** A body that counts how much of it was pulled, to prove a whole blob was not read. */
function countingBody(bytes: Uint8Array, chunk: number, pulled: { bytes: number; cancelled: boolean }) {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const next = bytes.subarray(at, at + chunk);
      at += next.length;
      pulled.bytes += next.length;
      controller.enqueue(next);
    },
    cancel() {
      pulled.cancelled = true;
    },
  });
}

function clientAnswering(answer: (range: string | null) => Response) {
  return createRegistryClient({ fetch: async (_input, init) => answer(new Headers(init?.headers).get('range')) });
}

describe('fetchBlobStart', () => {
  it('asks for a range and reads the total size from Content-Range', async () => {
    const client = clientAnswering((range) => {
      expect(range).toBe('bytes=0-4095');
      return new Response(blob.slice(0, 4096), { status: 206, headers: { 'content-range': `bytes 0-4095/${blob.length}` } });
    });
    const start = await client.fetchBlobStart(repo, digest, 4096);
    expect(start).toMatchObject({ complete: false, totalSize: blob.length });
    expect(start.bytes).toEqual(blob.slice(0, 4096));
  });

  it('reads only the first bytes of a registry that ignores Range, and cancels the rest', async () => {
    const pulled = { bytes: 0, cancelled: false };
    const client = clientAnswering(
      () => new Response(countingBody(blob, 1000, pulled), { status: 200, headers: { 'content-length': String(blob.length) } }),
    );
    const start = await client.fetchBlobStart(repo, digest, 4096);
    expect(start.bytes).toEqual(blob.slice(0, 4096));
    expect(start).toMatchObject({ complete: false, totalSize: blob.length });
    expect(pulled.cancelled).toBe(true);
    expect(pulled.bytes).toBeLessThan(blob.length);
  });

  it('says when the sample is the whole blob', async () => {
    const small = blob.slice(0, 100);
    const client = clientAnswering(() => new Response(small, { status: 206, headers: { 'content-range': 'bytes 0-99/100' } }));
    expect(await client.fetchBlobStart(repo, digest, 4096)).toMatchObject({ complete: true, totalSize: 100 });
  });

  it('fails as the registry failed: a missing blob is blob-unknown', async () => {
    const client = clientAnswering(
      () => new Response(JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] }), { status: 404 }),
    );
    await expect(client.fetchBlobStart(repo, digest, 4096)).rejects.toMatchObject({ kind: 'blob-unknown' });
  });
});

describe('totalOfContentRange', () => {
  it.each([
    ['bytes 0-4095/123456', 123456],
    ['bytes */500', 500],
    ['bytes 0-9/*', undefined],
    [null, undefined],
    ['items 0-1/2', undefined],
  ])('%s → %s', (header, total) => {
    expect(totalOfContentRange(header)).toBe(total);
  });
});
