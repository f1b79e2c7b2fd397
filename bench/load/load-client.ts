/**
 * The load generators of the load bench: waves of concurrent manifest GETs and of concurrent
 * blob streams from Node's fetch (every body hashed as it arrives), and parallel `curl`
 * downloads to compare the proxy with a direct fetch of the same blob.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';

export interface RequestOutcome {
  readonly ok: boolean;
  /** Time to the last body byte, in milliseconds. */
  readonly ms: number;
  /** Why it failed, for the first few failures printed by the bench. */
  readonly problem?: string;
}

/** GETs `url` and checks status 200 and the body's sha256, reading the body as it streams. */
export async function fetchVerified(url: string, expectedDigest: string, headers: Record<string, string> = {}): Promise<RequestOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, { headers });
    const hash = createHash('sha256');
    const reader = response.body?.getReader();
    for (let read = await reader?.read(); read !== undefined && !read.done; read = await reader!.read()) {
      hash.update(read.value);
    }
    const ms = performance.now() - started;
    const digest = `sha256:${hash.digest('hex')}`;
    if (response.status !== 200) return { ok: false, ms, problem: `HTTP ${response.status}` };
    if (digest !== expectedDigest) return { ok: false, ms, problem: `body is ${digest}, expected ${expectedDigest}` };
    return { ok: true, ms };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, problem: describe(error) };
  }
}

/** `count` copies of `request` at once; resolves when all have finished, with the wall time. */
export async function concurrently(
  count: number,
  request: () => Promise<RequestOutcome>,
): Promise<{ outcomes: RequestOutcome[]; seconds: number }> {
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, request));
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

/**
 * `count` curl processes downloading `url` to /dev/null at once (`--fail`, no proxy from the
 * environment); each must report status 200 and exactly `size` bytes.
 */
export async function parallelCurl(count: number, url: string, size: number): Promise<{ outcomes: RequestOutcome[]; seconds: number }> {
  return concurrently(count, () => curlOnce(url, size));
}

function curlOnce(url: string, size: number): Promise<RequestOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('curl', ['-sS', '--fail', '--noproxy', '*', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', (error) => resolve({ ok: false, ms: performance.now() - started, problem: describe(error) }));
    child.once('close', (code) => {
      const ms = performance.now() - started;
      const [status, bytes] = out.trim().split(' ');
      if (code !== 0) resolve({ ok: false, ms, problem: `curl exit ${code}: ${out.trim()}` });
      else if (status !== '200' || Number(bytes) !== size) resolve({ ok: false, ms, problem: `HTTP ${status}, ${bytes} of ${size} bytes` });
      else resolve({ ok: true, ms });
    });
  });
}

/** The value at quantile `q` (0..1) of `values`, nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause === undefined ? error.message : `${error.message} (${cause.code ?? cause.message})`;
}
