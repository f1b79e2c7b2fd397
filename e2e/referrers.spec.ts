/**
 * The referrers view against a real registry without the Referrers API (distribution 2.8):
 * the listing falls back to the referrers tag schema (distribution-spec "Referrers Tag Schema")
 * and cosign's `sha256-<hex>.sig` tag, each entry says where it was found, and the artifacts
 * open as verified manifests. Digests are cross-checked with skopeo.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';
import { skopeoRawDigest } from './support/skopeo';

// Spec files load before global setup has seeded anything: read the state inside each test.
const state = () => readE2EState().seed;
const verification = (page: Page) => page.getByTestId('verification');
const row = (page: Page, digest: string) => page.locator(`[data-testid="referrer-row"][data-digest="${digest}"]`);

test('distribution 2.8 stored every artifact document as pushed', () => {
  expect(state().artifacts.refused).toEqual([]);
});

test('the single image lists its SBOM from the referrers tag and its cosign signature', async ({ page }) => {
  const { registry, single, artifacts } = state();
  await page.goto(`/?referrers=${registry}/${single.repo}@${single.digest}`);
  await expect(page.getByTestId('subject-link')).toHaveText(single.digest);

  // 2.8 answers the Referrers API with 404, so the tag schema's index is read, by tag, and verified.
  const source = page.getByTestId('referrers-source');
  await expect(source).toHaveAttribute('data-source', 'tag-schema');
  await expect(source).toContainText('HTTP 404');
  await expect(page.getByTestId('referrers-tag')).toHaveText(artifacts.referrersTag.tag);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(artifacts.referrersTag.digest);
  expect(await skopeoRawDigest(`${registry}/${single.repo}:${artifacts.referrersTag.tag}`)).toBe(artifacts.referrersTag.digest);

  await expect(page.getByTestId('referrer-row')).toHaveCount(2);
  const sbom = row(page, artifacts.sbom.digest);
  await expect(sbom.getByTestId('referrer-artifact-type')).toContainText(artifacts.sbom.artifactType);
  // Shown in words; the exact value stays on the element.
  await expect(sbom.locator(`time[data-exact="${artifacts.sbom.annotations['org.opencontainers.image.created']!}"]`)).toHaveCount(1);
  await expect(sbom).toContainText('org.example.sbom.format');
  await expect(sbom.getByTestId('referrer-source')).toHaveAttribute('data-source', 'tag-schema');

  const signature = row(page, artifacts.cosignSignature.digest);
  await expect(signature.getByTestId('referrer-source')).toHaveAttribute('data-source', 'cosign-tag');
  await expect(signature.getByTestId('referrer-source')).toContainText(artifacts.cosignSignature.tag);
  await expect(signature.getByTestId('referrer-artifact-type')).toContainText(artifacts.cosignSignature.artifactType);
  await expect(signature.getByTestId('referrer-verification')).toHaveAttribute('data-status', 'verified');

  const probes = page.getByTestId('cosign-probe');
  await expect(probes).toHaveCount(3);
  await expect(probes.filter({ hasText: `${artifacts.cosignSignature.tag} ` })).toHaveAttribute('data-state', 'found');
  await expect(page.locator('[data-testid="cosign-probe"][data-state="absent"]')).toHaveCount(2);
});

test('an artifact opens as a verified manifest whose subject links back', async ({ page }) => {
  const { registry, single, artifacts } = state();
  await page.goto(`/?referrers=${registry}/${single.repo}@${single.digest}`);
  await row(page, artifacts.sbom.digest).getByTestId('referrer-link').click();

  await expect(page.getByTestId('image-page')).toBeVisible();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('expected-digest')).toHaveText(artifacts.sbom.digest);
  await expect(page.getByTestId('computed-digest')).toHaveText(
    await skopeoRawDigest(`${registry}/${single.repo}@${artifacts.sbom.digest}`),
  );
  await expect(page.getByTestId('size-check')).toContainText(`descriptor says ${artifacts.sbom.size.toLocaleString('en-US')} bytes`);
  await expect(page.getByTestId('content')).toContainText(artifacts.sbom.artifactType);

  // The subject leads back to the image, and from there to the same referrers.
  await page.getByTestId('subject-link').click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(single.digest);
  await page.goBack();
  await page.getByTestId('subject-referrers-link').click();
  await expect(page).toHaveURL(new RegExp(`\\?referrers=${registry}/${single.repo}@${single.digest}$`));
  await expect(page.getByTestId('referrer-row')).toHaveCount(2);
});

test('an image nobody refers to shows the empty state', async ({ page }) => {
  const { registry, multi } = state();
  await page.goto(`/?referrers=${registry}/${multi.repo}@${multi.digest}`);
  await expect(page.getByTestId('no-referrers')).toBeVisible();
  await expect(page.getByTestId('referrers-source')).toContainText('there is no tag');
  await expect(page.getByTestId('referrers-tag')).toHaveText(multi.digest.replace(':', '-'));
  await expect(page.locator('[data-testid="cosign-probe"][data-state="absent"]')).toHaveCount(3);
  await expect(page.getByTestId('referrer-row')).toHaveCount(0);
});

test('the image page links to its referrers', async ({ page }) => {
  const { single, artifacts } = state();
  await page.goto(`/?image=${single.ref}`);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page.getByTestId('referrers-link').click();
  await expect(page.getByTestId('referrers-page')).toBeVisible();
  await expect(page.getByTestId('subject-link')).toHaveText(single.digest);
  await expect(row(page, artifacts.sbom.digest)).toBeVisible();
});

test('a referrers link without a digest is named as invalid', async ({ page }) => {
  const { registry, single } = state();
  await page.goto(`/?referrers=${registry}/${single.repo}:${single.tag}`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'invalid-reference');
  await expect(page.getByTestId('error-message')).toContainText('REPOSITORY@DIGEST');
});
