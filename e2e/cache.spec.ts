/**
 * Caching that lets a CDN do the scaling (issue 4, "Load and scale"), proved with a real caching
 * reverse proxy: Debian's nginx with `proxy_cache` (support/nginx.ts) in front of the suite's app
 * server, configured as the README's "Deployment" section recommends.
 *
 * What the app promises (proxy/header-policy.ts `cacheControlFor`): content addressed by digest is
 * `public, max-age=31536000, immutable`; tags and listings are `no-cache`; errors `no-store`;
 * `ETag` and `If-None-Match` pass through; anything fetched with credentials (the server's, from
 * OCISCOPE_REGISTRY_AUTH_FILE, or a user's, in X-Ociscope-Registry-Authorization) is `private`,
 * which is all that keeps it out of the shared cache: nginx only bypasses for `Authorization` and
 * cookies, not for the app's own credentials header. The specs check each promise by its effect
 * on the cache, read from nginx's `X-Cache-Status`, not by the header text alone.
 */
import { expect, test } from '@playwright/test';
import { USER_CREDENTIALS_HEADER } from '../src/lib/registry-credentials.ts';
import { startCachingNginx, type RunningNginx } from './support/nginx.ts';
import { proxyPath, readE2EState } from './support/state.ts';
import { sha256Digest } from '../src/test-support/digest.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Fetched {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: new Uint8Array(await response.arrayBuffer()) };
}

