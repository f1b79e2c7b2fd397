/**
 * Server-side credentials (OCISCOPE_REGISTRY_AUTH_FILE) against a real htpasswd registry: the
 * app server holds credentials for `127.0.0.1:PORT` only (global-setup.ts). Through the app the
 * private image is read and verified, and the answer is private to the browser; the same
 * registry under a host with no credentials configured (`localhost:PORT`) gets none of them and
 * says "requires authentication" and offers a credentials form; credentials entered there work in
 * that tab (sessionStorage, answers `private, no-store`) and never reach another browser context.
 */
import { expect, type Page, test } from '@playwright/test';
import { readE2EState } from './support/state';

const auth = () => readE2EState().authRegistry;
const verification = (page: Page) => page.getByTestId('verification');

test('a private image is verified through the server-side credentials', async ({ page }) => {
  const { host, image } = auth();
  const sentAuthorization: string[] = [];
  page.on('request', (request) => {
    const value = request.headers()['authorization'];
    if (value !== undefined) sentAuthorization.push(value);
  });
  await page.goto(`/?image=${host}/${image.repo}:${image.tag}`);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', image.digest);
  expect(sentAuthorization).toEqual([]);
});

test('answers made with credentials are private for shared caches, never public or immutable', async ({ request }) => {
  const { host, image } = auth();
  const byDigest = await request.get(`/registry/${host}/v2/${image.repo}/manifests/${image.digest}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  expect(byDigest.status()).toBe(200);
  expect(byDigest.headers()['cache-control']).toBe('private, max-age=31536000');
  const byTag = await request.get(`/registry/${host}/v2/${image.repo}/manifests/${image.tag}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  expect(byTag.headers()['cache-control']).toBe('private, no-cache');
});

test('the same registry under a host without configured credentials: requires authentication', async ({ page }) => {
  const { unconfiguredHost, image } = auth();
  await page.goto(`/?image=${unconfiguredHost}/${image.repo}:${image.tag}`);
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'unauthorized');
  await expect(page.getByTestId('error-message')).toContainText('requires authentication');
  await expect(verification(page)).toHaveCount(0);
});

test('credentials entered in the UI open the private image in this tab only, and never reach another context', async ({
  page,
  browser,
}) => {
  const { unconfiguredHost, image } = auth();
  const url = `/?image=${unconfiguredHost}/${image.repo}:${image.tag}`;
  const user = readE2EState().authRegistry.user;
  await page.goto(url);
  const form = page.getByTestId('credentials-form');
  await expect(form).toContainText('Credentials needed');
  await form.getByLabel('Username').fill(user.name);
  await form.getByLabel('Password or token').fill(user.password);
  const privateAnswer = page.waitForResponse(
    (response) => response.url().includes(`/registry/${unconfiguredHost}/v2/${image.repo}/manifests/`) && response.status() === 200,
  );
  await form.getByRole('button', { name: 'Use for this tab' }).click();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', image.digest);
  expect((await privateAnswer).headers()['cache-control']).toBe('private, no-store');
  // The layer pass runs in a worker, which has no sessionStorage: the credentials go with it.
  await page.getByTestId('layers').locator('a[href^="/fs/"]').first().click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');

  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await otherPage.goto(url);
    await expect(otherPage.getByTestId('error')).toHaveAttribute('data-kind', 'unauthorized');
    await expect(verification(otherPage)).toHaveCount(0);
  } finally {
    await other.close();
  }
});
