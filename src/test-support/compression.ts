/**
 * Compressed fixtures made by the real tools (GNU gzip, zstd) and by node:zlib, the two gzip
 * writers whose output differs (GNU gzip can name the file in the header, zlib never does).
 */
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

/** What GNU gzip makes of a stream: its output, and whether it called the stream good. */
export function gnuGunzip(data: Uint8Array): { ok: boolean; output: Bytes } {
  try {
    // Exit 2 is a warning: "decompression OK, trailing garbage ignored".
    return { ok: true, output: runTool('gzip', ['-d', '-c'], { input: data, okStatuses: [2] }) };
  } catch {
    return { ok: false, output: new Uint8Array(0) };
  }
}

/** One zstd frame written by the zstd tool. */
export function zstdCompress(data: Uint8Array, level = 3): Bytes {
  return runTool('zstd', ['-q', '-c', `-${level}`, '-'], { input: data });
}
