/**
 * A registry with token authentication (distribution's `auth: token`, the Docker token spec)
 * whose token server is on another port: the suite's own (registry/token-server.ts), started by
 * global setup with the registry behind a relay that records what reached it. The app server
 * holds no credentials for either.
 *
 * - `public/…` opens anonymously: the proxy fetches an anonymous token and the page verifies it.
 * - `private/…` says "Authentication required" and offers the credentials form; the account
 *   typed into it opens and verifies the image (manifest, config, layer) in that tab, and a fresh
 *   browser context still has to ask. A wrong password says the credentials were refused.
 * - Where the password went, from the two logs: to the token server only, with that registry's
 *   `service` and scopes on that registry, and never to the registry itself (only Bearer there).
 */
import { expect, type Page, test } from '@playwright/test';
import { RELAY_LOG_PATH, type RelayedRequestRecord } from './registry/recording-relay.ts';
import type { TokenSeededImage } from './registry/token-registry.ts';
import { TOKEN_LOG_PATH, type TokenRequestRecord } from './registry/token-server.ts';
import { readE2EState } from './support/state.ts';

const tokenRegistry = () => readE2EState().tokenRegistry;
const verification = (page: Page) => page.getByTestId('verification');
const imageUrl = (image: TokenSeededImage) => `/?image=${image.ref}`;
const fileRow = (page: Page, path: string) => page.locator(`[data-testid="file-row"][data-path="${path}"]`);

// The servers run in global setup's process; their logs reach the workers over HTTP.
async function tokenServerLog(): Promise<TokenRequestRecord[]> {
  return (await (await fetch(`${tokenRegistry().tokenServerUrl}${TOKEN_LOG_PATH}`)).json()) as TokenRequestRecord[];
}
async function registryLog(): Promise<RelayedRequestRecord[]> {
  return (await (await fetch(`${tokenRegistry().relayUrl}${RELAY_LOG_PATH}`)).json()) as RelayedRequestRecord[];
}

/** Fills the "Authentication required" form and submits it (the page reloads with them). */
async function signIn(page: Page, name: string, password: string): Promise<void> {
  const form = page.getByTestId('credentials-form');
  await expect(form).toContainText('Credentials needed');
  await form.getByLabel('Username').fill(name);
  await form.getByLabel('Password or token').fill(password);
  await form.getByRole('button', { name: 'Use for this tab' }).click();
}

async function expectAuthenticationRequired(page: Page): Promise<void> {
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'unauthorized');
  await expect(page.getByRole('heading', { name: 'Authentication required' })).toBeVisible();
  await expect(verification(page)).toHaveCount(0);
}

test('a public image opens anonymously through the token flow and is verified', async ({ page }) => {
  const { publicImage, service, pusherName } = tokenRegistry();
  await page.goto(imageUrl(publicImage));
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', publicImage.digest);
  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(page.getByTestId('blob-page')).toBeVisible();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(publicImage.configDigest);

  // The proxy caches anonymous tokens, so the request may be from an earlier visit: the whole
  // log is read (but for the seeding account's push), and whatever asked for this repository
  // asked without credentials.
  const asked = (await tokenServerLog()).filter(
    (entry) => entry.user !== pusherName && entry.scopes.some((scope) => scope.includes(publicImage.repo)),
  );
  expect(asked.length).toBeGreaterThan(0);
  for (const entry of asked) {
    expect(entry).toMatchObject({ credentials: 'none', service, status: 200, granted: [`repository:${publicImage.repo}:pull`] });
  }
});

test('a private image says authentication required and offers the credentials form', async ({ page }) => {
  const { privateImage, host } = tokenRegistry();
  await page.goto(imageUrl(privateImage));
  await expectAuthenticationRequired(page);
  await expect(page.getByTestId('credentials-form')).toContainText(`Credentials needed: sign in to ${host}`);
});

test('credentials entered in the form open and verify the private image: manifest, config and layer', async ({ page }) => {
  const { privateImage, host, user } = tokenRegistry();
  await page.goto(imageUrl(privateImage));
  const privateAnswer = page.waitForResponse(
    (response) => response.url().includes(`/registry/${host}/v2/${privateImage.repo}/manifests/`) && response.status() === 200,
  );
  await signIn(page, user.name, user.password);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('resolved-digest')).toHaveAttribute('data-digest', privateImage.digest);
  expect((await privateAnswer).headers()['cache-control']).toBe('private, no-store');

  await page
    .getByTestId('config')
    .getByRole('link', { name: /^sha256:/ })
    .click();
  await expect(page.getByTestId('blob-page')).toBeVisible();
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('computed-digest')).toHaveText(privateImage.configDigest);

  // The layer pass runs in a worker, which sends the tab's credentials itself.
  await page.goBack();
  await page.getByTestId('layers').locator('a[href^="/fs/"]').first().click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');
  const { path, text } = privateImage.file;
  await fileRow(page, path.split('/')[0]!).getByRole('link').click();
  await fileRow(page, path).getByRole('link').click();
  await expect(page.getByTestId('file-text')).toContainText(text.trim());
});

