/**
 * Layers kept in the browser (src/lib/layer-store): a layer read once lists again in a new tab
 * without a byte of its blob fetched, labelled with when it was verified; a damaged kept index
 * is thrown away and rebuilt by a new pass. Files of an indexed layer open on their own: a Range
 * request for a small part of a multi-MiB gzip layer (seeded here, as only this spec needs it),
 * checked against the content digest the full pass recorded; through a relay that ignores Range
 * the file still opens and the page says why it took longer; and Range crosses nginx in front
 * of the app as it crosses the app.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { pushBlob, pushManifest } from './registry/push';
import { buildLayer, type BuiltLayer } from './registry/tar-layer';
import { startCachingNginx } from './support/nginx';
import { readE2EState } from './support/state';

const seed = () => readE2EState().seed;

/** The layer page of `layered`'s layer `index`, as the image page links it. */
async function layerUrl(page: Page, index: number): Promise<string> {
  const { layered } = seed();
  await page.goto(`/?image=${layered.ref}`);
  const link = page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${layered.layers[index]!.digest}"]`);
  return (await link.getAttribute('href'))!;
}

/** Counts the requests for one blob a page makes from now on. */
function countBlobRequests(page: Page, digest: string): { count: () => number } {
  let count = 0;
  page.on('request', (request) => {
    if (request.url().includes(`/blobs/${digest}`)) count++;
  });
  return { count: () => count };
}

test('a layer read once lists again in a new tab with no blob request, labelled with when it was verified', async ({ page, context }) => {
  const { layered } = seed();
  const layer = layered.layers[0]!;
  const url = await layerUrl(page, 0);
  await page.goto(url);
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('kept-now')).toBeVisible();

  const again = await context.newPage();
  const requests = countBlobRequests(again, layer.digest);
  await again.goto(url);
  await expect(again.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(again.getByTestId('kept-note')).toContainText('verified in this browser on');
  await expect(again.getByTestId('kept-label').locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(again.getByTestId('layer-verification')).toContainText('verified in this browser on');
  await expect(again.getByTestId('layer-digest-computed')).toHaveText(layer.digest);
  await expect(again.locator('[data-testid="file-row"][data-path="usr"]')).toBeVisible();
  expect(requests.count()).toBe(0);

  // The merged view of the image lists that layer from storage too.
  await again.goto(url.split('?')[0]!.replace(layer.digest, layered.digest));
  await expect(again.getByTestId('merged-layer').first()).toContainText('verified in this browser on');
  expect(requests.count()).toBe(0);
});

test('a damaged kept index is discarded, said so, and rebuilt by a new pass', async ({ page, context }) => {
  const { layered } = seed();
  const layer = layered.layers[0]!;
  const url = await layerUrl(page, 0);
  await page.goto(url);
  await expect(page.getByTestId('kept-now')).toBeVisible();

  await page.evaluate(async (digest) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ociscope-layer-indexes');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const store = db.transaction('records', 'readwrite').objectStore('records');
      const get = store.get(digest);
      get.onsuccess = () => {
        const record = get.result as { payload: ArrayBuffer };
        const bytes = new Uint8Array(record.payload);
        bytes[40] = bytes[40]! ^ 0x01;
        const put = store.put({ ...record, payload: bytes.buffer });
        put.onsuccess = () => resolve();
        put.onerror = () => reject(put.error);
      };
      get.onerror = () => reject(get.error);
    });
    db.close();
  }, layer.digest);

  const again = await context.newPage();
  const requests = countBlobRequests(again, layer.digest);
  await again.goto(url);
  await expect(again.getByTestId('kept-discarded')).toContainText('damaged');
  await expect(again.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(again.getByTestId('kept-now')).toBeVisible();
  expect(requests.count()).toBeGreaterThan(0);

  const third = await context.newPage();
  const later = countBlobRequests(third, layer.digest);
  await third.goto(url);
  await expect(third.getByTestId('kept-note')).toContainText('verified in this browser on');
  expect(later.count()).toBe(0);
});

const BIG_REPO = 'store/big';
const HEAD_PATH = 'big/a-head.txt';
const TAIL_PATH = 'big/z-tail.txt';
const HEAD_TEXT = 'the first file of the layer\n';
const TAIL_TEXT = 'the last file, past 10 MiB of tar\n';

/** A gzip layer of 10 MiB of incompressible text between a small first and a small last file. */
let big: { layer: BuiltLayer; manifest: string };

