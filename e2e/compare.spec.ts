/**
 * Comparing two images (issue 10), clicked through from image pages against images the seed built
 * with real tools (compare-seed.ts): a derived image against its base down to the files, one tar
 * as gzip, zstd and plain layers, skopeo's Docker v2.2 copy of an OCI image, two indexes with one
 * platform rebuilt, and sides that fail or are the same.
 */
import { expect, type Page, test } from '@playwright/test';
import { ADDED_FILE, EDITED_FILE } from './registry/compare-seed';
import { readE2EState } from './support/state';

const seed = () => readE2EState().seed;

async function openCompareWith(page: Page, ref: string) {
  await page.goto(`/?image=${ref}`);
  await page.getByTestId('compare-with').getByText('Compare with…').click();
}

const layerPairs = (page: Page) => page.getByTestId('layer-pair');
const fileRow = (page: Page, path: string) => page.locator(`[data-testid="file-diff-row"][data-path="${path}"]`);

test('a derived image against its base: shared layer, its own layer, config, JSON and files', async ({ page }) => {
  const { base, derived } = seed().compare;
  await openCompareWith(page, base.ref);
  await page.getByTestId('compare-tag').selectOption(derived.tag);
  await page.getByTestId('compare-tag-go').click();

  await expect(page).toHaveURL(/\?compare=.*compare:base&with=.*compare:derived$/);
  await expect(page.getByTestId('side-A-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('side-B-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('side-A-digest')).toHaveText(base.digest);
  await expect(page.getByTestId('side-B-digest')).toHaveText(derived.digest);
  for (const cell of await page.locator('[data-testid="proof-a"], [data-testid="proof-b"]').all())
    await expect(cell).toHaveAttribute('data-status', 'verified');

  await expect(layerPairs(page)).toHaveCount(2);
  await expect(layerPairs(page).nth(0)).toHaveAttribute('data-status', 'shared');
  await expect(layerPairs(page).nth(0).locator(`[data-digest="${base.layers[0]!.digest}"]`).first()).toBeAttached();
  await expect(layerPairs(page).nth(1)).toHaveAttribute('data-status', 'only-b');
  await expect(page.getByTestId('config-pair')).toHaveAttribute('data-status', 'changed');
  await expect(page.locator('[data-testid="config-field"][data-field="diffIds"]')).toHaveAttribute('data-status', 'changed');
  await expect(page.locator('[data-testid="history-row"][data-status="added"]')).toContainText('configure --test');
  await expect(page.getByTestId('manifest-json-diff').locator('[data-kind="added"]').first()).toContainText('"digest"');

  await page.getByTestId('start-fs-diff').click();
  await expect(page).toHaveURL(/&fs=1$/);
  await expect(page.getByTestId('fs-verification')).toHaveAttribute('data-status', 'verified');
  // Three layer lines, two passes: the base layer is read once for both sides.
  await expect(page.getByTestId('compare-layer')).toHaveCount(3);
  await expect(page.getByTestId('compare-layer').nth(1)).toContainText('read once for both');
  await expect(page.getByTestId('fs-diff-summary')).toContainText(`+2 paths, −0, ~1 changed, +${ADDED_FILE.content.length} B`);
  const added = fileRow(page, ADDED_FILE.path);
  await expect(added).toHaveAttribute('data-status', 'added');
  // Same size, other bytes: caught by the per-file content digests the layer pass computes.
  const edited = fileRow(page, EDITED_FILE.path);
  await expect(edited).toHaveAttribute('data-status', 'changed');
  await expect(edited).toHaveAttribute('data-changes', 'content');
  await expect(page.getByTestId('not-compared-note')).toHaveCount(0);
  // Files of the shared base layer are the same tar entries: proven unchanged.
  await expect(fileRow(page, 'etc/os-release')).toHaveCount(0);

  await page.getByTestId('directory-delta').filter({ hasText: '/srv/' }).getByRole('button').click();
  await expect(page).toHaveURL(/&dir=srv$/);
  await expect(page.getByTestId('file-diff-row')).toHaveCount(2);
  await expect(edited).toHaveCount(0);
  await added.getByTestId('open-in-b').click();
  await expect(page.getByTestId('merged-page')).toBeVisible();
  await expect(page.getByTestId('file-text')).toContainText(ADDED_FILE.content.trim());
});

test('one tar as gzip, zstd and plain layers: recompressed, not changed, and the same files', async ({ page }) => {
  const { compressed } = seed().compare;
  await page.goto(`/?compare=${compressed.gzip.ref}&with=${compressed.none.ref}&fs=1`);
  await expect(layerPairs(page)).toHaveCount(2);
  for (const pair of await layerPairs(page).all()) await expect(pair).toHaveAttribute('data-status', 'recompressed');
  await expect(page.getByTestId('layer-explanation').first()).toContainText(
    `diff_id ${compressed.gzip.layers[0]!.diffId.slice(0, 19)}, but A stores it as gzip`,
  );
  await expect(page.getByTestId('layer-explanation').first()).toContainText('B as uncompressed tar');
  await expect(page.getByTestId('config-same')).toBeVisible();
  await expect(page.locator('[data-testid="media-type-row"][data-part="layers"]')).toHaveAttribute('data-same', 'false');
  await expect(page.getByTestId('file-diff-none')).toBeVisible();
  // After the passes, each side's compression is what its bytes showed.
  await expect(page.getByTestId('layer-explanation').first()).toContainText('gzip (380 B, read from its bytes)');

  await page.goto(`/?compare=${compressed.zstd.ref}&with=${compressed.gzip.ref}`);
  await expect(page.getByTestId('layer-explanation').first()).toContainText('A stores it as zstd');
  await expect(page.getByTestId('manifest-summary')).toContainText('0 shared, 2 recompressed');
});

test('an OCI image and its Docker v2.2 copy by skopeo: the same blobs, every media type changed', async ({ page }) => {
  const { derived, dockerCopy } = seed().compare;
  await openCompareWith(page, derived.ref);
  await page.getByTestId('compare-reference').fill(dockerCopy.ref);
  await page.getByTestId('compare-reference-go').click();

  // skopeo inspect --raw hashed by the seed: the page agrees on what the copy is.
  await expect(page.getByTestId('side-B-digest')).toHaveText(dockerCopy.digest);
  for (const part of ['manifest', 'config', 'layers'])
    await expect(page.locator(`[data-testid="media-type-row"][data-part="${part}"]`)).toHaveAttribute('data-same', 'false');
  await expect(page.getByTestId('media-types')).toContainText('application/vnd.docker.distribution.manifest.v2+json');
  await expect(page.getByTestId('manifest-summary')).toContainText('2 shared');
  await expect(page.getByTestId('layer-explanation').first()).toContainText('only the media type naming them differs');
  await expect(page.getByTestId('config-same')).toContainText(dockerCopy.config.digest);
  await expect(page.getByTestId('manifest-json-diff').locator('[data-kind="added"]').first()).toContainText('application/vnd.docker');
});

test('two indexes: one platform the same, one rebuilt, compared down to its layers', async ({ page }) => {
  const { v1, v2 } = seed().compare.indexes;
  await page.goto(`/?compare=${v1.ref}&with=${v2.ref}`);
  const platform = (label: string) => page.locator(`[data-testid="entry-pair"][data-label="${label}"]`);
  await expect(platform('linux/amd64')).toHaveAttribute('data-status', 'same');
  await expect(platform('linux/arm64')).toHaveAttribute('data-status', 'changed');
  await expect(page.getByTestId('index-summary')).toContainText('1 same, 1 changed');

  await platform('linux/arm64').getByTestId('compare-platform').click();
  await expect(page).toHaveURL(/&platform=linux\/arm64$/);
  await expect(page.getByTestId('proof-a').first().locator(`[data-digest="${v1.platforms['linux/arm64']!}"]`)).toBeAttached();
  await expect(page.getByTestId('manifest-summary')).toContainText('1 shared');
  await expect(page.getByTestId('manifest-summary')).toContainText('1 only in A, 1 only in B');

  // Two platforms of one index, from the index page's control.
  await openCompareWith(page, v2.ref);
  await page.getByTestId('compare-platform-b').selectOption({ label: 'linux/arm64' });
  await page.getByTestId('compare-platforms-go').click();
  await expect(page.getByTestId('side-A-digest')).toHaveText(v2.platforms['linux/amd64']!);
  await expect(page.getByTestId('side-B-digest')).toHaveText(v2.platforms['linux/arm64']!);
  await expect(page.locator('[data-testid="config-field"][data-field="platform"]')).toContainText('linux/arm64');
});

test('bad input: a side that is missing, a tampered blob, the same image twice, a malformed reference', async ({ page }) => {
  const { base } = seed().compare;
  const { corrupt, single } = seed();
  await page.goto(`/?compare=${base.ref.replace(':base', ':no-such-tag')}&with=${base.ref}`);
  await expect(page.getByTestId('side-A').getByTestId('error-code')).toHaveText('MANIFEST_UNKNOWN');
  await expect(page.getByTestId('side-B-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('side-failed')).toContainText('A could not be read');

  await page.goto(`/?compare=${corrupt.ref}&with=${single.ref}`);
  const configProof = page.locator('[data-testid="proof-row"][data-what="config"]');
  await expect(configProof.getByTestId('proof-a')).toHaveAttribute('data-status', 'mismatch');
  await expect(configProof.getByTestId('proof-b')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('config-diff').locator('xpath=ancestor::*[@data-testid="content"]')).toHaveClass(/untrusted/);

  await page.goto(`/?compare=${base.ref}&with=${readE2EState().registry.host}/${base.repo}@${base.digest}`);
  await expect(page.getByTestId('identical')).toContainText(base.digest);

  await page.goto(`/?compare=${base.ref}&with=Not/A:Reference`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'invalid-reference');
  await expect(page.getByTestId('error-message')).not.toBeEmpty();
});
