import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../scripts/precompress.ts';
import { createProxyHandler } from './handler.ts';
import { createApp, startServer } from './node-server.ts';
import { fileForPath } from './precompressed-static.ts';

/** A script big enough to be worth compressing, and an index.html that is too (a deep link's answer). */
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word-${i}`))};\n`;
const INDEX = `<!doctype html><title>ociscope</title>${'<link rel="modulepreload" href="/assets/chunk.js">'.repeat(40)}`;
const SMALL = 'export {};';

let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'ociscope-precompressed-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), INDEX);
  await writeFile(path.join(dist, 'assets', 'index-abc123.js'), SCRIPT);
  await writeFile(path.join(dist, 'assets', 'small-def456.js'), SMALL);
  await precompressDirectory(dist);
});
afterAll(() => rm(dist, { recursive: true, force: true }));

const app = () => createApp({ proxy: createProxyHandler({ fetch: async () => new Response(null, { status: 418 }) }), distDir: dist });
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => app().request(url, { method, headers });

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

describe('precompressed static files (createApp, in-process)', () => {
  it('sends brotli to a browser that accepts it, with the type of the original', async () => {
    const response = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await bytesOf(response);
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    expect(body.length).toBeLessThan(SCRIPT.length / 3);
    expect(brotliDecompressSync(body).toString('utf8')).toBe(SCRIPT);
  });

  it('sends gzip to a client that accepts only gzip', async () => {
    const response = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytesOf(response)).toString('utf8')).toBe(SCRIPT);
  });

  it.each<Record<string, string>>([{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'br;q=0, gzip;q=0' }])(
    'falls back to the file itself for %j, still saying it varies by Accept-Encoding',
    async (headers) => {
      const response = await get('/assets/index-abc123.js', headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(await response.text()).toBe(SCRIPT);
    },
  );

  it('answers a Range request from the file itself', async () => {
    const response = await get('/assets/index-abc123.js', { 'accept-encoding': 'br', range: 'bytes=0-5' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(await response.text()).toBe(SCRIPT.slice(0, 6));
  });

  it('answers HEAD with the variant’s length and no body', async () => {
    const head = await get('/assets/index-abc123.js', { 'accept-encoding': 'br' }, 'HEAD');
    const full = await get('/assets/index-abc123.js', { 'accept-encoding': 'br' });
    expect(head.headers.get('content-encoding')).toBe('br');
    expect(head.headers.get('content-length')).toBe(full.headers.get('content-length'));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('sends a file too small to have variants as it is, without Vary', async () => {
    const response = await get('/assets/small-def456.js', { 'accept-encoding': 'br, gzip' });
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('vary')).toBeNull();
    expect(await response.text()).toBe(SMALL);
  });

  it.each(['/', '/?image=alpine', '/fs/library/alpine@sha256:abc/etc/os-release'])(
    'sends index.html compressed for the SPA route %s',
    async (url) => {
      const response = await get(url, { 'accept-encoding': 'br' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-encoding')).toBe('br');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(brotliDecompressSync(await bytesOf(response)).toString('utf8')).toBe(INDEX);
    },
  );

  it('keeps the security headers on compressed answers', async () => {
    const response = await get('/assets/index-abc123.js', { 'accept-encoding': 'br' });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the build directory: an escaped climb gets the app', async () => {
    const response = await get('/assets/%2e%2e/%2e%2e/etc/passwd', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(await bytesOf(response)).toString('utf8')).toBe(INDEX);
  });
});

describe('fileForPath', () => {
  it.each([
    ['/assets/a.js', 'assets/a.js'],
    ['/', 'index.html'],
    ['/docs/', 'docs/index.html'],
    ['/a%20b.js', 'a b.js'],
  ])('maps %s inside the root', (urlPath, relative) => {
    expect(fileForPath('/srv/dist', urlPath)).toBe(path.join('/srv/dist', relative));
  });

  it.each(['/../secret', '/assets/%2e%2e/x', '/a%2f..%2f..%2fx', '//etc/passwd', '/a\\b', '/%00', '/%E0%A4%A'])('refuses %s', (urlPath) => {
    expect(fileForPath('/srv/dist', urlPath)).toBeUndefined();
  });
});

describe('over a socket', () => {
  it('lets a real HTTP client decode what it asked for', async () => {
    const server = await startServer({ port: 0, distDir: dist, upstream: async () => new Response(null, { status: 418 }) });
    try {
      // Node's fetch sends "accept-encoding: gzip, deflate" (and br where built with it) and decodes the answer.
      const response = await fetch(`${server.url}/assets/index-abc123.js`);
      expect(['br', 'gzip']).toContain(response.headers.get('content-encoding'));
      expect(await response.text()).toBe(SCRIPT);
    } finally {
      await server.close();
    }
  });
});
