/**
 * The gzip decoder against GNU gzip's own files (headers with names, every level, several
 * members, trailing garbage) and restarts from its checkpoints, block and member ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipFormatError, GzipInflater, type GzipCheckpoint } from './gzip-inflate';
import { concatBytes } from '../../test-support/bytes';

function sample(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    // Mostly a small alphabet with runs (compressible), now and then noise.
    out[i] = state >>> 28 < 12 ? 97 + ((state >>> 20) % 6) : state >>> 24;
  }
  return out;
}

/** GNU gzip run on a file of ours, so its header carries the name as `gzip file` writes it. */
function gnuGzip(data: Uint8Array, level: number, name = 'layer.tar'): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'ociscope-gzip-'));
  writeFileSync(join(dir, name), data);
  return new Uint8Array(execFileSync('gzip', [`-${level}`, '-c', '-N', join(dir, name)], { maxBuffer: 1 << 28 }));
}

async function gunzip(blob: Uint8Array, options: { spacing?: number; resume?: GzipCheckpoint; piece?: number } = {}) {
  const chunks: Uint8Array[] = [];
  const checkpoints: GzipCheckpoint[] = [];
  let last = 0;
  const spacing = options.spacing;
  const inflater = await GzipInflater.create({
    output: (chunk) => chunks.push(chunk),
    resume: options.resume,
    wantCheckpoint: spacing === undefined ? undefined : (out) => out - last >= spacing,
    onCheckpoint: (checkpoint) => {
      last = checkpoint.out;
      checkpoints.push(checkpoint);
    },
  });
  const from = options.resume ? Math.floor(options.resume.bit / 8) : 0;
  const piece = options.piece ?? 65536;
  for (let at = from; at < blob.length; at += piece) inflater.push(blob.subarray(at, Math.min(blob.length, at + piece)));
  inflater.end();
  return { output: concatBytes(...chunks), checkpoints, trailingBytes: inflater.trailingBytes, members: inflater.members };
}

function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.findIndex((b, i) => b !== expected[i])).toBe(-1);
}

async function failure(blob: Uint8Array): Promise<GzipFormatError> {
  try {
    await gunzip(blob);
  } catch (error) {
    if (error instanceof GzipFormatError) return error;
    throw error;
  }
  throw new Error('no failure');
}

describe('GzipInflater', () => {
  const data = sample(2 << 20, 7);

  it.each([1, 6, 9])('decodes GNU gzip -%i (a header with the file name) exactly', async (level) => {
    const run = await gunzip(gnuGzip(data, level), { piece: 10_007 });
    expectSame(run.output, data);
    expect(run.members).toBe(1);
    expect(run.trailingBytes).toBe(0);
  });

  it('restarts at each block checkpoint and matches what gzip -dc gives from there', async () => {
    const blob = gnuGzip(data, 6);
    const expected = new Uint8Array(execFileSync('gzip', ['-dc'], { input: blob, maxBuffer: 1 << 28 }));
    const run = await gunzip(blob, { spacing: 128 * 1024 });
    expect(run.checkpoints.length).toBeGreaterThanOrEqual(10);
    expect(run.checkpoints.every((checkpoint) => checkpoint.kind === 'block')).toBe(true);
    for (const checkpoint of run.checkpoints) {
      const resumed = await gunzip(blob, { resume: checkpoint, piece: 4093 });
      expectSame(resumed.output, expected.subarray(checkpoint.out));
    }
  });

  it('reads concatenated members, with checkpoints at member starts, and restarts there too', async () => {
    const parts = [sample(300_000, 1), sample(1000, 2), new Uint8Array(0), sample(500_000, 3)];
    const blob = concatBytes(...parts.map((part, i) => gnuGzip(part, 1 + i * 2, `part${i}`)));
    const whole = concatBytes(...parts);
    const run = await gunzip(blob, { spacing: 1, piece: 777 });
    expectSame(run.output, whole);
    expect(run.members).toBe(4);
    const members = run.checkpoints.filter((checkpoint) => checkpoint.kind === 'member');
    expect(members.length).toBeGreaterThanOrEqual(1);
    for (const checkpoint of run.checkpoints) {
      if (checkpoint.kind === 'member') expect([blob[checkpoint.bit / 8], blob[checkpoint.bit / 8 + 1]]).toEqual([0x1f, 0x8b]);
      expectSame((await gunzip(blob, { resume: checkpoint })).output, whole.subarray(checkpoint.out));
    }
  });

  it('reads optional header fields: extra, comment, header CRC', async () => {
    const body = sample(10_000, 4);
    const deflated = deflateRawSync(body);
    const header = Uint8Array.of(
      0x1f,
      0x8b,
      8,
      0x02 | 0x04 | 0x08 | 0x10,
      0,
      0,
      0,
      0,
      0,
      3,
      3,
      0,
      65,
      66,
      67,
      120,
      0,
      104,
      105,
      0,
      0xaa,
      0xbb,
    );
    const trailer = new Uint8Array(8);
    new DataView(trailer.buffer).setUint32(0, crc32(body), true);
    new DataView(trailer.buffer).setUint32(4, body.length, true);
    expectSame((await gunzip(concatBytes(header, deflated, trailer), { piece: 3 })).output, body);
  });

  it('counts trailing garbage after the last member and ignores it, like gzip -d', async () => {
    const body = sample(5000, 5);
    for (const garbage of [Uint8Array.of(0), Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0x1f), Uint8Array.of(1, 2, 3)]) {
      const run = await gunzip(concatBytes(gzipSync(body), garbage), { piece: 1 });
      expectSame(run.output, body);
      expect(run.trailingBytes).toBe(garbage.length);
    }
  });

  it('refuses a wrong CRC-32 or ISIZE, as gzip -d does', async () => {
    // A Uint8Array of its own: a Buffer's slice() would share the bytes.
    const blob = new Uint8Array(gzipSync(sample(5000, 6)));
    const badCrc = blob.slice();
    badCrc[blob.length - 8]! ^= 1;
    expect((await failure(badCrc)).message).toMatch(/CRC-32/);
    const badSize = blob.slice();
    badSize[blob.length - 4]! ^= 1;
    expect((await failure(badSize)).message).toMatch(/ISIZE/);
  });

  it('says where a stream stops short', async () => {
    const blob = gzipSync(sample(50_000, 8));
    for (const keep of [5, 20, blob.length >> 1, blob.length - 3]) {
      const error = await failure(blob.subarray(0, keep));
      expect(error.truncated).toBe(true);
    }
  });

  it('refuses what is not gzip', async () => {
    expect((await failure(Uint8Array.of(0x1f, 0x8c, 8, 0, 0, 0, 0, 0, 0, 3))).message).toBe('not in gzip format');
    expect((await failure(Uint8Array.of(0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3))).message).toMatch(/not deflate/);
    expect((await failure(Uint8Array.of(0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 3))).message).toMatch(/reserved flags/);
  });
});
