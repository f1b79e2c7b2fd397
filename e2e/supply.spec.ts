/**
 * Supply chain, decoded and cross-checked, against fixtures made by openssl, npm sbom and GNU
 * tar (e2e/registry/supply-seed.ts): a person goes from an image to each signature,
 * attestation and SBOM, sees it decoded, whether it is about this image, and whether its
 * signature holds; the bad twins say what is wrong with them, specifically.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';

const seed = () => readE2EState().seed;
const supply = () => seed().supply;
const glanceEntry = (page: Page, kind: string) => page.locator(`[data-testid="glance-entry"][data-kind="${kind}"]`);
const check = (page: Page) => page.getByTestId('cross-check');

async function openLayer(page: Page, index = 0) {
  await page.getByTestId('layer-link').nth(index).click();
  await expect(page.getByTestId('blob-page')).toBeVisible();
  await expect(page.getByTestId('verification').first()).toHaveAttribute('data-status', 'verified');
}

test('a signed image: its cosign signature is about it, its certificate reads as Fulcio’s, and the signature holds', async ({ page }) => {
  const { signed } = supply();
  await page.goto(`/?image=${signed.ref}`);
  const signature = glanceEntry(page, 'signature').filter({ hasText: 'cosign tag' });
  await expect(signature).toHaveAttribute('data-status', 'match');
  await expect(glanceEntry(page, 'sbom')).toHaveAttribute('data-status', 'match');
  await expect(glanceEntry(page, 'provenance')).toHaveAttribute('data-status', 'match');
  await expect(glanceEntry(page, 'signature').filter({ hasText: 'referrers tag' })).toHaveAttribute('data-status', 'match');

  await signature.getByTestId('glance-link').click();
  await expect(page.getByTestId('artifact-name')).toHaveText('cosign signature (simple signing payload)');
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('merged-fs-link')).toHaveCount(0);

  await openLayer(page);
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await expect(check(page)).toContainText(signed.digest);
  const fulcio = page.getByTestId('fulcio-extensions');
  await expect(fulcio).toContainText('OIDC issuer');
  await expect(fulcio).toContainText('https://token.actions.githubusercontent.com');
  await expect(fulcio).toContainText('Source repository URI');
  await expect(page.getByTestId('certificate').first()).toContainText(
    'URL: https://github.com/ociscope/e2e/.github/workflows/release.yml@refs/heads/main'.replace('URL', 'url'),
  );
  await expect(page.getByTestId('chain-link').first()).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('rekor-bundle')).toContainText('424,242');
  await expect(page.getByTestId('signature-result')).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('not-checked')).toContainText('Not checked: that the certificate chains to a Sigstore (Fulcio) root');

  await page.getByTestId('raw-tab').click();
  await expect(page.getByTestId('raw-bytes')).toContainText('"docker-manifest-digest"');
});

test('the bad twins: a signature of another image, a tampered payload, a certificate that does not parse', async ({ page }) => {
  const { twin, signed } = supply();
  await page.goto(`/?image=${twin.ref}`);
  const signature = glanceEntry(page, 'signature');
  await expect(signature).toHaveAttribute('data-status', 'mismatch');
  await signature.getByTestId('glance-link').click();
  await expect(check(page)).toHaveAttribute('data-status', 'mismatch');

  await openLayer(page, 0);
  await expect(check(page)).toHaveAttribute('data-status', 'mismatch');
  await expect(check(page)).toContainText(`is ${signed.digest}, not ${twin.digest}`);
  await expect(page.getByTestId('signature-result')).toHaveAttribute('data-status', 'match');
  await page.goBack();

  await openLayer(page, 1);
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('signature-result')).toHaveAttribute('data-status', 'mismatch');
  await expect(page.getByTestId('signature-result')).toContainText('the signed bytes were changed, or another key signed them');
  await page.goBack();

  await openLayer(page, 2);
  await expect(page.getByTestId('supply-problems')).toContainText('does not parse as X.509');
  await expect(page.getByTestId('signature-check')).toContainText('Not checked: no certificate came with it');
});

test('an SBOM artifact opens as a package table, never as a damaged tar, and has no merged filesystem', async ({ page }) => {
  const { signed, repo, cyclonedxPackages } = supply();
  const registry = seed().registry;
  await page.goto(`/?image=${signed.ref}`);
  await glanceEntry(page, 'sbom').getByTestId('glance-link').click();
  await expect(page.getByTestId('artifact-name')).toHaveText('CycloneDX SBOM (JSON)');
  await expect(page.getByTestId('merged-fs-link')).toHaveCount(0);
  await openLayer(page);
  await expect(page.getByTestId('sbom')).toHaveAttribute('data-format', 'CycloneDX');
  await expect(page.getByTestId('sbom-package-count')).toHaveText(String(cyclonedxPackages));
  await page.getByTestId('sbom-filter').fill('left-pad');
  await expect(page.getByTestId('sbom-package')).toHaveCount(1);
  await expect(page.getByTestId('sbom-package')).toContainText('WTFPL');

  // The old links still land somewhere honest: the layer explorer says it is not a tar.
  await page.goto(`/fs/${registry}/${repo}@${signed.sbomLayer}/?mt=application/vnd.cyclonedx%2Bjson`);
  await expect(page.getByTestId('not-a-tar')).toBeVisible();
  await expect(page.getByTestId('layer-verification')).toHaveCount(0);
  await page.goto(`/fs/${registry}/${repo}@${signed.sbomArtifact}/`);
  await expect(page.getByTestId('no-merged-filesystem')).toBeVisible();
});

test('a cosign attestation: DSSE signature over the PAE, the statement about this image, the provenance read', async ({ page }) => {
  const { signed } = supply();
  await page.goto(`/?image=${signed.ref}`);
  await glanceEntry(page, 'provenance').getByTestId('glance-link').click();
  await openLayer(page);
  await expect(page.getByTestId('dsse')).toContainText('application/vnd.in-toto+json');
  await expect(page.getByTestId('signature-result')).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('signature-result')).toContainText('over the DSSE PAE of the payload');
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('provenance-facts')).toContainText('https://github.com/ociscope/e2e/actions/runs/1');
  await expect(page.getByTestId('material-image-link')).toHaveText(`docker.io/library/alpine@sha256:${'c'.repeat(64)}`);
});

test('BuildKit attestations in an index: SPDX and provenance about the platform; the twin’s are about another image', async ({ page }) => {
  const { buildkit, buildkitBad } = supply();
  await page.goto(`/?image=${buildkit.ref}`);
  await expect(glanceEntry(page, 'attestation').or(glanceEntry(page, 'provenance'))).toHaveAttribute('data-status', 'match');
  await page.getByTestId('attestation-row').getByRole('link').first().click();
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await openLayer(page, 0);
  await expect(page.getByTestId('statement')).toHaveAttribute('data-predicate-kind', 'spdx');
  await expect(check(page)).toContainText(buildkit.platform);
  await expect(page.getByTestId('sbom')).toHaveAttribute('data-format', 'SPDX');
  await expect(page.getByTestId('sbom-package')).toContainText(['ociscope-e2e-app']);

  await page.goto(`/?image=${buildkitBad.ref}`);
  await page.getByTestId('attestation-row').getByRole('link').first().click();
  await expect(check(page)).toHaveAttribute('data-status', 'mismatch');
  await openLayer(page, 1);
  await expect(check(page)).toHaveAttribute('data-status', 'mismatch');
  await expect(check(page)).toContainText('this document is about another image');
});

test('a Notation signature: headers, signing time, chain, the signed target and the JWS signature', async ({ page }) => {
  const { signed } = supply();
  await page.goto(`/?image=${signed.ref}`);
  await glanceEntry(page, 'signature').filter({ hasText: 'referrers tag' }).getByTestId('glance-link').click();
  await expect(page.getByTestId('artifact-name')).toHaveText('Notation signature');
  await openLayer(page);
  const notation = page.getByTestId('notation');
  await expect(notation).toHaveAttribute('data-envelope', 'JWS');
  await expect(notation).toContainText('notary.x509');
  await expect(notation).toContainText('ociscope-e2e/1.0');
  await expect(check(page)).toHaveAttribute('data-status', 'match');
  await expect(page.getByTestId('certificate')).toHaveCount(2);
  await expect(page.getByTestId('signature-result')).toHaveAttribute('data-status', 'match');
});

test('referrers form a tree: the SBOM’s own signature sits under it', async ({ page }) => {
  const { signed, repo } = supply();
  await page.goto(`/?referrers=${seed().registry}/${repo}@${signed.digest}`);
  const sbomRow = page.locator(`[data-testid="referrer-row"][data-digest="${signed.sbomArtifact}"]`);
  await expect(sbomRow.getByTestId('referrer-child')).toHaveAttribute('data-digest', signed.sbomSig);
});

test('a Helm chart: its metadata decoded, its files browsable, a javascript: home left as text', async ({ page }) => {
  const { chart } = supply();
  await page.goto(`/?image=${chart.ref}`);
  await expect(page.getByTestId('artifact-name')).toHaveText('Helm chart');
  await page.getByTestId('config').getByRole('link').click();
  await expect(page.getByTestId('helm-chart')).toContainText('A chart for the ociscope e2e suite');
  await expect(page.getByTestId('helm-chart').getByRole('link', { name: 'javascript:alert(1)' })).toHaveCount(0);
  await expect(page.getByTestId('helm-chart')).toContainText('javascript:alert(1)');
  await page.goBack();
  await page.getByTestId('layer-link').click();
  await expect(page.getByTestId('layer-page')).toContainText('demo');
});
