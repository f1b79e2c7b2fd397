/**
 * The tags page with details, on a 300-tag repository of the real registry: each visible row
 * gets its digest, kind, platforms, date and size, read for the rows on screen only (requests
 * counted), tags sharing a digest are marked, sorting by date reads every date first, two ticked
 * tags open the comparison, and a registry that answers 429 mid-way pauses the reading — said
 * on the page — and every row still arrives.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';

// Spec files load before global setup has seeded anything: read the state inside each test.
const state = () => readE2EState().seed;
const row = (page: Page, tag: string) => page.locator(`[data-testid="tag-row"][data-tag="${tag}"]`);

/** The tags whose manifests the page HEADed (or GETted by tag), in order. */
function tagRequests(page: Page): string[] {
  const tags: string[] = [];
  page.on('request', (r) => {
    const match = /\/registry\/[^/]+\/v2\/ociscope\/tags300\/manifests\/(r\d{3})$/.exec(new URL(r.url()).pathname);
    if (match) tags.push(match[1]!);
  });
  return tags;
}

function imageOf(tag: string) {
  const { images } = state().hundredsOfTags;
  return images.find((image) => image.tags.includes(tag))!;
}

test('a 300-tag repository shows digests and dates for the visible rows without reading all 300', async ({ page }) => {
  const { registry, hundredsOfTags } = state();
  const requested = tagRequests(page);
  await page.goto(`/?repo=${registry}/${hundredsOfTags.repo}`);
  await expect(page.getByTestId('tag-count')).toContainText('300 tags');
  for (const tag of ['r000', 'r001', 'r002', 'r005']) {
    await expect(row(page, tag).getByTestId('tag-digest')).toHaveAttribute('data-digest', imageOf(tag).digest);
    await expect(row(page, tag).getByTestId('tag-created').locator('time')).toHaveAttribute('data-exact', imageOf(tag).created);
    await expect(row(page, tag).getByTestId('tag-kind')).toHaveText('manifest');
    await expect(row(page, tag).getByTestId('tag-platforms')).toHaveText('linux/amd64');
  }
  // Every tag names one of three images: the others sharing its digest are named beside it.
  await expect(row(page, 'r000').getByTestId('shared-digest')).toContainText('r003');
  await expect(page.getByTestId('tag-detail-pending')).toHaveCount(0);
  const distinct = new Set(requested);
  expect(distinct.size).toBeGreaterThan(3);
  expect(distinct.size).toBeLessThan(100);
  expect(distinct.has('r299')).toBe(false);

  // Scrolling to the end reads the rows that come into view.
  await page.getByTestId('tags').evaluate((box) => box.scrollTo(0, box.scrollHeight));
  await expect(row(page, 'r299').getByTestId('tag-digest')).toHaveAttribute('data-digest', imageOf('r299').digest);
  expect(new Set(requested).has('r150')).toBe(false);
});

test('sorting by date reads every date, newest first; ties keep name order', async ({ page }) => {
  const { registry, hundredsOfTags } = state();
  const requested = tagRequests(page);
  await page.goto(`/?repo=${registry}/${hundredsOfTags.repo}`);
  await page.getByRole('radio', { name: 'by date' }).check();
  await expect(page.getByTestId('date-progress')).toHaveCount(0, { timeout: 30_000 });
  expect(new Set(requested).size).toBe(300);
  const firstRows = page.getByTestId('tag-row');
  await expect(firstRows.first()).toHaveAttribute('data-tag', 'r002');
  await expect(firstRows.nth(1)).toHaveAttribute('data-tag', 'r005');
  await page.getByRole('radio', { name: 'by name' }).check();
  await expect(firstRows.first()).toHaveAttribute('data-tag', 'r000');
});

test('two ticked tags open the comparison', async ({ page }) => {
  const { registry, hundredsOfTags } = state();
  await page.goto(`/?repo=${registry}/${hundredsOfTags.repo}`);
  await page.getByRole('checkbox', { name: 'Select r000' }).check();
  await page.getByRole('checkbox', { name: 'Select r001' }).check();
  await page.getByTestId('compare-tags').click();
  const repo = `${registry}/${hundredsOfTags.repo}`;
  await expect(page).toHaveURL(new RegExp(`\\?compare=${repo}:r000&with=${repo}:r001`));
  await expect(page.getByTestId('compare-page')).toBeVisible();
});

test('a 429 mid-way pauses the reading, says so, and every row still arrives', async ({ page }) => {
  const { registry, hundredsOfTags } = state();
  let refused = 0;
  // r004's HEAD is refused three times (the client's own retries), then allowed.
  await page.route(/\/v2\/ociscope\/tags300\/manifests\/r004$/, async (route) => {
    if (route.request().method() === 'HEAD' && refused < 3) {
      refused++;
      return route.fulfill({
        status: 429,
        headers: { 'retry-after': '2', 'content-type': 'application/json' },
        body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }),
      });
    }
    return route.continue();
  });
  await page.goto(`/?repo=${registry}/${hundredsOfTags.repo}`);
  await expect(page.getByTestId('rate-limit-note')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('rate-limit-note')).toContainText('HTTP 429');
  await expect(row(page, 'r004').getByTestId('tag-digest')).toHaveAttribute('data-digest', imageOf('r004').digest, { timeout: 20_000 });
  await expect(page.getByTestId('rate-limit-note')).toHaveAttribute('data-state', 'resumed');
  expect(refused).toBe(3);
  await expect(page.getByTestId('tag-detail-error')).toHaveCount(0);
  await expect(page.getByTestId('tag-detail-pending')).toHaveCount(0);
});

test('index entries about other entries are labelled by their type and platform, never as unknown/unknown', async ({ page }) => {
  const { registry, referenceTypes } = state();
  await page.goto(`/?repo=${registry}/${referenceTypes.repo}`);
  const v1 = row(page, referenceTypes.tag);
  await expect(v1.getByTestId('tag-kind')).toHaveText('index');
  await expect(v1.getByTestId('tag-platforms')).toHaveText('linux/amd64');

  await v1.getByRole('link', { name: referenceTypes.tag, exact: true }).click();
  await expect(page.getByTestId('platform-row')).toHaveCount(1);
  await expect(page.getByTestId('platform-row')).toHaveAttribute('data-platform', 'linux/amd64');
  await expect(page.getByTestId('platforms')).not.toContainText('unknown');
  const references = page.getByTestId('attestation-row');
  await expect(references).toHaveCount(2);
  await expect(page.locator('[data-testid="attestation-row"][data-reference-type="attestation-manifest"]')).toContainText(
    'attestation for linux/amd64',
  );
  await expect(page.locator('[data-testid="attestation-row"][data-reference-type="builder"]')).toContainText('builder for linux/amd64');
});
