/**
 * The proxy handler on a second Web-standard runtime: workerd, the open-source Cloudflare Workers
 * runtime, driven by miniflare. proxy/edge-entry.ts is bundled as it would be deployed (esbuild,
 * worker conditions, no Node built-ins) and proxies the suite's real registry with workerd's own
 * `fetch`, so "runs on an edge network" is checked against the same registry as the Node server.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { readE2EState } from './support/state.ts';
import { sha256Digest } from '../src/test-support/digest.ts';

const EDGE_ENTRY = fileURLToPath(new URL('../proxy/edge-entry.ts', import.meta.url));

/** The worker script, bundled the way `wrangler deploy` would: one ES module, browser/worker exports. */
async function bundleEdgeEntry(): Promise<string> {
  const result = await build({
    entryPoints: [EDGE_ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    write: false,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output for proxy/edge-entry.ts');
  return output.text;
}

test.describe('the proxy handler under workerd', () => {
  let worker: Miniflare;

  test.beforeAll(async () => {
    worker = new Miniflare({
      modules: true,
      script: await bundleEdgeEntry(),
      compatibilityDate: '2025-07-18',
      bindings: { OCISCOPE_ALLOW_HOSTS: readE2EState().registry.host },
    });
    await worker.ready;
  });

  test.afterAll(async () => {
    await worker?.dispose();
  });

  const edgeUrl = (apiPath: string, host = readE2EState().registry.host): string => `http://edge.example/registry/${host}/v2/${apiPath}`;

  test('serves a manifest by tag with its digest, byte for byte', async () => {
    const image = readE2EState().seed.single;
    const response = await worker.dispatchFetch(edgeUrl(`${image.repo}/manifests/${image.tag}`), {
      headers: { accept: image.mediaType },
    });
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(image.digest);
    expect(response.headers.get('content-type')).toBe(image.mediaType);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(sha256Digest(body)).toBe(image.digest);
    expect(body.byteLength).toBe(image.size);
  });

  test('streams a blob by digest, cacheable forever', async () => {
    const layer = readE2EState().seed.single.layers[0]!;
    const response = await worker.dispatchFetch(edgeUrl(`${readE2EState().seed.single.repo}/blobs/${layer.digest}`));
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(sha256Digest(body)).toBe(layer.digest);
  });

  test('refuses loopback hosts that are not allowlisted, in any spelling', async () => {
    for (const host of ['127.0.0.1:1', '0x7f.1:5000', '2130706433', 'localhost:5000', '[::ffff:7f00:1]:5000']) {
      const response = await worker.dispatchFetch(edgeUrl('', host));
      expect(response.status, host).toBe(403);
      expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code, host).toBe('PROXY_BLOCKED_ADDRESS');
    }
  });

  test('serves only /registry/', async () => {
    const response = await worker.dispatchFetch('http://edge.example/index.html');
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
