/**
 * Build step: writes a brotli (`.br`) and a gzip (`.gz`) copy beside every compressible file of
 * the built app, so the server (proxy/precompressed-static.ts) sends the shell compressed
 * without compressing on each request. Compressing once at build time is what lets us use the
 * slowest, smallest settings (brotli quality 11, gzip level 9): the main script goes from
 * ~440 KB to ~120 KB of brotli.
 *
 * Source maps are left alone: only developer tools fetch them, and brotli 11 over the 2.4 MB
 * map would add seconds to every build. Files under MIN_BYTES gain nothing worth a round of
 * negotiation, and a variant that is not smaller than the original is not written.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|wasm|txt|xml)$/i;
const MIN_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** What precompressing one file wrote: the original's size and each variant's (absent when not written). */
export interface PrecompressedFile {
  file: string;
  bytes: number;
  br?: number;
  gzip?: number;
}

async function compressFile(file: string): Promise<PrecompressedFile> {
  const bytes = await readFile(file);
  const result: PrecompressedFile = { file, bytes: bytes.length };
  if (bytes.length < MIN_BYTES) return result;
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: /\.wasm$/i.test(file) ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }),
    gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  if (br.length < bytes.length) {
    await writeFile(`${file}.br`, br);
    result.br = br.length;
  }
  if (gz.length < bytes.length) {
    await writeFile(`${file}.gz`, gz);
    result.gzip = gz.length;
  }
  return result;
}

async function compressibleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Precompresses every compressible file under `dir` (the build output), in parallel. */
export async function precompressDirectory(dir: string): Promise<PrecompressedFile[]> {
  return Promise.all((await compressibleFiles(dir)).map(compressFile));
}

/** The vite plugin: precompresses the output directory once the whole build (workers included) is written. */
export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'ociscope-precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      await precompressDirectory(path.resolve(config.root, config.build.outDir));
    },
  };
}
