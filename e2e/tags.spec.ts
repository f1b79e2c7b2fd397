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
  await expect(page.getByRole('heading', { name: /Attestations and other references/ })).toBeVisible();
  const references = page.getByTestId('attestation-row');
  await expect(references).toHaveCount(2);
  await expect(page.locator('[data-testid="attestation-row"][data-reference-type="attestation-manifest"]')).toContainText(
    'attestation for linux/amd64',
  );
  await expect(page.locator('[data-testid="attestation-row"][data-reference-type="builder"]')).toContainText('builder for linux/amd64');
});

test('a tag list that answers 429 at page 2 keeps page 1, says where and why it stopped, and reads again on request', async ({ page }) => {
  const { registry, hundredsOfTags } = state();
  let limited = true;
  // distribution 2.8 ignores `n` and sends one page, so the first page (100 tags and a Link to
  // the next) and the 429 of the second are played in front of it until `limited` is lifted.
  await page.route(/\/v2\/ociscope\/tags300\/tags\/list\?/, (route) => {
    if (!limited) return route.continue();
    if (!route.request().url().includes('last=')) {
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'application/json', link: '</v2/ociscope/tags300/tags/list?n=100&last=r099>; rel="next"' },
        body: JSON.stringify({ name: hundredsOfTags.repo, tags: hundredsOfTags.tags.slice(0, 100) }),
      });
    }
    return route.fulfill({
      status: 429,
      headers: { 'retry-after': '3600', 'content-type': 'application/json' },
      body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'tag list rate limit' }] }),
    });
  });
  await page.goto(`/?repo=${registry}/${hundredsOfTags.repo}`);
  const note = page.getByTestId('tags-incomplete');
  await expect(note).toContainText('broke off at page 2');
  await expect(note).toContainText('rate limit reached');
  await expect(note).toContainText('The 100 entries of page 1 are listed');
  await expect(page.getByTestId('tag-count')).toContainText('100 tags');
  limited = false;
  await note.getByRole('button', { name: 'Read the list again' }).click();
  await expect(page.getByTestId('tag-count')).toContainText('300 tags');
  await expect(page.getByTestId('tags-incomplete')).toHaveCount(0);
});

test('a list of 5,000 tags is listed whole, scrolls to its last tag, and reads details only for what is on screen', async ({ page }) => {
  const { registry } = state();
  const tags = Array.from({ length: 5000 }, (_, i) => `build-${String(i).padStart(4, '0')}`);
  // A registry that ignores `n` and sends every tag at once; the repository itself does not exist.
  await page.route(/\/v2\/ociscope\/thousands\/tags\/list/, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ name: 'ociscope/thousands', tags }) }),
  );
  const heads: string[] = [];
  page.on('request', (r) => {
    if (/\/v2\/ociscope\/thousands\/manifests\//.test(r.url())) heads.push(r.url());
  });
  await page.goto(`/?repo=${registry}/ociscope/thousands`);
  await expect(page.getByTestId('tag-count')).toContainText('5,000 tags');
  // Rows whose manifest cannot be read say why; none is left blank.
  await expect(row(page, 'build-0000').getByTestId('tag-detail-error')).toContainText('does not exist');
  await page.getByTestId('tags').evaluate((box) => box.scrollTo(0, box.scrollHeight));
  await expect(row(page, 'build-4999')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter tags' }).fill('build-25');
  await expect(page.getByTestId('match-count')).toHaveText('100 matching');
  await expect(page.getByTestId('tag-detail-pending')).toHaveCount(0);
  expect(heads.length).toBeLessThan(200);
});
