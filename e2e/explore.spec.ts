/**
 * A person exploring the seeded registry: paste a reference, walk index → platform manifest →
 * config → history, list tags, share and reload links, and meet every error we promise to name.
 * Digests on the page are cross-checked with skopeo, an independent client.
 */
import { isReferrerLookup } from './support/referrer-lookups.ts';
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';
import { skopeoRawDigest } from './support/skopeo';

// Spec files load before global setup has seeded anything: read the state inside each test.
const state = () => readE2EState().seed;
const input = (page: Page) => page.getByRole('textbox', { name: 'Image or repository reference' });
const verification = (page: Page) => page.getByTestId('verification');

/** Counts requests that reach the proxy, to prove what was (not) fetched. */
/** Requests for documents; the supply-chain summary's referrer lookups (every image page makes them) are not counted. */
function proxyRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/registry/') && !isReferrerLookup(path)) seen.push(r.url());
  });
  return seen;
}

test('paste a reference, then walk index → arm64 manifest → config → history', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  await page.goto('/');
  await input(page).fill(`${host}/ociscope/multi:v1`);
  await expect(page.getByTestId('normalized-reference')).toContainText(`${host}/ociscope/multi:v1`);
  await input(page).press('Enter');

  await expect(page).toHaveURL(/\?image=/);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', seed.multi.digest);
  await expect(page.getByTestId('expected-digest')).toHaveText(seed.multi.digest);
  await expect(verification(page)).toContainText('Docker-Content-Digest');
  await expect(page.getByTestId('document-kind')).toHaveText('OCI image index');
  const rows = page.getByTestId('platform-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute('data-platform', 'linux/amd64');
  await expect(rows.nth(2)).toHaveAttribute('data-platform', 'linux/arm/v7');
  await expect(page.getByTestId('attestation-row')).toHaveCount(1);
  await expect(page.getByTestId('attestation-row')).toContainText('attestation for linux/amd64');

  await page.getByRole('link', { name: 'linux/arm64', exact: true }).click();
  const arm64 = seed.multi.platforms['linux/arm64'];
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('expected-digest')).toHaveText(arm64.digest);
  await expect(page.getByTestId('computed-digest')).toHaveText(arm64.digest);
  await expect(page.getByTestId('size-check')).toContainText(`descriptor says ${arm64.size.toLocaleString('en-US')} bytes`);
  await expect(page.getByTestId('layer-row')).toHaveCount(arm64.layers.length);

  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(page.getByTestId('blob-page')).toBeVisible();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(arm64.config.digest);
  await expect(page.getByTestId('image-id')).toHaveText(arm64.config.digest);
  await expect(page.getByTestId('config-platform')).toHaveText('linux/arm64');
  const history = page.getByTestId('history-row');
  await expect(history.first()).toBeVisible();
  await expect(page.locator('[data-testid="history-row"][data-empty="true"]').first()).toContainText('empty layer');
  // The config page knows its manifest from the link, so history rows show the layers' digests.
  await expect(page.getByTestId('history').locator(`[data-digest="${arm64.layers[0]!.digest}"]`)).toHaveCount(1);
});

test('a Docker manifest list of schema2 manifests is explorable the same way', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  await page.goto(`/?image=${host}/ociscope/dockerlist:v1`);
  await expect(page.getByTestId('document-kind')).toHaveText('Docker manifest list');
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page.getByRole('link', { name: 'linux/arm/v7', exact: true }).click();
  await expect(page.getByTestId('document-kind')).toHaveText('Docker image manifest v2');
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('media-type-check')).toContainText('application/vnd.docker.distribution.manifest.v2+json');
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(page.getByTestId('config-platform')).toHaveText('linux/arm/v7');
});

test('a single-platform image shows layers, totals, annotations and a linked JSON', async ({ page }) => {
  const seed = state();
  await page.goto(`/?image=${seed.single.ref}`);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-row')).toHaveCount(seed.single.layers.length);
  const total = seed.single.layers.reduce((sum, l) => sum + l.size, 0) + seed.single.config.size;
  await expect(page.getByTestId('total-size').locator('span')).toHaveAttribute('title', `${total.toLocaleString('en-US')} bytes`);

  const annotations = page.getByTestId('annotations');
  await expect(annotations.getByRole('link', { name: 'https://example.com/src' })).toHaveAttribute('href', 'https://example.com/src');
  await expect(annotations).toContainText('javascript:alert(1)');
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);

  // Every digest in the JSON is a link into ociscope, chosen by the descriptor's media type.
  const json = page.getByTestId('json-pretty');
  for (const layer of seed.single.layers) {
    await expect(json.getByRole('link', { name: `"${layer.digest}"` })).toHaveAttribute(
      'href',
      new RegExp(`^/fs/.*${layer.digest}/\\?m=sha256:`),
    );
  }
  await expect(json.getByRole('link', { name: `"${seed.single.config.digest}"` })).toHaveAttribute('href', /^\/\?blob=.*&from=sha256:/);
  await expect(json.getByRole('link', { name: '"application/vnd.oci.image.manifest.v1+json"' })).toHaveAttribute('href', /image-spec/);
});

