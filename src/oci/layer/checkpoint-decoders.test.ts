/**
 * A pass that records checkpoints lists the same files and proves the same digests as one that
 * does not, and every checkpoint it hands over restarts decoding at exactly its tar offset.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scriptedBlobFetch } from '../../test-support/blob-fetch';
import { chunked, concatBytes, semiRandom } from '../../test-support/bytes';
import { zstdCompress } from '../../test-support/compression';
import { sha256Digest } from '../../test-support/digest';
import { gnuTar, writeTree } from '../../test-support/tar';
import { makeTempDir } from '../../test-support/tools';
import { CHECKPOINT_SPACING } from './checkpoints';
import type { LayerScanEvent } from './events';
import { GzipInflater, type GzipCheckpoint } from './gzip-inflate';
import { scanLayer } from './scan';

const workDir = makeTempDir('checkpoint-decoders-test');
writeTree(`${workDir}/rootfs`, [
  { path: 'a/first.bin', content: semiRandom(5 << 20, 1) },
  { path: 'a/second.bin', content: semiRandom(6 << 20, 2) },
  { path: 'a/small.txt', content: 'small\n' },
]);
const tar = gnuTar(`${workDir}/rootfs`, { members: ['a'], args: ['--numeric-owner'] });
const gzip = new Uint8Array(gzipSync(tar));

async function pass(blob: Uint8Array, checkpoints: boolean) {
  const events: LayerScanEvent[] = [];
  const { fetch } = scriptedBlobFetch({ chunks: chunked(blob, 256 * 1024) });
  await scanLayer({ url: '/registry/r.test/v2/a/blobs/x', expectedDigest: sha256Digest(blob), checkpoints }, (e) => events.push(e), {
    fetch,
  });
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error(`pass failed: ${JSON.stringify(done)}`);
  return { done, entries: events.flatMap((e) => (e.type === 'entries' ? e.entries : [])) };
}

describe('a pass that records checkpoints', () => {
  it('lists and proves the same as one that does not, gzip and zstd', async () => {
    for (const blob of [gzip, zstdCompress(tar)]) {
      const plain = await pass(blob, false);
      const recorded = await pass(blob, true);
      expect(recorded.entries).toEqual(plain.entries);
      expect(recorded.done.digest.ok).toBe(true);
      expect(recorded.done.diffId.computed).toBe(sha256Digest(tar));
      expect(plain.done.checkpoints).toBeUndefined();
      expect(recorded.done.checkpoints).toBeDefined();
    }
  });

  it('hands over gzip checkpoints about every CHECKPOINT_SPACING bytes, each restarting at its tar offset', async () => {
    const { done } = await pass(gzip, true);
    const checkpoints = done.checkpoints as GzipCheckpoint[];
    expect(checkpoints.length).toBeGreaterThanOrEqual(Math.floor(tar.length / CHECKPOINT_SPACING) - 1);
    for (const checkpoint of checkpoints) {
      const out: Uint8Array[] = [];
      const inflater = await GzipInflater.create({ output: (c) => out.push(c), resume: checkpoint });
      inflater.push(gzip.subarray(Math.floor(checkpoint.bit / 8)));
      inflater.end();
      expect(Buffer.compare(concatBytes(...out), tar.subarray(checkpoint.out))).toBe(0);
    }
  });

  it('hands over none for a plain tar, whose files are their own byte ranges', async () => {
    const { done } = await pass(tar, true);
    expect(done.checkpoints).toEqual([]);
  });

  it('reports corrupt gzip as a decompression failure', async () => {
    const broken = gzip.slice();
    broken[2000] = broken[2000]! ^ 0xff;
    const events: LayerScanEvent[] = [];
    const { fetch } = scriptedBlobFetch({ chunks: chunked(broken, 256 * 1024) });
    await scanLayer({ url: '/registry/r.test/v2/a/blobs/x', expectedDigest: 'sha256:x', checkpoints: true }, (e) => events.push(e), {
      fetch,
    });
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'decompress' });
  });
});
