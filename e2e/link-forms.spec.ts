/**
 * Every explore.ggcr.dev link form, with the host swapped for ours, with and without its
 * `mt=`/`size=` hints, against the real distribution registry: one row per form, each saying
 * which page it must land on and what that page must show. The forms are explore.ggcr.dev's own
 * (github.com/jonjohnsonjr/dagdotdev, pkg/explore: `?image=`, `?repo=`, `?blob=`, `?referrers=`,
 * `/fs/`, `/layers/`, `/size/`, `/sizes/`, `/blob/`). The distribution registry answers HTTP 500
 * when asked for a manifest by a layer's digest, so the rows without `mt` also check that no
 * such request is made.
 */
import { expect, type Page, test } from '@playwright/test';
import type { SeedResult } from './registry/seed';
import { readE2EState } from './support/state';

// Spec files load before global setup has seeded anything: read the state inside each test.
const state = () => readE2EState().seed;

/** The paths of every request the page sent to the proxy. */
function proxyPaths(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/registry/')) seen.push(path);
  });
  return seen;
}

interface LinkForm {
  form: string;
  url: (seed: SeedResult) => string;
  lands: (page: Page, seed: SeedResult) => Promise<void>;
}

const repoOf = (seed: SeedResult) => `${seed.registry}/${seed.single.repo}`;
const baseLayer = (seed: SeedResult) => seed.single.layers[0]!;
const hints = (blob: { mediaType: string; size: number }) => `mt=${encodeURIComponent(blob.mediaType)}&size=${blob.size}`;

async function showsOsRelease(page: Page, testId: 'layer-page' | 'merged-page') {
  await expect(page.getByTestId(testId)).toBeVisible();
  await expect(page.getByTestId('file-text')).toContainText('ID=ociscope');
}

/** The sizes view, with the base layer's /etc drawn in its treemap. */
async function showsSizes(page: Page) {
  await expect(page.getByTestId('sizes-view')).toBeVisible();
  await expect(page.locator('[data-testid="treemap-dir"][data-path="etc"]')).toBeVisible();
}

async function pointsTo(page: Page, target: string, link: RegExp) {
  await expect(page.getByTestId('digest-pointer')).toHaveAttribute('data-target', target);
  await page.getByTestId('pointer-links').getByRole('link').first().click();
  await expect(page).toHaveURL(link);
}

