/**
 * The bench's layer: a tar of files from /usr/lib (binaries, libraries, scripts: semi-compressible
 * like real layers), gzip -6 as image builders write it. At least 1 GiB of tar for the memory
 * measurement and, with /usr/lib's mix, well over the 128 MiB compressed the issue asks for.
 *
 * Building takes about a minute (gzip is the slow part), so the result is cached in the temp dir
 * and reused while its recorded size still matches the file. The selection is deterministic for
 * a given /usr/lib: files sorted by a hash of their path (mixing directories and file types)
 * and taken until the tar is big enough.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToCompletion } from '../e2e/support/processes.ts';

export interface LayerFixture {
  /** The gzip blob on disk. */
  path: string;
  digest: string;
  size: number;
  diffId: string;
  tarBytes: number;
  files: number;
}

const SOURCE = '/usr/lib';
const TAR_TARGET_BYTES = 1.1 * 2 ** 30;
const MIN_COMPRESSED_BYTES = 128 * 2 ** 20;
const CACHE_DIR = join(tmpdir(), 'ociscope-bench-cache');

export async function layerFixture(log: (line: string) => void): Promise<LayerFixture> {
  const metaPath = join(CACHE_DIR, 'layer.json');
  if (existsSync(metaPath)) {
    const cached = JSON.parse(readFileSync(metaPath, 'utf8')) as LayerFixture;
    if (existsSync(cached.path) && statSync(cached.path).size === cached.size) return cached;
  }
  await mkdir(CACHE_DIR, { recursive: true });
  log(`building the bench layer from ${SOURCE} in ${CACHE_DIR} (once; about a minute)…`);

  const listing = await runToCompletion('find', [SOURCE, '-xdev', '-type', 'f', '-size', '+0', '-printf', '%s\\t%P\\n']);
  const candidates = listing
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const path = line.slice(tab + 1);
      return { size: Number(line.slice(0, tab)), path, key: createHash('sha1').update(path).digest('hex') };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chosen: string[] = [];
  let total = 0;
  for (const file of candidates) {
    if (total >= TAR_TARGET_BYTES) break;
    chosen.push(file.path);
    total += file.size;
  }
  const listPath = join(CACHE_DIR, 'files.txt');
  await writeFile(listPath, chosen.join('\n') + '\n');

  const tarPath = join(CACHE_DIR, 'layer.tar');
  const gzipPath = join(CACHE_DIR, 'layer.tar.gz');
  await runToCompletion('tar', [
    '-C',
    SOURCE,
    '--no-recursion',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-cf',
    tarPath,
    '-T',
    listPath,
  ]);
  const tarBytes = statSync(tarPath).size;
  const diffId = await sha256File(tarPath);
  await runToCompletion('sh', ['-c', 'gzip -6 -n -c "$1" > "$2"', 'sh', tarPath, gzipPath]);
  await rm(tarPath);

  const size = statSync(gzipPath).size;
  if (size < MIN_COMPRESSED_BYTES)
    throw new Error(`the bench layer is only ${size} bytes compressed; the bench needs ${MIN_COMPRESSED_BYTES}`);
  const fixture: LayerFixture = { path: gzipPath, digest: await sha256File(gzipPath), size, diffId, tarBytes, files: chosen.length };
  await writeFile(metaPath, JSON.stringify(fixture, null, 2));
  return fixture;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
