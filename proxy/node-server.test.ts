import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxyHandler } from './handler.ts';
import { APP_CONTENT_SECURITY_POLICY, createApp, serverOptionsFromEnv, startServer } from './node-server.ts';
import type { UpstreamFetch } from './upstream-fetch.ts';

const INDEX = '<!doctype html><title>ociscope</title><script type="module" src="/assets/index-abc123.js"></script>';
const SHA256 = `sha256:${'c'.repeat(64)}`;

let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), 'ociscope-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), INDEX);
  await writeFile(path.join(dist, 'favicon.svg'), '<svg/>');
  await writeFile(path.join(dist, 'assets', 'index-abc123.js'), 'export {};');
  await writeFile(path.join(dist, 'assets', 'hash-worker-def456.js'), 'self.onmessage = () => {};');
  await writeFile(path.join(dist, 'assets', 'zstd-0a1b2c.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d]));
});
afterAll(() => rm(dist, { recursive: true, force: true }));

const registry: UpstreamFetch = async (url) =>
  url === `https://ghcr.io/v2/a/blobs/${SHA256}`
    ? new Response('blob', { headers: { 'content-type': 'application/octet-stream', 'content-length': '4' } })
    : new Response('unexpected', { status: 418 });

const app = () => createApp({ proxy: createProxyHandler({ fetch: registry }), distDir: dist });