const FORMS: LinkForm[] = [
  {
    form: '?image=REPO:TAG',
    url: (s) => `/?image=${s.single.ref}`,
    lands: async (page, s) => expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', s.single.digest),
  },
  {
    form: '?image=https://REPO:TAG (explore trims the scheme)',
    url: (s) => `/?image=https://${s.single.ref}`,
    lands: async (page, s) => expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', s.single.digest),
  },
  {
    form: '?image=REPO@DIGEST&mt=&size=',
    url: (s) => `/?image=${repoOf(s)}@${s.single.digest}&${hints(s.single)}`,
    lands: async (page, s) => expect(page.getByTestId('computed-digest')).toHaveText(s.single.digest),
  },
  {
    form: '?repo=REPO',
    url: (s) => `/?repo=${repoOf(s)}`,
    lands: async (page) => expect(page.getByTestId('repo-page').getByRole('link', { name: 'v1', exact: true })).toBeVisible(),
  },
  {
    form: '?repo=REGISTRY (its catalog)',
    url: (s) => `/?repo=${s.registry}`,
    lands: async (page, s) => {
      await expect(page.getByTestId('repository-count')).toContainText('repositories');
      await page.getByRole('searchbox', { name: 'Filter repositories' }).fill(s.single.repo);
      await page.getByTestId('repositories').getByRole('link', { name: s.single.repo, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`\\?repo=${s.registry}/${s.single.repo}$`));
      await expect(page.getByTestId('repo-page').getByRole('link', { name: 'v1', exact: true })).toBeVisible();
    },
  },
  {
    form: '?repo=REGISTRY/ (explore’s spelling of a catalog)',
    url: (s) => `/?repo=${s.registry}/`,
    lands: async (page) => expect(page.getByTestId('repository-count')).toContainText('repositories'),
  },
  {
    form: '?blob=REPO@CONFIG without mt',
    url: (s) => `/?blob=${repoOf(s)}@${s.single.config.digest}`,
    lands: async (page, s) => {
      await expect(page.getByTestId('blob-page')).toBeVisible();
      await expect(page.getByTestId('computed-digest')).toHaveText(s.single.config.digest);
    },
  },
  {
    form: '?blob=REPO@CONFIG&mt=&size=',
    url: (s) => `/?blob=${repoOf(s)}@${s.single.config.digest}&${hints(s.single.config)}`,
    lands: async (page, s) => expect(page.getByTestId('computed-digest')).toHaveText(s.single.config.digest),
  },
  {
    form: '?blob=REPO@LAYER without mt',
    url: (s) => `/?blob=${repoOf(s)}@${baseLayer(s).digest}`,
    lands: async (page, s) => pointsTo(page, 'layer', new RegExp(`/fs/${repoOf(s)}@${baseLayer(s).digest}/`)),
  },
  {
    form: '/fs/REPO@LAYER/etc/os-release without mt',
    url: (s) => `/fs/${repoOf(s)}@${baseLayer(s).digest}/etc/os-release`,
    lands: (page) => showsOsRelease(page, 'layer-page'),
  },
  {
    form: '/fs/REPO@LAYER/etc/os-release?mt=&size=',
    url: (s) => `/fs/${repoOf(s)}@${baseLayer(s).digest}/etc/os-release?${hints(baseLayer(s))}`,
    lands: (page) => showsOsRelease(page, 'layer-page'),
  },
  {
    form: '/fs/REPO@MANIFEST/etc/os-release without mt (merged)',
    url: (s) => `/fs/${repoOf(s)}@${s.single.digest}/etc/os-release`,
    lands: (page) => showsOsRelease(page, 'merged-page'),
  },
  {
    form: '/layers/REPO@MANIFEST/etc/os-release',
    url: (s) => `/layers/${repoOf(s)}@${s.single.digest}/etc/os-release`,
    lands: (page) => showsOsRelease(page, 'merged-page'),
  },
  {
    form: '/fs/REPO@INDEX/ without mt',
    url: (s) => `/fs/${s.registry}/${s.multi.repo}@${s.multi.digest}/`,
    lands: async (page, s) => pointsTo(page, 'index', new RegExp(`\\?image=${s.registry}/${s.multi.repo}@${s.multi.digest}`)),
  },
  {
    form: '/fs/REPO@CONFIG/ without mt',
    url: (s) => `/fs/${repoOf(s)}@${s.single.config.digest}/`,
    lands: async (page, s) => pointsTo(page, 'config', new RegExp(`\\?blob=${repoOf(s)}@${s.single.config.digest}`)),
  },
  {
    form: '/size/REPO@LAYER?mt=&size=',
    url: (s) => `/size/${repoOf(s)}@${baseLayer(s).digest}?${hints(baseLayer(s))}`,
    lands: async (page) => showsSizes(page),
  },
  {
    form: '/sizes/REPO@MANIFEST?mt=&size=',
    url: (s) => `/sizes/${repoOf(s)}@${s.single.digest}?${hints(s.single)}`,
    lands: async (page) => showsSizes(page),
  },
  {
    form: '/blob/REPO@LAYER',
    url: (s) => `/blob/${repoOf(s)}@${baseLayer(s).digest}`,
    lands: async (page, s) => {
      await expect(page).toHaveURL(new RegExp(`\\?blob=${repoOf(s)}@${baseLayer(s).digest}$`));
      await expect(page.getByTestId('digest-pointer')).toHaveAttribute('data-target', 'layer');
    },
  },
  {
    form: '?referrers=REPO@DIGEST',
    url: (s) => `/?referrers=${repoOf(s)}@${s.single.digest}`,
    lands: async (page, s) => {
      await expect(page.getByTestId('referrers-page')).toBeVisible();
      await expect(page.locator(`[data-testid="referrer-row"][data-digest="${s.artifacts.sbom.digest}"]`)).toHaveCount(1);
    },
  },
];

for (const { form, url, lands } of FORMS) {
  test(`link form ${form}`, async ({ page }) => {
    const seed = state();
    const requests = proxyPaths(page);
    await page.goto(url(seed));
    await lands(page, seed);
    // Never ask the manifests endpoint about a layer: distribution answers that with HTTP 500.
    expect(requests.filter((p) => p.includes(`/manifests/${baseLayer(seed).digest}`))).toEqual([]);
    await expect(page.getByTestId('error')).toHaveCount(0);
  });
}

test('a blob link without mt reads the first bytes once and the document once', async ({ page }) => {
  const seed = state();
  const requests: { range: string | undefined }[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith(`/blobs/${seed.single.config.digest}`)) requests.push({ range: r.headers()['range'] });
  });
  await page.goto(`/?blob=${repoOf(seed)}@${seed.single.config.digest}`);
  await expect(page.getByTestId('computed-digest')).toHaveText(seed.single.config.digest);
  expect(requests).toEqual([{ range: 'bytes=0-4095' }, { range: undefined }]);
});
