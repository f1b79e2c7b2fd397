/**
 * End-to-end suite: a real registry and the real app server started by e2e/global-setup.ts,
 * driven with Debian's chromium (no downloaded browsers; everything stays on 127.0.0.1).
 */
import { defineConfig } from '@playwright/test';
import { E2E_BASE_URL_ENV } from './e2e/support/state.ts';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 2,
  // The JSON report lets `npm test` print one pass/fail total for unit and end-to-end tests.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [['list'], ['json']] : [['list']],
  use: {
    // Set by global setup before workers start; workers evaluate this file again and see it.
    baseURL: process.env[E2E_BASE_URL_ENV],
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
