/**
 * OCI image layouts opened from disk (image-spec image-layout.md): skopeo saves the suite's
 * images as an `oci-archive:` tar and an `oci:` directory, and a person opens them in the
 * browser and clicks index.json → index → platform manifest → config → layer → file, each blob
 * verified against its name exactly as for a registry. Digests are cross-checked with skopeo
 * reading the same layouts; a tampered blob file shows as a loud mismatch; a reload loses the
 * layout and says so. A docker-archive (skopeo writes the `docker save` / `podman save` format)
 * opens with a manifest ociscope synthesizes and says so; its config and layers are the
 * registry image's config and uncompressed layers, checked against the seeded digests.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { runToCompletion } from './support/processes';
import { readE2EState } from './support/state';
import { sha256Digest } from '../src/test-support/digest.ts';

const verification = (page: Page) => page.getByTestId('verification');

let work: string;
let multiTar: string;
let singleDir: string;
let singleArchive: string;

test.beforeAll(async () => {
  const { multi, single } = readE2EState().seed;
  work = mkdtempSync(join(tmpdir(), 'ociscope-layouts-'));
  multiTar = join(work, 'multi.tar');
  singleDir = join(work, 'single');
  singleArchive = join(work, 'single-docker-archive.tar');
  await runToCompletion('skopeo', ['copy', '--src-tls-verify=false', '--all', `docker://${multi.ref}`, `oci-archive:${multiTar}:v1`]);
  await runToCompletion('skopeo', ['copy', '--src-tls-verify=false', `docker://${single.ref}`, `oci:${singleDir}:v1`]);
  await runToCompletion('skopeo', [
    'copy',
    '--src-tls-verify=false',
    `docker://${single.ref}`,
    `docker-archive:${singleArchive}:ociscope/single:v1`,
  ]);
});

test.afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What skopeo, reading the layout itself, says a document is: its bytes, parsed. */
/** The parts of an index or manifest the tests read. */
interface SkopeoIndex {
  manifests: { digest: string; platform?: { architecture?: string } }[];
  config: { digest: string };
  layers: { digest: string; mediaType: string; size: number }[];
  rootfs: { diff_ids: string[] };
}

async function skopeoJson(args: string[]): Promise<{ bytes: Buffer; json: SkopeoIndex }> {
  const bytes = await runToCompletion('skopeo', args);
  return { bytes, json: JSON.parse(bytes.toString('utf8')) };
}

async function openLayoutPage(page: Page) {
  await page.goto('/');
  await page.getByTestId('open-layout-link').click();
  await expect(page.getByTestId('layout-privacy')).toContainText('nothing is uploaded');
}

