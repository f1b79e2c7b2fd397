/**
 * The sizes views on the real registry: `/sizes/REPO@MANIFEST` of `ociscope/layers:v1`, whose
 * layer 1 overwrites `etc/os-release`, whites out `etc/hostname` and makes `var/cache/app`
 * opaque, and whose layer 2 deletes a whole directory — numbers checked against the bytes the
 * seed's trees hold (layer-fixtures.ts `sizes`), not against the app's own arithmetic; then
 * `/size/REPO@LAYER` of one layer, and explore.ggcr.dev's form with only the host swapped.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';

const state = () => readE2EState().seed;
const dirTile = (page: Page, path: string) => page.locator(`[data-testid="treemap-dir"][data-path="${path}"]`);

async function expectImageNumbers(page: Page) {
  const { sizes } = state().layered.files;
  await expect(page.getByTestId('sizes-view')).toBeVisible();
  await expect(page.getByTestId('stored-bytes')).toHaveAttribute('data-bytes', String(sizes.stored));
  await expect(page.getByTestId('wasted-bytes')).toHaveAttribute('data-bytes', String(sizes.wasted));
  await expect(page.getByTestId('present-bytes')).toHaveAttribute('data-bytes', String(sizes.stored - sizes.wasted));
  const efficiency = Number(await page.getByTestId('efficiency').getAttribute('data-value'));
  expect(efficiency).toBeCloseTo(1 - sizes.wasted / sizes.stored, 12);
  const top = page.getByTestId('wasted-row').first();
  await expect(top).toHaveAttribute('data-path', sizes.largestWasted.path);
  await expect(top).toHaveAttribute('data-added', String(sizes.largestWasted.addedBy));
  await expect(top).toHaveAttribute('data-removed', String(sizes.largestWasted.removedBy));
  await expect(top).toContainText(`${sizes.largestWasted.size} B`);
  await expect(page.getByTestId('legend-layer')).toHaveCount(3);
  for (const dir of ['usr', 'etc', 'opt']) await expect(dirTile(page, dir)).toBeVisible();
}

test('the sizes of an image whose later layers overwrite and delete files, reached from its page', async ({ page }) => {
  const { layered } = state();
  await page.goto(`/?image=${layered.ref}`);
  await page.getByTestId('sizes-link').click();
  await expect(page).toHaveURL(new RegExp(`/sizes/.*@${layered.digest}`));
  await expectImageNumbers(page);

  // The deleted manual and the emptied cache are no longer in the picture.
  // A directory's header strip zooms into it (its middle is its children's).
  await dirTile(page, 'usr').click({ position: { x: 4, y: 4 } });
  await expect(page).toHaveURL(/[?&]dir=usr$/);
  await expect(page.getByTestId('breadcrumbs')).toContainText('usr');
  await expect(dirTile(page, 'usr/share/doc/ociscope/manual')).toHaveCount(0);
  await expect(page.locator('[data-testid="treemap-file"][data-path="usr/bin/tool"]')).toBeVisible();

  // Zooming out by the breadcrumb, then in again from the keyboard.
  await page.getByTestId('breadcrumbs').getByRole('link', { name: '/' }).click();
  await expect(dirTile(page, 'etc')).toBeVisible();
  // The pointer is moved off first: scrolling the tile into view would slide another under it.
  await page.mouse.move(0, 0);
  await dirTile(page, 'etc').focus();
  await expect(page.getByTestId('treemap-details')).toContainText('/etc/:');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]dir=etc$/);
  await expect(page.locator('[data-testid="treemap-file"][data-path="etc/os-release"]')).toHaveAttribute('data-layer', '1');
  await expect(page.locator('[data-testid="treemap-file"][data-path="etc/hostname"]')).toHaveCount(0);
});

test('explore.ggcr.dev’s /sizes/ and /size/ links work with only the host swapped', async ({ page }) => {
  const seed = state();
  const repo = `${seed.registry}/${seed.layered.repo}`;
  await page.goto(`/sizes/${repo}@${seed.layered.digest}`);
  await expectImageNumbers(page);

  const base = seed.layered.layers[0]!;
  await page.goto(`/size/${repo}@${base.digest}`);
  await expect(page.getByTestId('sizes-view')).toBeVisible();
  await expect(page.getByTestId('legend-layer')).toHaveCount(1);
  await expect(page.getByTestId('no-waste')).toBeVisible();
  for (const dir of ['usr', 'etc', 'var']) await expect(dirTile(page, dir)).toBeVisible();
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a layer page links to that layer’s sizes', async ({ page }) => {
  const { layered } = state();
  await page.goto(`/?image=${layered.ref}`);
  await page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${layered.layers[1]!.digest}"]`).click();
  await page.getByTestId('layer-sizes-link').click();
  await expect(page).toHaveURL(new RegExp(`/size/.*@${layered.layers[1]!.digest}`));
  await expect(page.getByTestId('sizes-view')).toBeVisible();
  await expect(dirTile(page, 'opt')).toBeVisible();
});