test.beforeAll(async () => {
  const { registry } = readE2EState();
  const workDir = await mkdtemp(join(tmpdir(), 'ociscope-store-'));
  try {
    const layer = await buildLayer(workDir, 'big', [
      { path: HEAD_PATH, content: HEAD_TEXT },
      { path: 'big/m-filler.txt', content: randomBytes(7_500_000).toString('base64') },
      { path: TAIL_PATH, content: TAIL_TEXT },
    ]);
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layer.diffId] } }),
    );
    const configBlob = await pushBlob(registry.url, BIG_REPO, new Uint8Array(config));
    await pushBlob(registry.url, BIG_REPO, new Uint8Array(layer.blob));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.size }],
      }),
    );
    const pushed = await pushManifest(registry.url, BIG_REPO, 'v1', 'application/vnd.oci.image.manifest.v1+json', new Uint8Array(manifest));
    big = { layer, manifest: pushed.digest };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
});

const bigLayerUrl = (host: string, path = '') =>
  `/fs/${host}/${BIG_REPO}@${big.layer.digest}/${path}?m=${big.manifest}&i=0&mt=application%2Fvnd.oci.image.layer.v1.tar%2Bgzip&size=${big.layer.size}`;

/** The blob responses a page receives from now on, with the Range each request carried. */
function watchBlob(page: Page, digest: string) {
  const seen: { range: string | undefined; status: number; length: number }[] = [];
  page.on('response', (response) => {
    if (!response.url().includes(`/blobs/${digest}`)) return;
    const length = Number(response.headers()['content-length'] ?? NaN);
    seen.push({ range: response.request().headers()['range'], status: response.status(), length });
  });
  return seen;
}

test('a file of a multi-MiB gzip layer read before opens with a Range request for a small part, checked against its recorded digest', async ({
  page,
  context,
}) => {
  const host = readE2EState().registry.host;
  expect(big.layer.size).toBeGreaterThan(5 << 20);
  await page.goto(bigLayerUrl(host));
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('kept-now')).toBeVisible();

  for (const [path, text] of [
    [TAIL_PATH, TAIL_TEXT],
    [HEAD_PATH, HEAD_TEXT],
  ] as const) {
    const tab = await context.newPage();
    const responses = watchBlob(tab, big.layer.digest);
    await tab.goto(bigLayerUrl(host, path));
    await expect(tab.getByTestId('file-text')).toContainText(text.trim());
    await expect(tab.getByTestId('file-access')).toHaveAttribute('data-content', 'match');
    await expect(tab.getByTestId('file-access')).toHaveAttribute('data-range', 'honoured');
    await expect(tab.getByTestId('file-proof')).toContainText('these are the bytes that pass verified');
    expect(responses).toHaveLength(1);
    expect(responses[0]!.range).toMatch(/^bytes=\d+-\d+$/);
    expect(responses[0]!.status).toBe(206);
    expect(responses[0]!.length).toBeLessThan(big.layer.size / 2);
    await tab.close();
  }
});

test('through a relay that ignores Range, a file of an indexed layer still opens, and the page says why it took longer', async ({
  page,
}) => {
  const relay = readE2EState().registry.rangeIgnoringHost;
  await page.goto(bigLayerUrl(relay));
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  const responses = watchBlob(page, big.layer.digest);
  await page.goto(bigLayerUrl(relay, TAIL_PATH));
  await expect(page.getByTestId('file-text')).toContainText(TAIL_TEXT.trim());
  await expect(page.getByTestId('file-access')).toHaveAttribute('data-range', 'ignored');
  await expect(page.getByTestId('file-access')).toHaveAttribute('data-content', 'match');
  await expect(page.getByTestId('range-ignored')).toContainText('ignored the Range request');
  expect(responses.map((r) => r.status)).toEqual([200]);
});

test('Range crosses the app and nginx in front of it: 206 with Content-Range, from the cache too', async ({ request }) => {
  const { registry, app } = readE2EState();
  const path = `/registry/${registry.host}/v2/${BIG_REPO}/blobs/${big.layer.digest}`;
  const expected = big.layer.blob.subarray(1000, 1100);
  const nginx = await startCachingNginx(app.baseUrl);
  try {
    for (const base of [app.baseUrl, nginx.url, nginx.url]) {
      const response = await request.get(`${base}${path}`, { headers: { range: 'bytes=1000-1099' } });
      expect(response.status()).toBe(206);
      expect(response.headers()['content-range']).toBe(`bytes 1000-1099/${big.layer.size}`);
      expect(Buffer.compare(await response.body(), expected)).toBe(0);
    }
  } finally {
    await nginx.stop();
  }
});
