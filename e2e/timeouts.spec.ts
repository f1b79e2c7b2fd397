/**
 * The app server's upstream timeouts (OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS and …_BODY_TIMEOUT_MS)
 * set short, seen through the browser: a registry that reads the request and never answers, or
 * sends a manifest's headers and then nothing, ends as "Registry unreachable" with the timeout as
 * its cause within a few seconds, not at the client's 30 s deadline, and nothing is verified.
 *
 * The suite's shared app server keeps the production defaults (30 s / 60 s) that faults.spec.ts
 * relies on, so this file starts a second app server of its own, allowed to reach only the fault
 * registry (e2e/faults/fault-server.ts), and opens pages on it by absolute URL.
 */
import { expect, type Page, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, startDaemon, waitForHttp, type Daemon } from './support/processes.ts';
import { readE2EState } from './support/state.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEADERS_TIMEOUT_MS = 2_000;
const BODY_TIMEOUT_MS = 2_000;
/** The timeout, plus the page's own load and the proxy answering: still far below the client's 30 s. */
const WITHIN_MS = 8_000;

let app: Daemon | undefined;
let baseUrl = '';

test.beforeAll(async () => {
  const port = await freeLoopbackPort();
  baseUrl = `http://127.0.0.1:${port}`;
  app = startDaemon('app server (short timeouts)', process.execPath, ['--import', 'tsx', 'proxy/node-server.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      OCISCOPE_ALLOW_HOSTS: readE2EState().faults.host,
      OCISCOPE_UPSTREAM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      OCISCOPE_UPSTREAM_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    },
  });
  await waitForHttp(app, `${baseUrl}/`, { timeoutMs: 20_000, accept: () => true });
});

test.afterAll(async () => {
  await app?.stop();
});

async function expectTimedOut(page: Page, startedAt: number): Promise<void> {
  const error = page.getByTestId('error');
  await expect(error).toHaveAttribute('data-kind', 'unreachable');
  await expect(page.getByRole('heading', { name: 'Registry unreachable' })).toBeVisible();
  await expect(error).toContainText('timeout');
  await expect(page.getByTestId('verification')).toHaveCount(0);
  // A timeout is not retried: waiting again would only multiply the wait.
  await expect(page.getByTestId('retrying')).toHaveCount(0);
  expect(Date.now() - startedAt).toBeLessThan(WITHIN_MS);
}

test('a registry that never sends headers is unreachable (timeout) within seconds', async ({ page }) => {
  const startedAt = Date.now();
  await page.goto(`${baseUrl}/?image=${readE2EState().faults.host}/faults/stall-headers:v1`);
  await expectTimedOut(page, startedAt);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS);
});

test('a manifest whose body stalls after the headers is unreachable (timeout) within seconds', async ({ page }) => {
  const startedAt = Date.now();
  await page.goto(`${baseUrl}/?image=${readE2EState().faults.host}/faults/stall-body:v1`);
  await expectTimedOut(page, startedAt);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS);
});
