/**
 * Range requests cross the proxy both ways (RFC 9110 §14): the browser's Range reaches the
 * registry, and a 206 comes back with its Content-Range readable by the page, through the
 * redirect to blob storage that registries answer blobs with. A registry that ignores Range and
 * answers 200 is passed on as it is: the page notices and reads the whole body.
 */
import { describe, expect, it } from 'vitest';
import { createProxyHandler } from './handler.ts';
import { scriptedUpstream } from '../src/test-support/upstream.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const BLOB_URL = `https://ghcr.io/v2/foo/bar/blobs/${DIGEST}`;
const STORAGE_URL = 'https://pkg-containers.example/blob?sig=1';
const BLOB = new Uint8Array(1000).map((_, i) => i % 251);

function rangeAnswer(range: string | null): Response {
  const match = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
  if (!match) return new Response(BLOB, { headers: { 'content-length': String(BLOB.length), 'accept-ranges': 'bytes' } });
  const [start, end] = [Number(match[1]), Number(match[2])];
  return new Response(BLOB.slice(start, end + 1), {
    status: 206,
    headers: {
      'content-range': `bytes ${start}-${end}/${BLOB.length}`,
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
    },
  });
}

const get = (fetch: ReturnType<typeof scriptedUpstream>['fetch'], headers: Record<string, string>) =>
  createProxyHandler({ fetch })(new Request(`http://proxy.test/registry/ghcr.io/v2/foo/bar/blobs/${DIGEST}`, { headers }));

describe('Range through the proxy', () => {
  it('forwards Range across the redirect to storage and answers 206 with a readable Content-Range', async () => {
    const upstream = scriptedUpstream({
      [BLOB_URL]: () => new Response(null, { status: 307, headers: { location: STORAGE_URL } }),
      [STORAGE_URL]: ({ headers }) => rangeAnswer(headers.get('range')),
    });
    const response = await get(upstream.fetch, { range: 'bytes=100-199' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(response.headers.get('access-control-expose-headers')).toContain('content-range');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(BLOB.slice(100, 200));
    expect(upstream.calls.map((call) => call.headers.get('range'))).toEqual(['bytes=100-199', 'bytes=100-199']);
  });

  it('passes a 200 from a registry that ignores Range on unchanged, whole', async () => {
    const upstream = scriptedUpstream({ [BLOB_URL]: () => rangeAnswer(null) });
    const response = await get(upstream.fetch, { range: 'bytes=100-199' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-range')).toBeNull();
    expect((await response.arrayBuffer()).byteLength).toBe(BLOB.length);
  });
});
