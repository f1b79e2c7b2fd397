/**
 * Build for the SPA and the unit-test runner. The dev server forwards /registry/* to the proxy
 * started by `npm run serve`, so development and production talk to the same handler. The build
 * writes brotli and gzip copies of the shell beside it (scripts/precompress.ts).
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { precompress } from './scripts/precompress.ts';

const proxyPort = process.env.OCISCOPE_PROXY_PORT ?? '8080';

export default defineConfig({
  plugins: [react(), precompress()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Brotli at quality 11 (scripts/precompress.ts) takes a few seconds by design, after the
    // bundle is written; rolldown would report it as a slow plugin on every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: { '/registry': `http://127.0.0.1:${proxyPort}` },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'proxy/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.unit.test.ts'],
    environment: 'node',
    // Some tests feed real archives a byte at a time; on a loaded 2-core machine that takes seconds.
    testTimeout: 30_000,
  },
});
