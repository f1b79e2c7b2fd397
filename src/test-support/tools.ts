/**
 * Running the real tools that make fixtures (GNU tar, gzip, zstd) from tests, and a scratch
 * directory per test file. Fixtures come from the tools users have, not from our own writers,
 * so a test checks our reading against theirs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Bytes } from './bytes';

export interface ToolOptions {
  input?: Uint8Array;
  /** Exit statuses that still count as success, besides 0 (GNU tar exits 2 on warnings). */
  okStatuses?: readonly number[];
  cwd?: string;
}

/** Runs a tool to completion and returns its stdout; a failure throws with its stderr. */
export function runTool(command: string, args: readonly string[], options: ToolOptions = {}): Bytes {
  const result = spawnSync(command, args, { input: options.input, cwd: options.cwd, maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  const status = result.status ?? -1;
  if (status !== 0 && !(options.okStatuses ?? []).includes(status)) {
    throw new Error(`${command} ${args.join(' ')} exited with ${status}: ${result.stderr.toString()}`);
  }
  return new Uint8Array(result.stdout);
}

/**
 * A fresh directory under the system temp dir, removed after the test file's last test. Call
 * it at module level or in beforeAll.
 */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