test('a skopeo oci-archive tar: index.json → index → linux/arm64 → config → layer → file, all verified', async ({ page }) => {
  const index = await skopeoJson(['inspect', '--raw', `oci-archive:${multiTar}`]);
  const arm64Digest: string = index.json.manifests.find((m) => m.platform?.architecture === 'arm64')!.digest;
  // `inspect --raw` gives the index; the platform manifest is read from the tar and checked by its hash.
  const arm64Bytes = await runToCompletion('tar', ['-xOf', multiTar, `blobs/sha256/${arm64Digest.slice(7)}`]);
  expect(sha256Digest(arm64Bytes)).toBe(arm64Digest);
  const arm64 = JSON.parse(arm64Bytes.toString('utf8'));
  const config = await skopeoJson(['--override-arch', 'arm64', 'inspect', '--config', '--raw', `oci-archive:${multiTar}`]);
  const indexJson = await runToCompletion('tar', ['-xOf', multiTar, 'index.json']);

  await openLayoutPage(page);
  await page.getByTestId('layout-tar-input').setInputFiles(multiTar);
  const layout = page.getByTestId('layout');
  await expect(layout.getByTestId('layout-version')).toHaveText('1.0.0');
  const entry = layout.getByTestId('layout-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('v1');
  await expect(entry).toContainText('application/vnd.oci.image.index.v1+json');
  await expect(entry.locator('code.digest')).toHaveAttribute('title', sha256Digest(index.bytes));

  // index.json itself: served by tag, with no digest to check against, and the page says so.
  await layout.getByTestId('layout-index-link').click();
  await expect(page.getByTestId('document-kind')).toHaveText('OCI image index');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', sha256Digest(indexJson));
  await expect(verification(page)).toContainText('No digest to compare with');
  // Its entry is named for what it is and the ref.name it is saved under.
  await expect(page.getByTestId('platform-row')).toHaveAttribute('data-platform', 'image index “v1”');
  // The permalink by index.json's own digest opens it again, now verified against that digest.
  await page.getByRole('link', { name: 'Permalink by digest' }).click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(sha256Digest(indexJson));

  await page
    .getByTestId('platform-row')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(sha256Digest(index.bytes));
  await expect(page.getByTestId('platform-row')).toHaveCount(3);

  await page.getByRole('link', { name: 'linux/arm64', exact: true }).click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('expected-digest')).toHaveText(arm64Digest);
  await expect(page.getByTestId('computed-digest')).toHaveText(arm64Digest);

  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(sha256Digest(config.bytes));
  await expect(page.getByTestId('config-platform')).toHaveText('linux/arm64');

  await page.goBack();
  const last = arm64.layers.length - 1;
  const layer = arm64.layers[last];
  await page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${layer.digest}"]`).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-digest-computed')).toHaveText(layer.digest);
  await expect(page.getByTestId('layer-diff-id-computed')).toHaveText(config.json.rootfs.diff_ids[last]!);
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('file-row').first()).toBeVisible();
});

test('a layer of a layout downloads verified, with no direct link offered', async ({ page }) => {
  const single = await skopeoJson(['inspect', '--raw', `oci:${singleDir}`]);
  const layer = single.json.layers[0]!;
  await openLayoutPage(page);
  await page.getByTestId('layout-dir-input').setInputFiles(singleDir);
  const host = await page.getByTestId('layout').getAttribute('data-host');
  // An in-app navigation: loading the URL afresh would be a new page without the layout.
  await page.evaluate(
    (url) => {
      history.pushState(null, '', url);
      dispatchEvent(new PopStateEvent('popstate'));
    },
    `/?blob=${host}/layout@${layer.digest}&mt=${encodeURIComponent(layer.mediaType)}&size=${layer.size}`,
  );
  const download = page.getByTestId('blob-download');
  await expect(download).toBeVisible();
  await expect(download).not.toContainText('the direct link');
  const saved = page.waitForEvent('download');
  await download.getByRole('button', { name: 'Download and verify' }).click();
  expect(sha256Digest(readFileSync(await (await saved).path()))).toBe(layer.digest);
  await expect(download).toHaveAttribute('data-phase', 'verified');
});

test('a skopeo oci: directory opens by its ref.name; a tampered config blob is a loud mismatch; a reload says to open it again', async ({
  page,
}) => {
  const manifest = await skopeoJson(['inspect', '--raw', `oci:${singleDir}`]);
  const configDigest: string = manifest.json.config.digest;
  const tampered = join(work, 'tampered');
  cpSync(singleDir, tampered, { recursive: true });
  const configPath = join(tampered, 'blobs', 'sha256', configDigest.slice(7));
  const bytes = readFileSync(configPath);
  const middle = bytes.length >> 1;
  bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x01, middle);
  writeFileSync(configPath, bytes);

  await openLayoutPage(page);
  await page.getByTestId('layout-dir-input').setInputFiles(singleDir);
  const single = page.getByTestId('layout').first();
  await expect(single.getByTestId('layout-entry')).toContainText('v1');
  await single
    .getByTestId('layout-entry')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(sha256Digest(manifest.bytes));
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(configDigest);

  await page.goto('/layout');
  await page.getByTestId('layout-dir-input').setInputFiles(tampered);
  const copy = page.getByTestId('layout').first();
  await expect(copy).toContainText('tampered');
  await copy
    .getByTestId('layout-entry')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'mismatch');
  await expect(verification(page)).toContainText('DIGEST MISMATCH');
  await expect(page.getByTestId('expected-digest')).toHaveText(configDigest);
  await expect(page.getByTestId('computed-digest')).toHaveText(sha256Digest(bytes));
  await expect(page.getByTestId('content')).toHaveClass(/untrusted/);

  await page.reload();
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'unreachable');
  await expect(page.getByTestId('error-message')).toContainText('lives only in the tab that opened it');
  await expect(page.getByTestId('error-message')).toContainText('open it again');
  await page.getByRole('link', { name: 'Open an OCI layout' }).click();
  await expect(page.getByTestId('layout-page')).toBeVisible();
});

