/**
 * Fuzz battery for the layer pass (scanLayer with an injected fetch, as scan.test.ts does): a
 * layer written by GNU tar, as a plain tar, gzip (node:zlib and GNU gzip) and zstd, is damaged —
 * truncated, bit-flipped, overwritten, spliced with another encoding — and served in generated
 * chunks, sometimes breaking off. For every altered blob the pass ends with exactly one terminal
 * event, an error ('truncated', 'decompress', 'tar-format', never an internal error) or a 'done'
 * that is not verified:
 * - served against the digest the manifest names, the digest never matches;
 * - served as a registry that stored the damaged bytes under their own digest (so the digest
 *   matches), the diff_id never matches the config's, unless the real tool (GNU gzip, zstd)
 *   decompresses the damaged blob to exactly the original tar, in which case "verified" is true.
 * A pass that does not settle within the case timeout fails the battery as a hang.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { alter, alterationOf, sameBytes, type Alteration } from '../../test-support/alterations';
import { scriptedBlobFetch } from '../../test-support/blob-fetch';
import { chunked, noiseBytes, type Bytes } from '../../test-support/bytes';
import { gnuGunzip, gnuGzip, zlibGzip, zstdCompress } from '../../test-support/compression';
import { sha256Digest } from '../../test-support/digest';
import { itFuzzes } from '../../test-support/fuzz';
import { gnuTar, writeTree } from '../../test-support/tar';
import { runTool, makeTempDir } from '../../test-support/tools';
import type { LayerScanEvent } from './events';
import { scanLayer } from './scan';

interface Encoded {
  name: string;
  kind: 'none' | 'gzip' | 'zstd';
  bytes: Bytes;
}

interface Case {
  blob: number;
  damage: Alteration;
  /** The registry stored the damaged bytes under their own digest. */
  selfConsistent: boolean;
  /** The descriptor's size is sent along (the pass then knows where the blob must end). */
  declareSize: boolean;
  chunk: number;
  /** The connection breaks off after this many chunks (none when null). */
  breakAfter: number | null;
  byteStream: boolean;
}

/** What the real tool makes of the blob, when it reads it without complaint. */
function toolOutput(blob: Encoded, bytes: Uint8Array): Uint8Array | undefined {
  if (blob.kind === 'gzip') {
    const gnu = gnuGunzip(bytes);
    return gnu.ok ? gnu.output : undefined;
  }
  if (blob.kind === 'zstd') {
    try {
      return runTool('zstd', ['-d', '-c', '-q'], { input: bytes });
    } catch {
      return undefined;
    }
  }
  return bytes;
}

describe('scanLayer on damaged layers', () => {
  const work = makeTempDir('ociscope-scan-fuzz');
  const blobs: Encoded[] = [];
  let tar: Bytes;

  beforeAll(() => {
    writeTree(work, [
      { path: 'etc/os-release', content: 'ID=fuzz\n' },
      { path: 'usr/bin/tool', content: noiseBytes(6_000, 9), mode: 0o755 },
      { path: 'usr/share/doc/readme', content: 'read me\n'.repeat(200) },
      { path: 'usr/bin/alias', symlink: 'tool' },
      { path: 'usr/bin/hard', hardlinkTo: 'usr/bin/tool' },
      { path: 'var/.wh.cache', content: '' },
      { path: 'opt/.wh..wh..opq', content: '' },
    ]);
    tar = gnuTar(work, { format: 'posix' });
    blobs.push(
      { name: 'tar', kind: 'none', bytes: tar },
      { name: 'zlib gzip', kind: 'gzip', bytes: zlibGzip(tar) },
      { name: 'GNU gzip', kind: 'gzip', bytes: gnuGzip(tar, 9) },
      { name: 'zstd', kind: 'zstd', bytes: zstdCompress(tar) },
    );
  });

  const caseArbitrary = () =>
    fc.nat({ max: blobs.length - 1 }).chain((blob) =>
      fc.record<Case>({
        blob: fc.constant(blob),
        damage: alterationOf(blobs[blob]!.bytes.length, blobs.length),
        selfConsistent: fc.boolean(),
        declareSize: fc.boolean(),
        chunk: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 101, max: 70_000 })),
        breakAfter: fc.option(fc.nat({ max: 40 }), { nil: null, freq: 8 }),
        byteStream: fc.boolean(),
      }),
    );

  itFuzzes('layer pass on damaged blobs', { runs: 250, timeoutMs: 120_000, caseTimeoutMs: 20_000 }, () =>
    fc.asyncProperty(caseArbitrary(), async (c) => {
      const blob = blobs[c.blob]!;
      const bytes = alter(
        blob.bytes,
        c.damage,
        blobs.map((b) => b.bytes),
      );
      if (sameBytes(bytes, blob.bytes)) return;
      // At most ~400 chunks a case: small chunks matter at header and member boundaries.
      const chunks: (Bytes | 'fail')[] = chunked(bytes, Math.max(c.chunk, Math.ceil(bytes.length / 400)));
      const broken = c.breakAfter !== null && c.breakAfter < chunks.length;
      if (broken) chunks.splice(c.breakAfter!, chunks.length, 'fail');
      const expectedDigest = c.selfConsistent ? sha256Digest(bytes) : sha256Digest(blob.bytes);
      const size = c.selfConsistent ? bytes.length : blob.bytes.length;

      const events: LayerScanEvent[] = [];
      const { fetch } = scriptedBlobFetch({ chunks, bytes: c.byteStream });
      await scanLayer(
        {
          url: '/registry/127.0.0.1:5000/v2/fuzz/blobs/x',
          expectedDigest,
          expectedDiffId: sha256Digest(tar),
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          ...(c.declareSize ? { size } : {}),
        },
        (event) => events.push(event),
        { fetch },
      );

      const terminal = events.filter((e) => e.type === 'done' || e.type === 'error' || e.type === 'file');
      expect(terminal, 'exactly one terminal event, and it is the last').toEqual([events.at(-1)]);
      const last = events.at(-1)!;
      if (last.type === 'error') {
        expect(['truncated', 'decompress', 'tar-format']).toContain(last.kind);
        expect(last.message).not.toMatch(/internal error/);
        return;
      }
      expect(last.type).toBe('done');
      if (last.type !== 'done') return;
      expect(broken, 'a body that broke off ended in done').toBe(false);
      expect(last.compressedBytes).toBe(bytes.length);
      if (!c.selfConsistent) {
        expect(last.digest.ok, 'damaged bytes matched the digest of the original').toBe(false);
        return;
      }
      expect(last.digest.ok).toBe(true);
      if (last.diffId.ok) {
        const real = toolOutput(blob, bytes);
        expect(
          real !== undefined && sameBytes(real, tar),
          `${blob.name}: verified, but the real tool does not read it as the original tar`,
        ).toBe(true);
      }
    }),
  );
});
