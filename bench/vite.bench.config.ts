/**
 * Builds the bench page (bench/page) with the app's layer scanner and its workers, bundled as
 * the app bundles them; bench/layer-bench.ts serves the output from the app server, so the page
 * and the registry proxy share an origin as they do in production.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  logLevel: 'warn',
  worker: { format: 'es' },
  build: { target: 'es2022', emptyOutDir: true },
});
