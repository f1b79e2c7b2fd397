/**
 * The inflater against zlib (node:zlib writes the deflate streams): every level and strategy,
 * random data and random chunking, and restarts from every checkpoint it records.
 */
import { deflateRawSync, constants } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InflateError, RawInflater, type InflateCheckpoint } from './inflate';

/** Text-like and binary-like runs, deterministic: compresses like real layer content does. */
function corpus(bytes: number, seed = 1): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const words = ['layer', 'digest', 'sha256', 'manifest', '/usr/lib/', 'config', '\n', ' ', 'tar', 'gzip', 'blob', '{"a":1}'];
  let at = 0;
  while (at < bytes) {
    const mode = next() % 3;
    const run = 16 + (next() % 2000);
    for (let i = 0; i < run && at < bytes; i++) {
      if (mode === 0) {
        const word = words[next() % words.length]!;
        for (let k = 0; k < word.length && at < bytes; k++) out[at++] = word.charCodeAt(k);
      } else if (mode === 1) out[at++] = next() & 0xff;
      else out[at++] = next() % 4;
    }
  }
  return out;
}

interface Run {
  output: Uint8Array;
  checkpoints: InflateCheckpoint[];
}

function inflate(
  compressed: Uint8Array,
  options: { cuts?: number[]; spacing?: number; window?: Uint8Array; skipBits?: number; end?: boolean } = {},
): Run {
  const chunks: Uint8Array[] = [];
  const checkpoints: InflateCheckpoint[] = [];
  let last = 0;
  const spacing = options.spacing;
  const inflater = new RawInflater({
    output: (chunk) => chunks.push(chunk),
    window: options.window,
    skipBits: options.skipBits,
    wantCheckpoint: spacing === undefined ? undefined : (out) => out - last >= spacing,
    onCheckpoint: (checkpoint) => {
      last = checkpoint.out;
      checkpoints.push(checkpoint);
    },
  });
  const cuts = [...(options.cuts ?? []), compressed.length].sort((a, b) => a - b);
  let from = 0;
  for (const cut of cuts) {
    inflater.push(compressed.subarray(from, cut));
    from = cut;
  }
  if (options.end !== false) inflater.end();
  return { output: joined(chunks), checkpoints };
}

function joined(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/** Byte-equality with a readable failure (first differing offset) instead of a megabyte diff. */
function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  const first = actual.findIndex((b, i) => b !== expected[i]);
  expect(first).toBe(-1);
}

const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FILTERED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE, constants.Z_FIXED];

describe('RawInflater', () => {
  const data = corpus(3 << 20);

  it.each([0, 1, 3, 6, 9])('decodes zlib level %i exactly', (level) => {
    const compressed = deflateRawSync(data, { level });
    expectSame(inflate(compressed).output, data);
  });

  it.each(strategies)('decodes zlib strategy %i (fixed, Huffman-only and RLE blocks included)', (strategy) => {
    const compressed = deflateRawSync(data.subarray(0, 1 << 20), { level: 6, strategy });
    expectSame(inflate(compressed).output, data.subarray(0, 1 << 20));
  });

  it('decodes random data, random settings and random chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40_000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(...strategies),
        fc.integer({ min: 9, max: 15 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 1, max: 64 }),
        (noise, level, strategy, windowBits, memLevel, cutSeeds, repeat) => {
          // Noise repeated makes matches at every distance; noise alone makes literals and stored blocks.
          const input = joined(Array.from({ length: repeat % 4 === 0 ? 1 : repeat }, () => noise));
          const compressed = deflateRawSync(input, { level, strategy, windowBits, memLevel });
          const cuts = cutSeeds.map((seed) => seed % (compressed.length + 1));
          expectSame(inflate(compressed, { cuts }).output, input);
        },
      ),
      { numRuns: 150 },
    );
  }, 30_000);

  it('decodes a stream fed one byte at a time', () => {
    const input = data.subarray(0, 100_000);
    const compressed = deflateRawSync(input, { level: 9 });
    const cuts = Array.from({ length: compressed.length }, (_, i) => i);
    expectSame(inflate(compressed, { cuts }).output, input);
  });

  it('restarts at every checkpoint and produces the rest of the output exactly', () => {
    const compressed = deflateRawSync(data, { level: 6 });
    const run = inflate(compressed, { spacing: 256 * 1024, cuts: [1000, 70_000, 500_001] });
    expectSame(run.output, data);
    expect(run.checkpoints.length).toBeGreaterThanOrEqual(8);
    for (const checkpoint of run.checkpoints) {
      expect(checkpoint.window.length).toBe(32 * 1024);
      expectSame(checkpoint.window, data.subarray(checkpoint.out - 32 * 1024, checkpoint.out));
      const resumed = inflate(compressed.subarray(Math.floor(checkpoint.bit / 8)), {
        window: checkpoint.window,
        skipBits: checkpoint.bit % 8,
      });
      expectSame(resumed.output, data.subarray(checkpoint.out));
    }
  });

  it('restarts at checkpoints of random streams', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 4, max: 64 }),
        (seed, level, kib) => {
          const input = corpus(200_000, seed);
          const compressed = deflateRawSync(input, { level });
          const run = inflate(compressed, { spacing: kib * 1024 });
          for (const checkpoint of run.checkpoints) {
            const from = Math.floor(checkpoint.bit / 8);
            const resumed = inflate(compressed.subarray(from), { window: checkpoint.window, skipBits: checkpoint.bit % 8 });
            expectSame(resumed.output, input.subarray(checkpoint.out));
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 30_000);

  it('keeps a window of what there is near the start', () => {
    const input = data.subarray(0, 200_000);
    const compressed = deflateRawSync(input, { level: 1 });
    const run = inflate(compressed, { spacing: 1 });
    const early = run.checkpoints.find((checkpoint) => checkpoint.out < 32 * 1024);
    if (early) expect(early.window.length).toBe(early.out);
    expect(run.checkpoints.every((checkpoint) => checkpoint.window.length === Math.min(checkpoint.out, 32 * 1024))).toBe(true);
  });

  it('leaves the bytes after the stream to the caller', () => {
    const compressed = deflateRawSync(data.subarray(0, 5000));
    const trailer = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const inflater = new RawInflater({ output: () => undefined });
    inflater.push(joined([compressed, trailer]));
    inflater.end();
    expect(inflater.finished).toBe(true);
    expect(Array.from(inflater.rest())).toEqual(Array.from(trailer));
  });

  it('says a stream that stops early is truncated', () => {
    const compressed = deflateRawSync(data.subarray(0, 100_000));
    for (const keep of [0, 1, 10, compressed.length >> 1, compressed.length - 1]) {
      const error = catchError(() => inflate(compressed.subarray(0, keep)));
      expect(error).toBeInstanceOf(InflateError);
      expect((error as InflateError).truncated).toBe(true);
    }
  });

  it('rejects malformed streams with zlib-like reasons', () => {
    // BFINAL=1, BTYPE=11 (reserved).
    expect(catchError(() => inflate(Uint8Array.of(0x07, 0, 0, 0)))?.message).toBe('invalid block type');
    // Stored block whose NLEN is not the complement of LEN.
    expect(catchError(() => inflate(Uint8Array.of(0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5)))?.message).toBe(
      'invalid stored block lengths',
    );
    // Fixed block starting with a match: length 3 (code 257 = 0000001), distance 1, with no history.
    expect(catchError(() => inflate(Uint8Array.of(0x03, 0x02, 0x00, 0x00)))?.message).toBe('invalid distance too far back');
  });
});

function catchError(action: () => unknown): Error | undefined {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}
