import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompressDirectory } from './precompress.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ociscope-precompress-'));
  await mkdir(path.join(dir, 'assets'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const text = (n: number) => Array.from({ length: n }, (_, i) => `const value${i} = ${i};`).join('\n');

describe('precompressDirectory', () => {
  it('writes brotli and gzip copies that decode to the original, nested directories included', async () => {
    const script = text(500);
    await writeFile(path.join(dir, 'assets', 'index-1.js'), script);
    await writeFile(path.join(dir, 'index.html'), `<!doctype html>${'<p>ociscope</p>'.repeat(200)}`);
    const results = await precompressDirectory(dir);
    expect(results.map((r) => path.relative(dir, r.file)).sort()).toEqual(['assets/index-1.js', 'index.html']);
    const br = await readFile(path.join(dir, 'assets', 'index-1.js.br'));
    const gz = await readFile(path.join(dir, 'assets', 'index-1.js.gz'));
    expect(brotliDecompressSync(br).toString('utf8')).toBe(script);
    expect(gunzipSync(gz).toString('utf8')).toBe(script);
    expect(br.length).toBeLessThan(gz.length);
    const row = results.find((r) => r.file.endsWith('index-1.js'))!;
    expect(row).toEqual({ file: row.file, bytes: script.length, br: br.length, gzip: gz.length });
  });

  it('leaves source maps, small files, binaries and incompressible bytes alone', async () => {
    await writeFile(path.join(dir, 'assets', 'index-1.js.map'), text(500));
    await writeFile(path.join(dir, 'assets', 'tiny.js'), 'export {};');
    await writeFile(path.join(dir, 'assets', 'logo.png'), Buffer.alloc(4096));
    // Random bytes do not compress: no variant larger than the file is written.
    const random = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256)));
    await writeFile(path.join(dir, 'assets', 'noise.wasm'), random);
    await precompressDirectory(dir);
    expect((await readdir(path.join(dir, 'assets'))).sort()).toEqual(['index-1.js.map', 'logo.png', 'noise.wasm', 'tiny.js']);
  });
});