test('a layout missing a layer blob lists it, and the layer says it is not there instead of showing anything', async ({ page }) => {
  const manifest = await skopeoJson(['inspect', '--raw', `oci:${singleDir}`]);
  const layer: { digest: string; mediaType: string } = manifest.json.layers[0]!;
  const partial = join(work, 'partial');
  cpSync(singleDir, partial, { recursive: true });
  rmSync(join(partial, 'blobs', 'sha256', layer.digest.slice(7)));

  await openLayoutPage(page);
  await page.getByTestId('layout-dir-input').setInputFiles(partial);
  const missing = page.getByTestId('missing-blob');
  await expect(missing).toHaveCount(1);
  await expect(missing).toContainText(layer.digest);
  await expect(missing.locator(`[data-digest="${sha256Digest(manifest.bytes)}"]`)).toHaveCount(1);

  // The rest of the image is still there and verified; the missing layer is named as unknown.
  await page
    .getByTestId('layout-entry')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${layer.digest}"]`).first().click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'mismatch');
  await expect(page.getByTestId('layer-error')).toContainText('is not in the OCI layout');
  await expect(page.getByTestId('layer-verification')).toContainText('could not be read to the end');
  await expect(page.getByTestId('file-row')).toHaveCount(0);
});

test('a docker-archive opens with a manifest said to be synthesized; its config and layers verify as the registry image’s', async ({
  page,
}) => {
  const { single } = readE2EState().seed;
  const note =
    'synthesized by ociscope from manifest.json of a docker-archive; a registry would store gzip-compressed layers, so their digests differ (the diff_ids match)';
  await openLayoutPage(page);
  await page.getByTestId('layout-tar-input').setInputFiles(singleArchive);
  const layout = page.getByTestId('layout');
  await expect(layout).toHaveAttribute('data-format', 'docker-archive');
  await expect(layout.getByTestId('layout-synthesized')).toContainText(note);
  await expect(layout.getByTestId('layout-problems')).toHaveCount(0);
  const entry = layout.getByTestId('layout-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('ociscope/single:v1');
  await expect(entry).toContainText(single.imageConfig.architecture);

  await entry.getByRole('link', { name: 'image-1' }).click();
  await expect(page.getByTestId('document-kind')).toHaveText('Docker image manifest v2');
  // ociscope wrote this manifest, so by tag it claims no digest for it: nothing to verify against.
  await expect(verification(page)).toContainText('No digest to compare with');
  const annotations = page.getByTestId('annotations');
  await expect(annotations).toContainText('io.ociscope.synthesized');
  await expect(annotations).toContainText(note);

  // skopeo keeps the config's bytes, so it is the registry image's config, by digest.
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(single.config.digest);

  await page.goBack();
  // An uncompressed layer's digest is its diff_id: the registry's gzip layer's diff_id, not its digest.
  const last = single.layers.length - 1;
  const diffId = single.layers[last]!.diffId;
  await page.getByTestId('layers').locator(`a[href^="/fs/"][href*="${diffId}"]`).click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('layer-digest-computed')).toHaveText(diffId);
  await expect(page.getByTestId('layer-diff-id-computed')).toHaveText(diffId);
  await expect(page.getByTestId('layer-diff-id')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('file-row').first()).toBeVisible();
});