test.describe('behind a caching reverse proxy (nginx proxy_cache)', () => {
  let cdn: RunningNginx;

  test.beforeAll(async () => {
    cdn = await startCachingNginx(readE2EState().app.baseUrl);
  });

  test.afterAll(async () => {
    await cdn?.stop();
  });

  const viaCdn = (apiPath: string): string => `${cdn.url}${proxyPath(apiPath)}`;

  test('a manifest fetched by digest is a cache hit the second time, byte for byte', async () => {
    const image = readE2EState().seed.single;
    const url = viaCdn(`${image.repo}/manifests/${image.digest}`);
    const accept = { accept: image.mediaType };

    const first = await get(url, accept);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe(IMMUTABLE);

    const second = await get(url, accept);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(sha256Digest(second.body)).toBe(image.digest);
    expect(second.headers.get('docker-content-digest')).toBe(image.digest);
    expect(second.headers.get('content-type')).toBe(image.mediaType);
    expect(second.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('a blob is a cache hit the second time, byte for byte', async () => {
    const image = readE2EState().seed.single;
    const layer = image.layers[0]!;
    const url = viaCdn(`${image.repo}/blobs/${layer.digest}`);

    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache-status')).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(sha256Digest(first.body)).toBe(layer.digest);

    const second = await get(url);
    expect(second.headers.get('x-cache-status')).toBe('HIT');
    expect(sha256Digest(second.body)).toBe(layer.digest);
    expect(second.body.byteLength).toBe(layer.size);
  });

  test('a manifest fetched by tag is never served from the cache', async () => {
    const image = readE2EState().seed.single;
    const url = viaCdn(`${image.repo}/manifests/${image.tag}`);
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await get(url, { accept: image.mediaType });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-cache-status'), `fetch ${attempt + 1}`).toBe('MISS');
      expect(sha256Digest(response.body)).toBe(image.digest);
    }
  });

  test('tag listings and errors are never cached', async () => {
    const image = readE2EState().seed.single;
    const missing = `sha256:${'0'.repeat(64)}`;
    for (const apiPath of [`${image.repo}/tags/list`, `${image.repo}/manifests/${missing}`, `${image.repo}/blobs/${missing}`]) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await get(viaCdn(apiPath), { accept: image.mediaType });
        expect(response.headers.get('x-cache-status'), `${apiPath} fetch ${attempt + 1}`).toBe('MISS');
        expect(['no-cache', 'no-store'], apiPath).toContain(response.headers.get('cache-control'));
      }
    }
  });

  test('a request carrying credentials neither reads from nor fills the shared cache', async () => {
    const image = readE2EState().seed.single;
    const layer = image.layers[1]!;
    const url = viaCdn(`${image.repo}/blobs/${layer.digest}`);
    const credentials = { authorization: `Basic ${Buffer.from('someone:secret').toString('base64')}` };

    for (let attempt = 0; attempt < 2; attempt++) {
      const credentialed = await get(url, credentials);
      expect(credentialed.status).toBe(200);
      expect(credentialed.headers.get('x-cache-status'), `credentialed fetch ${attempt + 1}`).toBe('BYPASS');
      expect(sha256Digest(credentialed.body)).toBe(layer.digest);
    }
    const anonymous = await get(url);
    expect(anonymous.headers.get('x-cache-status'), 'the credentialed fetches stored nothing').toBe('MISS');
  });

  /** The private image's manifest and config blob (named by that manifest) by digest, on `host`. */
  async function privateContent(host: string, headers: Record<string, string> = {}) {
    const { image } = readE2EState().authRegistry;
    const manifestUrl = `${cdn.url}${proxyPath(`${image.repo}/manifests/${image.digest}`, host)}`;
    const manifest = await get(manifestUrl, { accept: OCI_MANIFEST, ...headers });
    expect(manifest.status).toBe(200);
    const config = (JSON.parse(new TextDecoder().decode(manifest.body)) as { config: { digest: string } }).config.digest;
    return [
      { what: 'manifest', url: manifestUrl, digest: image.digest, accept: OCI_MANIFEST },
      { what: 'config blob', url: `${cdn.url}${proxyPath(`${image.repo}/blobs/${config}`, host)}`, digest: config, accept: '*/*' },
    ];
  }

  test('answers made with the server’s credentials are private: never a cache hit', async () => {
    const { host } = readE2EState().authRegistry;
    for (const content of await privateContent(host)) {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const response = await get(content.url, { accept: content.accept });
        const label = `${content.what}, fetch ${attempt}`;
        expect(response.status, label).toBe(200);
        expect(sha256Digest(response.body), label).toBe(content.digest);
        expect(response.headers.get('cache-control'), label).toMatch(/\bprivate\b/);
        expect(response.headers.get('x-cache-status'), label).not.toBe('HIT');
      }
    }
  });

  test('answers made with a user’s credentials are never cached, and never served to a request without them', async () => {
    const { unconfiguredHost, user } = readE2EState().authRegistry;
    const credentials = { [USER_CREDENTIALS_HEADER]: `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}` };
    for (const content of await privateContent(unconfiguredHost, credentials)) {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const response = await get(content.url, { accept: content.accept, ...credentials });
        const label = `${content.what} with credentials, fetch ${attempt}`;
        expect(response.status, label).toBe(200);
        expect(sha256Digest(response.body), label).toBe(content.digest);
        // nginx also bypasses the cache for this header (support/nginx.ts); the app's own answer must keep any cache out regardless.
        expect(response.headers.get('cache-control'), label).toBe('private, no-store');
        expect(response.headers.get('x-cache-status'), label).not.toBe('HIT');
      }
      // The leak that matters: the same URL without the header must not get the stored answer.
      const anonymous = await get(content.url, { accept: content.accept });
      expect(anonymous.status, `${content.what} without credentials`).toBe(401);
      expect(anonymous.headers.get('x-cache-status'), `${content.what} without credentials`).not.toBe('HIT');
      expect(sha256Digest(anonymous.body)).not.toBe(content.digest);
    }
  });

  test('If-None-Match with the ETag is answered 304, by the app and by the cache', async () => {
    const image = readE2EState().seed.multi;
    const accept = { accept: image.mediaType };
    const direct = `${readE2EState().app.baseUrl}${proxyPath(`${image.repo}/manifests/${image.tag}`)}`;

    const full = await get(direct, accept);
    const etag = full.headers.get('etag');
    expect(etag, 'the registry sends an ETag and the proxy passes it on').not.toBeNull();
    expect(full.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');

    const revalidated = await get(direct, { ...accept, 'if-none-match': etag! });
    expect(revalidated.status, 'app server, by tag').toBe(304);
    expect(revalidated.body.byteLength).toBe(0);
    expect((await get(direct, { ...accept, 'if-none-match': '"sha256:stale"' })).status).toBe(200);

    const byTag = await get(viaCdn(`${image.repo}/manifests/${image.tag}`), { ...accept, 'if-none-match': etag! });
    expect(byTag.status, 'through the cache, by tag').toBe(304);

    const byDigest = viaCdn(`${image.repo}/manifests/${image.digest}`);
    await get(byDigest, accept);
    const cached = await get(byDigest, { ...accept, 'if-none-match': etag! });
    expect(cached.status, 'through the cache, by digest, from the cache').toBe(304);
    expect(cached.headers.get('x-cache-status')).toBe('HIT');
  });
});
