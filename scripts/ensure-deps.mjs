/**
 * Installs npm dependencies when they are missing or older than the lockfile, so that the
 * README's two commands work on a fresh clone. Uses only Node built-ins: it runs before any
 * dependency exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

function stale() {
  const marker = `${root}node_modules/.package-lock.json`;
  if (!existsSync(marker)) return true;
  const lock = `${root}package-lock.json`;
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000;
}

export function ensureDependencies() {
  if (!stale()) return;
  const lockfile = existsSync(`${root}package-lock.json`);
  console.log(`Installing npm dependencies (${lockfile ? 'npm ci' : 'npm install'})…`);
  run('npm', [lockfile ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

/** Runs a command in the project root, inheriting the terminal; exits with its status on failure. */
export function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
