/**
 * Verified blob downloads from the blob page: the bytes are hashed in the browser and saved only
 * when they are the blob the digest names; a mismatch is refused loudly and saved only on a
 * second, explicit click; credentials entered for a registry travel with the download, which a
 * plain link could not do.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';
import { sha256Digest } from '../src/test-support/digest.ts';

async function downloadAndVerify(page: Page): Promise<{ name: string; bytes: Uint8Array }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download and verify' }).click();
  const saved = await download;
  return { name: saved.suggestedFilename(), bytes: readFileSync((await saved.path())!) };
}

test('a layer is saved once its digest is proven, named for what it is', async ({ page }) => {
  const { registry, single } = readE2EState().seed;
  const layer = single.layers[0]!;
  await page.goto(`/?blob=${registry}/${single.repo}@${layer.digest}&mt=${encodeURIComponent(layer.mediaType)}&size=${layer.size}`);
  const saved = await downloadAndVerify(page);
  expect(sha256Digest(saved.bytes)).toBe(layer.digest);
  expect(saved.bytes.length).toBe(layer.size);
  const gzipped = saved.bytes[0] === 0x1f && saved.bytes[1] === 0x8b;
  expect(saved.name).toBe(`${layer.digest.replace(':', '-')}.tar${gzipped ? '.gz' : ''}`);
  await expect(page.getByTestId('blob-download')).toHaveAttribute('data-phase', 'verified');
  await expect(page.getByTestId('blob-download')).toContainText(`Saved as ${saved.name}`);
});

test('bytes that do not match the digest are not saved unless the user insists, and then marked', async ({ page }) => {
  const { registry, corrupt } = readE2EState().seed;
  expect(corrupt.tampered).toBe(true);
  await page.goto(`/?blob=${registry}/${corrupt.repo}@${corrupt.corruptedBlob}&mt=application/octet-stream`);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: 'Download and verify' }).click();
  const mismatch = page.getByTestId('download-mismatch');
  await expect(mismatch).toContainText('Not saved: digest mismatch');
  await expect(mismatch).toContainText(corrupt.corruptedBlob.slice(0, 19));
  await expect(mismatch).toContainText(corrupt.servedDigest.slice(0, 19));
  expect(downloads).toBe(0);

  const download = page.waitForEvent('download');
  await mismatch.getByRole('button', { name: 'Save the unverified bytes anyway' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^UNVERIFIED-sha256-/);
  expect(sha256Digest(readFileSync((await saved.path())!))).toBe(corrupt.servedDigest);
});

test('a private blob downloads with the credentials entered in this tab, where a link would get 401', async ({ page }) => {
  const { unconfiguredHost, image, user } = readE2EState().authRegistry;
  const authorization = `Basic ${Buffer.from(`${user.name}:${user.password}`).toString('base64')}`;
  const manifest = await page.request.get(`/registry/${unconfiguredHost}/v2/${image.repo}/manifests/${image.digest}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json', 'x-ociscope-registry-authorization': authorization },
  });
  const layer = ((await manifest.json()) as { layers: { digest: string; size: number; mediaType: string }[] }).layers[0]!;
  const blobPage = `/?blob=${unconfiguredHost}/${image.repo}@${layer.digest}&mt=${encodeURIComponent(layer.mediaType)}&size=${layer.size}`;

  // Credentials are entered the way a user does: on the page that asked for them.
  await page.goto(`/?image=${unconfiguredHost}/${image.repo}:${image.tag}`);
  const form = page.getByTestId('credentials-form');
  await form.getByLabel('Username').fill(user.name);
  await form.getByLabel('Password or token').fill(user.password);
  await form.getByRole('button', { name: 'Use for this tab' }).click();
  await expect(page.getByTestId('verification')).toHaveAttribute('data-status', 'verified');

  await page.goto(blobPage);
  // The unverified direct link cannot carry them, so it is not offered.
  await expect(page.getByRole('link', { name: 'the direct link' })).toHaveCount(0);
  const saved = await downloadAndVerify(page);
  expect(sha256Digest(saved.bytes)).toBe(layer.digest);
  expect((await page.request.get(`/registry/${unconfiguredHost}/v2/${image.repo}/blobs/${layer.digest}`)).status()).toBe(401);
});
