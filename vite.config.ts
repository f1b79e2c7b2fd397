/**
 * Build for the SPA and the unit-test runner. The dev server forwards /registry/* to the proxy
 * started by `npm run serve`, so development and production talk to the same handler.
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const proxyPort = process.env.OCISCOPE_PROXY_PORT ?? '8080';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: {
    proxy: { '/registry': `http://127.0.0.1:${proxyPort}` },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'proxy/**/*.test.ts', 'e2e/**/*.unit.test.ts'],
    environment: 'node',
    // Some tests feed real archives a byte at a time; on a loaded 2-core machine that takes seconds.
    testTimeout: 30_000,
  },
});