test('a fresh browser context still needs the credentials another context entered', async ({ page, browser }) => {
  const { privateImage, user } = tokenRegistry();
  await page.goto(imageUrl(privateImage));
  await signIn(page, user.name, user.password);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  // This page's own referrer lookups (the supply-chain summary) carry its credentials; let them end first.
  await expect(page.getByTestId('supply-glance')).not.toContainText('Looking for signatures');

  const since = Date.now();
  const other = await browser.newContext();
  try {
    const otherPage = await other.newPage();
    await otherPage.goto(imageUrl(privateImage));
    await expectAuthenticationRequired(otherPage);
    await expect(otherPage.getByTestId('credentials-form')).toContainText('Credentials needed');
  } finally {
    await other.close();
  }
  const credentialed = (await tokenServerLog()).filter((entry) => entry.at >= since && entry.credentials !== 'none');
  expect(credentialed, 'the other context sent no credentials to the token server').toEqual([]);
});

test('a wrong password is refused with a clear message, and the form stays usable', async ({ page }) => {
  const { privateImage, host, user } = tokenRegistry();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(imageUrl(privateImage));
  const since = Date.now();
  await signIn(page, user.name, `${user.password}-wrong`);

  await expectAuthenticationRequired(page);
  const form = page.getByTestId('credentials-form');
  await expect(form).toContainText(`The credentials entered for ${host} in this tab were refused`);
  // It was the token server that said no to this password, not something on the way.
  const refused = (await tokenServerLog()).filter((entry) => entry.at >= since && entry.credentials === 'basic');
  expect(refused.length).toBeGreaterThan(0);
  for (const entry of refused) expect(entry).toMatchObject({ user: user.name, status: 401, granted: [] });
  await form.getByRole('button', { name: `Forget credentials for ${host}` }).click();
  await expect(form).toContainText('Credentials needed');
  expect(errors, 'no uncaught errors in the page').toEqual([]);
});

test('the password goes to the token server for this registry only, never to the registry as Basic', async ({ page }) => {
  const { privateImage, service, user, pusherName } = tokenRegistry();
  const since = Date.now();
  await page.goto(imageUrl(privateImage));
  await signIn(page, user.name, user.password);
  await expect(verification(page)).toHaveAttribute('data-status', 'verified');
  await page.getByTestId('layers').locator('a[href^="/fs/"]').first().click();
  await expect(page.getByTestId('layer-verification')).toHaveAttribute('data-status', 'verified');

  const tokenRequests = await tokenServerLog();
  const mine = tokenRequests.filter((entry) => entry.at >= since && entry.credentials === 'basic');
  expect(mine.length, 'this visit asked the token server with the credentials').toBeGreaterThan(0);
  for (const entry of tokenRequests.filter((each) => each.credentials !== 'none')) {
    // Nobody else's credentials (the htpasswd registry's, which the app server holds) ever came
    // here: only the seeding account's push requests and the reader's, for this registry's
    // service and repositories on it.
    expect(entry.credentials).toBe('basic');
    expect([user.name, pusherName]).toContain(entry.user);
    expect(entry).toMatchObject({ path: '/token', service });
    const pattern =
      entry.user === pusherName
        ? /^repository:(public|private)\/[a-z0-9/_.-]+:pull,push$/
        : /^repository:(public|private)\/[a-z0-9/_.-]+:pull$/;
    for (const scope of entry.scopes) expect(scope).toMatch(pattern);
  }
  expect(mine.some((entry) => entry.status === 200 && entry.granted.includes(`repository:${privateImage.repo}:pull`))).toBe(true);

  const registryRequests = await registryLog();
  expect(
    registryRequests.filter((entry) => entry.authorization === 'basic'),
    'Basic never reached the registry',
  ).toEqual([]);
  expect(
    registryRequests.some(
      (entry) =>
        entry.at >= since && entry.authorization === 'bearer' && entry.status === 200 && entry.path.includes(`/v2/${privateImage.repo}/`),
    ),
  ).toBe(true);
});
