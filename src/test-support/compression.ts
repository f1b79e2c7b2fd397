/**
 * Compressed fixtures made by the real tools (GNU gzip, zstd) and by node:zlib, the two gzip
 * writers whose output differs (GNU gzip can name the file in the header, zlib never does).
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import type { Bytes } from './bytes';
import { runTool } from './tools';

/** One gzip member written by GNU gzip from stdin (`-n`: no name or time, so output is stable). */
export function gnuGzip(data: Uint8Array, level = 6): Bytes {
  return runTool('gzip', ['-c', '-n', `-${level}`], { input: data });
}

/** One gzip member written by node:zlib. */
export function zlibGzip(data: Uint8Array, level = 6): Bytes {
  return new Uint8Array(gzipSync(data, { level }));
}

export interface GnuGunzipResult {
  /** GNU gzip decompressed the stream (exit 0, or 2 for a warning). */
  ok: boolean;
  /** It warned "decompression OK, trailing garbage ignored" (exit 2). */
  trailingGarbage: boolean;
  output: Bytes;
}

/** What GNU gzip makes of a stream: its output, and whether it called the stream good. */
export function gnuGunzip(data: Uint8Array): GnuGunzipResult {
  const result = spawnSync('gzip', ['-d', '-c'], { input: data, maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  const ok = result.status === 0 || result.status === 2;
  return { ok, trailingGarbage: result.status === 2, output: ok ? new Uint8Array(result.stdout) : new Uint8Array(0) };
}

/** One zstd frame written by the zstd tool. */
export function zstdCompress(data: Uint8Array, level = 3): Bytes {
  return runTool('zstd', ['-q', '-c', `-${level}`, '-'], { input: data });
}