describe('createApp (in-process, no socket)', () => {
  it.each([
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/hash-worker-def456.js', 'text/javascript; charset=utf-8'],
    ['/assets/zstd-0a1b2c.wasm', 'application/wasm'],
    ['/favicon.svg', 'image/svg+xml; charset=utf-8'],
  ])('serves %s as %s', async (file, type) => {
    const response = await app().request(file);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('caches hashed assets for a year and revalidates other files', async () => {
    expect((await app().request('/assets/index-abc123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app().request('/favicon.svg')).headers.get('cache-control')).toBe('no-cache');
  });

  it.each([
    '/',
    '/index.html',
    '/?image=quay.io/openshift-examples/multi-arch:kcdmunich2023',
    `/fs/library/alpine@${SHA256}/etc/os-release`,
    '/some/deep/link',
    '/fs/a@b/file%20with%20space',
  ])('answers %s with index.html, revalidated', async (url) => {
    const response = await app().request(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(INDEX);
  });

  it('answers a missing hashed asset with 404, not index.html', async () => {
    expect((await app().request('/assets/index-gone.js')).status).toBe(404);
  });

  it('routes /registry/ to the proxy handler', async () => {
    const response = await app().request(`/registry/ghcr.io/v2/a/blobs/${SHA256}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toBe('blob');
  });

  it('routes bad /registry paths to the proxy too, which refuses them', async () => {
    const response = await app().request('/registry/ghcr.io/v1/');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-ociscope-proxy')).toBe('error');
  });

  /** The policy as a map of directive -> sources, so each directive is asserted exactly. */
  const directives = (policy: string | null) =>
    Object.fromEntries(
      (policy ?? '').split(';').map((directive) => {
        const [name = '', ...sources] = directive.trim().split(/\s+/);
        return [name, sources.join(' ')];
      }),
    );

  it('sends a CSP that allows our scripts, workers and WebAssembly only', async () => {
    const response = await app().request('/?image=docker.io/library/alpine');
    expect(directives(response.headers.get('content-security-policy'))).toEqual({
      'default-src': "'self'",
      'script-src': "'self' 'wasm-unsafe-eval'",
      'worker-src': "'self'",
      'connect-src': "'self'",
      'img-src': "'self' blob: data:",
      'style-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(response.headers.get('content-security-policy')).not.toMatch(/'unsafe-eval'|'unsafe-inline'|\*/);
  });

  it.each([
    '/',
    '/assets/index-abc123.js',
    '/assets/hash-worker-def456.js',
    '/assets/zstd-0a1b2c.wasm',
    '/favicon.svg',
    '/assets/index-gone.js',
  ])('sends the CSP, nosniff and no-referrer on %s (workers take the policy of their own script)', async (file) => {
    const response = await app().request(file);
    expect(response.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it.each([`/registry/ghcr.io/v2/a/blobs/${SHA256}`, '/registry/ghcr.io/v1/'])(
    'sandboxes proxied content on our origin (%s): no scripts even if a registry serves HTML',
    async (url) => {
      const response = await app().request(url);
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    },
  );

  it('explains a missing build instead of failing', async () => {
    const unbuilt = createApp({
      proxy: createProxyHandler({ fetch: registry }),
      distDir: path.join(dist, 'missing'),
    });
    const response = await unbuilt.request('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build');
  });
});

describe('serverOptionsFromEnv', () => {
  it('defaults to 127.0.0.1:8080 and <repo>/dist', () => {
    const options = serverOptionsFromEnv({});
    expect(options).toMatchObject({ port: 8080, hostname: '127.0.0.1', allowHosts: [] });
    expect(options.distDir).toBe(path.resolve(import.meta.dirname, '..', 'dist'));
  });

  it('reads PORT, HOST, OCISCOPE_ALLOW_HOSTS and OCISCOPE_DIST', () => {
    expect(
      serverOptionsFromEnv({
        PORT: '0',
        HOST: '0.0.0.0',
        OCISCOPE_ALLOW_HOSTS: ' 127.0.0.1:5000, localhost:5000 ,,',
        OCISCOPE_DIST: '/srv/ociscope',
      }),
    ).toEqual({
      port: 0,
      hostname: '0.0.0.0',
      allowHosts: ['127.0.0.1:5000', 'localhost:5000'],
      distDir: '/srv/ociscope',
      upstreamTimeouts: {},
    });
  });

  it('reads the upstream timeouts, each on its own', () => {
    expect(
      serverOptionsFromEnv({
        OCISCOPE_UPSTREAM_CONNECT_TIMEOUT_MS: '2500',
        OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS: ' 4000 ',
        OCISCOPE_UPSTREAM_BODY_TIMEOUT_MS: '',
      }).upstreamTimeouts,
    ).toEqual({ connectMs: 2500, headersMs: 4000 });
  });

  it.each(['0', '-5', '1.5', '10s', '1e3', '99999999999999999999'])('refuses a timeout of %s, naming the variable', (value) => {
    expect(() => serverOptionsFromEnv({ OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS: value })).toThrow(
      /^OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS ".*" is not a positive number of milliseconds\.$/,
    );
  });

  it('reads OCISCOPE_REGISTRY_AUTH_FILE', () => {
    expect(serverOptionsFromEnv({ OCISCOPE_REGISTRY_AUTH_FILE: '/etc/ociscope/auth.json' }).registryAuthFile).toBe(
      '/etc/ociscope/auth.json',
    );
    expect(serverOptionsFromEnv({}).registryAuthFile).toBeUndefined();
  });

  it('refuses to start when the registry auth file is missing, naming the file', async () => {
    await expect(startServer({ port: 0, distDir: dist, registryAuthFile: '/nonexistent/auth.json' })).rejects.toThrow(
      /OCISCOPE_REGISTRY_AUTH_FILE \/nonexistent\/auth\.json: ENOENT/,
    );
  });

  it.each(['http', '-1', '65536', '80.5'])('rejects PORT=%s', (port) => {
    expect(() => serverOptionsFromEnv({ PORT: port })).toThrow(RangeError);
  });
});

describe('startServer (opens a socket on a free port)', () => {
  it('gives up on a registry that never sends headers after the configured time, as PROXY_UNREACHABLE timeout', async () => {
    const stalled: net.Socket[] = [];
    // Accepts the connection and reads the request, then says nothing.
    const silent = net.createServer((socket) => {
      stalled.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const registryHost = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const server = await startServer({ port: 0, distDir: dist, allowHosts: [registryHost], upstreamTimeouts: { headersMs: 300 } });
    try {
      const started = performance.now();
      const response = await fetch(`${server.url}/registry/${registryHost}/v2/a/manifests/v1`);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({
        errors: [{ code: 'PROXY_UNREACHABLE', detail: { host: registryHost, cause: 'timeout' } }],
      });
      // Bounded by the configured 300 ms, not the 30 s default.
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await server.close();
      for (const socket of stalled) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('serves the SPA and the proxy over HTTP, and closes', async () => {
    const server = await startServer({ port: 0, distDir: dist, upstream: registry });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(await (await fetch(`${server.url}/fs/x`)).text()).toBe(INDEX);

      const head = await fetch(`${server.url}/registry/ghcr.io/v2/a/blobs/${SHA256}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe('4');
      expect(head.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

      const get = await fetch(`${server.url}/registry/ghcr.io/v2/a/blobs/${SHA256}`);
      expect(await get.text()).toBe('blob');
    } finally {
      await server.close();
    }
  });
});