test('a tar that is not a layout is named as such', async ({ page }) => {
  const notLayout = join(work, 'not-layout.tar');
  await runToCompletion('tar', ['-cf', notLayout, '-C', work, 'single/index.json']);
  await openLayoutPage(page);
  await page.getByTestId('layout-tar-input').setInputFiles(notLayout);
  await expect(page.getByTestId('layout-error')).toContainText('Not an OCI image layout: there is no oci-layout file');
});

test('a layout tar dropped on the page opens like a picked one', async ({ page }) => {
  const index = await skopeoJson(['inspect', '--raw', `oci-archive:${multiTar}`]);
  await openLayoutPage(page);
  const bytes = readFileSync(multiTar).toString('base64');
  await page.getByTestId('layout-drop').evaluate((zone, base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'dropped.tar', { type: 'application/x-tar' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  const layout = page.getByTestId('layout');
  await expect(layout).toContainText('dropped.tar');
  await expect(layout.getByTestId('layout-entry').locator('code.digest')).toHaveAttribute('title', sha256Digest(index.bytes));
});

/**
 * What Docker 25 writes for `docker save <image id>`: an OCI layout whose index.json lists no
 * manifests (`"manifests": null`), with a manifest.json naming the config and layers as
 * blobs/sha256/<hex>. Made from skopeo's oci: directory of `single` by rewriting those two files.
 */
function savedByIdTar(): string {
  const { single } = readE2EState().seed;
  const dir = join(work, 'saved-by-id');
  rmSync(dir, { recursive: true, force: true });
  cpSync(singleDir, dir, { recursive: true });
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ ...index, manifests: null }));
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', single.digest.slice(7)), 'utf8')) as SkopeoIndex;
  const blobPath = (digest: string) => `blobs/sha256/${digest.slice(7)}`;
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify([{ Config: blobPath(manifest.config.digest), RepoTags: null, Layers: manifest.layers.map((l) => blobPath(l.digest)) }]),
  );
  const tar = join(work, 'saved-by-id.tar');
  rmSync(tar, { force: true });
  return tar;
}

test('a docker save with "manifests": null opens through manifest.json, and every blob is listed with what it is', async ({ page }) => {
  const { single } = readE2EState().seed;
  const tar = savedByIdTar();
  await runToCompletion('tar', ['-cf', tar, '-C', join(work, 'saved-by-id'), '.']);
  await openLayoutPage(page);
  await page.getByTestId('layout-tar-input').setInputFiles(tar);
  const layout = page.getByTestId('layout');
  await expect(layout).toHaveAttribute('data-format', 'oci-layout');
  await expect(layout.getByTestId('layout-note')).toContainText('"manifests": null');
  await expect(layout.getByTestId('layout-problems')).toHaveCount(0);

  // Nothing in index.json reaches any blob: each is named by what its bytes are.
  const unreached = (kind: string) => layout.locator(`[data-testid="unreached-blob"][data-kind="${kind}"]`);
  await expect(layout.getByTestId('unreached-blob')).toHaveCount(2 + single.layers.length);
  await expect(unreached('manifest')).toHaveCount(1);
  await expect(unreached('manifest')).toContainText('named by manifest.json');
  await expect(unreached('config')).toHaveCount(1);
  await expect(unreached('layer')).toHaveCount(single.layers.length);

  // The image is the registry's own manifest, found among the blobs, not one made up.
  const entry = layout.getByTestId('layout-entry');
  await expect(entry).toHaveCount(1);
  await entry.getByRole('link', { name: 'image-1' }).click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(single.digest);
  await expect(page.getByTestId('layer-row')).toHaveCount(single.layers.length);
});
