/**
 * The layer explorer against real layers built with GNU tar, gzip and zstd: verification of
 * digest and diff_id, ls-like listings, file previews, deep links, the merged filesystem with
 * whiteouts and opaque directories, cancel, truncation, and a diff_id that does not match.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';

const state = () => readE2EState().seed;

function layerLink(page: Page, digest: string) {
  return page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${digest}"]`);
}

async function openLayer(page: Page, layerIndex: number) {
  const { layered } = state();
  await page.goto(`/?image=${layered.ref}`);
  await layerLink(page, layered.layers[layerIndex]!.digest).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
}

const row = (page: Page, path: string) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);

test('a gzip layer streams once: digest and diff_id verified, files listed like ls -l', async ({ page }) => {
  const { layered } = state();
  const files = layered.files;
  await openLayer(page, 0);
  await expect(page.getByTestId('layer-digest')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-digest-computed')).toHaveText(layered.layers[0]!.digest);
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-diff-id-computed')).toHaveText(layered.layers[0]!.diffId);
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-status', 'done');

  await row(page, 'usr').getByRole('link').click();
  await row(page, 'usr/bin').getByRole('link').click();
  await expect(page.getByTestId('breadcrumbs')).toHaveText('/usr/bin/');
  await expect(row(page, files.binary.path)).toContainText(files.binary.modeString);
  await expect(row(page, files.symlink.path)).toContainText(`-> ${files.symlink.target}`);
  await expect(row(page, files.hardlink.path)).toContainText(`link to ${files.hardlink.target}`);
  await expect(row(page, files.binary.path).locator('.size')).toHaveAttribute(
    'title',
    `${files.binary.size.toLocaleString('en-US')} bytes`,
  );

  await row(page, files.binary.path).getByRole('link').click();
  await expect(page.getByTestId('file-hex')).toContainText('00000000');

  await page.goBack();
  await page.goBack();
  await page.getByRole('searchbox', { name: 'Search paths' }).fill(files.longName.path.split('/').pop()!.slice(0, 40));
  await expect(row(page, files.longName.path)).toBeVisible();
  await row(page, files.longName.path).getByRole('link').click();
  await expect(page.getByTestId('file-text')).toContainText(files.longName.text.split('\n')[0]!);
});

test('file previews: text with line numbers, images inline, capped previews with show all', async ({ page }) => {
  const { layered } = state();
  const files = layered.files;
  await openLayer(page, 0);
  const base = page.url().split('?')[0]!;
  const query = page.url().slice(base.length);

  await page.goto(`${base}${files.osRelease.path}${query}`);
  await expect(page.getByTestId('file-view')).toHaveAttribute('data-path', files.osRelease.path);
  await expect(page.getByTestId('file-text')).toContainText(files.osRelease.layer0.text.split('\n')[0]!);
  await expect(page.getByTestId('file-meta')).toContainText(files.paxMtime.iso.slice(0, 16).replace('T', ' '));

  await page.goto(`${base}${files.png.path}${query}`);
  const image = page.getByTestId('file-image');
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([
    files.png.width,
    files.png.height,
  ]);

  await page.goto(`${base}${files.bigText.path}${query}`);
  await expect(page.getByTestId('preview-truncated')).toContainText('1,048,576 bytes');
  await expect(page.getByTestId('file-text')).toContainText(files.bigText.firstLine);
  await page.getByTestId('show-all').click();
  await expect(page.getByTestId('preview-truncated')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const saved = await (await download).path();
  const { statSync } = await import('node:fs');
  expect(statSync(saved).size).toBe(files.bigText.size);
});

test('a file deep link opened in a new tab lands on the file', async ({ page, context }) => {
  const { layered } = state();
  const files = layered.files;
  await openLayer(page, 0);
  await row(page, 'etc').getByRole('link').click();
  await row(page, files.osRelease.path).getByRole('link').click();
  await expect(page.getByTestId('file-text')).toContainText('VERSION_ID=1');
  const fresh = await context.newPage();
  await fresh.goto(page.url());
  await expect(fresh.getByTestId('file-text')).toContainText('VERSION_ID=1');
  await expect(fresh.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
});

test('zstd and plain tar layers verify; whiteouts and opaque markers read as deletions', async ({ page }) => {
  const { layered } = state();
  const files = layered.files;
  await openLayer(page, 1);
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'verified');
  await row(page, 'etc').getByRole('link').click();
  await expect(row(page, files.fileWhiteout.marker)).toContainText(`deleted: ${files.fileWhiteout.deletes}`);
  await page.getByRole('searchbox', { name: 'Search paths' }).fill('.wh..wh..opq');
  await expect(row(page, files.opaque.marker)).toContainText('opaque');

  await openLayer(page, 2);
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-digest-computed')).toHaveText(layered.layers[2]!.digest);
});

test('the merged filesystem applies whiteouts and opaque dirs and names each file’s layer', async ({ page }) => {
  const { layered } = state();
  const files = layered.files;
  await page.goto(`/?image=${layered.ref}`);
  await page.getByTestId('merged-fs-link').click();
  await expect(page.getByTestId('merged-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('merged-layer')).toHaveCount(3);

  await row(page, 'etc').getByRole('link').click();
  await expect(row(page, files.osRelease.path)).toContainText('L2');
  await expect(row(page, files.hostname.path)).toHaveAttribute('data-status', 'deleted');
  await expect(row(page, files.hostname.path)).toContainText('deleted by L2');

  await page.getByRole('searchbox', { name: 'Search paths' }).fill(files.opaque.dir);
  await expect(row(page, files.opaque.added.path)).toHaveAttribute('data-status', 'present');
  for (const hidden of files.opaque.hidden.filter((p) => !p.endsWith('/'))) {
    await expect(row(page, hidden)).toHaveAttribute('data-status', 'deleted');
  }
  await page.getByRole('searchbox', { name: 'Search paths' }).fill('');
  await row(page, files.osRelease.path).getByRole('link').click();
  await expect(page.getByTestId('file-text')).toContainText('VERSION_ID=2');
});

test('the manifest page learns uncompressed sizes from layers already read', async ({ page }) => {
  const { layered } = state();
  await openLayer(page, 0);
  await page.getByRole('link', { name: /^manifest sha256:/ }).click();
  await expect(page.getByTestId('uncompressed-size').first().locator('span')).toHaveAttribute(
    'title',
    `${layered.layers[0]!.uncompressedSize.toLocaleString('en-US')} bytes`,
  );
});

test('a layer whose bytes do not decompress to its diff_id is red, with both values', async ({ page }) => {
  const { badDiff } = state();
  await page.goto(`/?image=${badDiff.ref}`);
  await layerLink(page, badDiff.layers[0]!.digest).click();
  const verification = page.getByTestId('layer-verification');
  await expect(verification).toHaveAttribute('data-status', 'mismatch');
  await expect(verification).toContainText('DIFF_ID MISMATCH');
  await expect(page.getByTestId('layer-digest')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'mismatch');
  await expect(page.getByTestId('layer-diff-id-expected')).toHaveText(badDiff.wrongDiffId);
  await expect(page.getByTestId('layer-diff-id-computed')).toHaveText(badDiff.realDiffId);
  await expect(page.getByTestId('content')).toHaveClass(/untrusted/);
});

test('compression is read from the bytes when the media type lies', async ({ page }) => {
  const { lyingType } = state();
  await page.goto(`/?image=${lyingType.ref}`);
  await layerLink(page, lyingType.layers[0]!.digest).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('compression-mismatch')).toContainText('gzip');
});

test('cancel really stops the download', async ({ page }) => {
  const { layered } = state();
  const digest = layered.layers[0]!.digest;
  // Hold the blob request so the pass is still running when the person clicks Cancel.
  let held = false;
  await page.route(`**/blobs/${digest}`, () => {
    held = true;
  });
  const failed = page.waitForEvent('requestfailed', (r) => r.url().includes(`/blobs/${digest}`));
  await page.goto(`/?image=${layered.ref}`);
  await layerLink(page, digest).click();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => held).toBe(true);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('scan-progress')).toHaveAttribute('data-status', 'cancelled');
  await failed;
  await expect(page.getByTestId('layer-verification')).not.toHaveAttribute('data-status', 'verified');
});

test('a truncated download is an error, not a short listing', async ({ page }) => {
  const { layered } = state();
  const layer = layered.layers[0]!;
  await page.route(`**/blobs/${layer.digest}`, async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    await route.fulfill({ response, body: body.subarray(0, Math.floor(body.length / 2)) });
  });
  await page.goto(`/?image=${layered.ref}`);
  await layerLink(page, layer.digest).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'mismatch');
  await expect(page.getByTestId('layer-error')).toHaveAttribute('data-kind', 'truncated');
  await expect(page.getByTestId('layer-digest')).not.toHaveAttribute('data-status', 'verified');
});

test('a layer with 100,000 entries lists, scrolls and searches', async ({ page }) => {
  const { manyEntries } = state();
  await page.goto(`/?image=${manyEntries.ref}`);
  await layerLink(page, manyEntries.layers[0]!.digest).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified', { timeout: 20_000 });
  await page.getByRole('searchbox', { name: 'Search paths' }).fill(manyEntries.shape.needle.split('/').pop()!);
  await expect(row(page, manyEntries.shape.needle)).toBeVisible();
  await expect(page.getByTestId('search-summary')).toContainText('1 match in');
  await page.getByRole('searchbox', { name: 'Search paths' }).fill('f-9');
  // Only the rows in view are in the page, however many match.
  await expect(page.getByTestId('search-summary')).toContainText('first 2000 matches');
  expect(await page.getByTestId('file-row').count()).toBeLessThan(200);
  await page.getByTestId('file-list').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.getByTestId('file-row').last()).toBeVisible();
});
