/**
 * Layers kept in the browser (src/lib/layer-store): a layer read once lists again in a new tab
 * without a byte of its blob fetched, labelled with when it was verified; a damaged kept index
 * is thrown away and rebuilt by a new pass.
 */
import { expect, type Page, test } from '@playwright/test';
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
