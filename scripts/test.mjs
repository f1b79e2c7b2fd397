/**
 * `npm test`: every test there is — lint and format check, type check, unit and fuzz tests
 * (vitest), then the end-to-end suite (Playwright driving Debian chromium against a real
 * distribution registry). Ends with one "N passed, N failed" line summing both runners.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDependencies, root, run } from './ensure-deps.mjs';

const missing = [
  '/usr/bin/chromium',
  '/usr/bin/docker-registry',
  '/usr/bin/skopeo',
  '/usr/sbin/nginx',
  '/usr/bin/zstd',
  '/usr/bin/openssl',
].filter((p) => !existsSync(p));
if (missing.length > 0) {
  console.error(
    `The end-to-end tests need ${missing.join(', ')}.\nInstall them with: sudo apt-get install chromium docker-registry skopeo zstd nginx openssl (or run bash .ci/run).`,
  );
  process.exit(1);
}

ensureDependencies();
const started = Date.now();
const reports = mkdtempSync(join(tmpdir(), 'ociscope-test-'));

run('npm', ['run', '--silent', 'lint']);
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);

function runner(command, args, env = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

const unitReport = join(reports, 'vitest.json');
const unitStatus = runner('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);

run('npx', ['vite', 'build', '--logLevel', 'warn']);
const e2eReport = join(reports, 'playwright.json');
const e2eStatus = runner('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eReport });

function counts(file, read) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  return read(JSON.parse(readFileSync(file, 'utf8')));
}
const unit = counts(unitReport, (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests }));
const e2e = counts(e2eReport, (r) => ({ passed: r.stats.expected, failed: r.stats.unexpected + r.stats.flaky }));
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\nunit: ${unit.passed} passed, ${unit.failed} failed; end-to-end: ${e2e.passed} passed, ${e2e.failed} failed (${seconds}s)`);
console.log(`${unit.passed + e2e.passed} passed, ${unit.failed + e2e.failed} failed`);
process.exit(unitStatus || e2eStatus);