test('page digests agree with skopeo inspect --raw', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  for (const ref of [seed.single.ref, seed.multi.ref, seed.dockerList.ref]) {
    await page.goto(`/?image=${ref}`);
    await expect(verification(page)).toHaveAttribute('data-status', 'verified');
    await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', await skopeoRawDigest(ref));
  }
  const arm = seed.multi.platforms['linux/arm/v7'];
  await page.goto(`/?image=${host}/ociscope/multi@${arm.digest}`);
  await expect(page.getByTestId('computed-digest')).toHaveText(await skopeoRawDigest(`${host}/ociscope/multi@${arm.digest}`));
});

test('tags: every page is listed, filtered, and each tag opens its image', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  await page.goto(`/?repo=${host}/ociscope/manytags`);
  await expect(page.getByTestId('tag-count')).toContainText(`${seed.manyTags.count} tags`);
  // The list is virtualised: the first tag is on screen, and the last one is a scroll away.
  await expect(page.getByTestId('tag-row').first()).toHaveAttribute('data-tag', seed.manyTags.tags[0]!);
  await page.getByTestId('tags').evaluate((box) => box.scrollTo(0, box.scrollHeight));
  await expect(page.getByTestId('tag-row').last()).toHaveAttribute('data-tag', seed.manyTags.tags.at(-1)!);
  await page.getByRole('searchbox', { name: 'Filter tags' }).fill('t12');
  await expect(page.getByTestId('tags').getByRole('listitem')).toHaveCount(10);
  await page.getByRole('link', { name: 't129', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`\\?image=${host}/ociscope/manytags:t129$`));
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', seed.manyTags.digest);
});

test('deep links survive reload, back and forward, and digest pages are not fetched twice', async ({ page }) => {
  const seed = state();
  const requests = proxyRequests(page);
  const amd64 = seed.multi.platforms['linux/amd64'];
  await page.goto(`/?image=${seed.multi.ref}`);
  await page.getByRole('link', { name: 'linux/amd64', exact: true }).click();
  await expect(page.getByTestId('computed-digest')).toHaveText(amd64.digest);
  const permalink = page.url();

  await page.reload();
  await expect(page.getByTestId('computed-digest')).toHaveText(amd64.digest);
  await page.goBack();
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', seed.multi.digest);

  // Only the platform manifest itself counts: the supply-chain summary may still be looking up
  // referrers of the index when the page goes forward, and those lookups are not the digest page.
  const manifestFetches = () => requests.filter((url) => url.includes(`/manifests/${amd64.digest}`)).length;
  const before = manifestFetches();
  expect(before).toBeGreaterThan(0);
  await page.goForward();
  await expect(page.getByTestId('computed-digest')).toHaveText(amd64.digest);
  expect(manifestFetches()).toBe(before);

  const fresh = await page.context().newPage();
  await fresh.goto(permalink);
  await expect(fresh.getByTestId('computed-digest')).toHaveText(amd64.digest);
  await expect(fresh.getByTestId('verification')).toHaveAttribute('data-status', 'verified');
});

test('an invalid reference names the broken rule and fetches nothing', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  const requests = proxyRequests(page);
  await page.goto('/');
  await input(page).fill(`${host}/Ociscope/Multi:v1`);
  await expect(page.getByTestId('reference-error')).toHaveAttribute('data-rule', 'uppercase');
  await expect(page.getByTestId('reference-error')).toContainText('lowercase');
  await expect(page.getByRole('button', { name: 'Explore' })).toBeDisabled();
  await input(page).fill('alpine:' + 'x'.repeat(129));
  await expect(page.getByTestId('reference-error')).toContainText('128');

  await page.goto(`/?image=${encodeURIComponent('a//b')}`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'invalid-reference');
  expect(requests).toEqual([]);
});

test('an unknown tag and an unknown repository get specific messages with the registry code', async ({ page }) => {
  const seed = state();
  const host = seed.registry;
  await page.goto(`/?image=${host}/ociscope/single:no-such-tag`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'manifest-unknown');
  await expect(page.getByTestId('error-message')).toContainText(`${host}/ociscope/single:no-such-tag does not exist`);
  await expect(page.getByTestId('error-code')).toHaveText('MANIFEST_UNKNOWN');

  await page.goto(`/?repo=${host}/ociscope/no-such-repo`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'name-unknown');
  await expect(page.getByTestId('error-code')).toHaveText('NAME_UNKNOWN');
});

test('the proxy refuses private addresses and says so; unknown hosts are unreachable', async ({ page }) => {
  await page.goto('/?image=10.1.2.3:5000/team/app:v1');
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'blocked');
  await expect(page.getByTestId('error-code')).toHaveText('PROXY_BLOCKED_ADDRESS');

  await page.goto('/?image=no-such-registry.invalid/team/app:v1');
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'unreachable');
  await expect(page.getByTestId('error-message')).toContainText('no-such-registry.invalid');
});

test('a corrupted blob is shown as a loud mismatch with both digests', async ({ page }) => {
  const seed = state();
  expect(seed.corrupt.tampered).toBe(true);
  await page.goto(`/?image=${seed.corrupt.ref}`);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'mismatch');
  await expect(verification(page)).toContainText('DIGEST MISMATCH');
  await expect(page.getByTestId('expected-digest')).toHaveText(seed.corrupt.corruptedBlob);
  await expect(page.getByTestId('computed-digest')).toHaveText(seed.corrupt.servedDigest);
  await expect(page.getByTestId('content')).toHaveClass(/untrusted/);
});
