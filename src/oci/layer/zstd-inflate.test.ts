/**
 * zstd frames against the zstd CLI's own output: one frame, several (concatenated files, as
 * multi-frame writers produce), skippable frames between them, restarts at every frame.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ZstdFormatError, ZstdInflater, type ZstdCheckpoint } from './zstd-inflate';
import { concatBytes } from '../../test-support/bytes';

function sample(bytes: number, seed: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let state = seed;
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 28 < 13 ? 65 + ((state >>> 20) % 5) : state >>> 24;
  }
  return out;
}

function zstd(data: Uint8Array, ...flags: string[]): Uint8Array {
  return new Uint8Array(execFileSync('zstd', ['-q', '-c', ...flags], { input: data, maxBuffer: 1 << 28 }));
}

/** A skippable frame (RFC 8878 §3.1.2), as zstd:chunked uses for its table of contents. */
function skippable(payload: number): Uint8Array {
  const frame = new Uint8Array(8 + payload).fill(0xee);
  new DataView(frame.buffer).setUint32(0, 0x184d2a5e, true);
  new DataView(frame.buffer).setUint32(4, payload, true);
  return frame;
}

async function unzstd(blob: Uint8Array, options: { resume?: ZstdCheckpoint; piece?: number } = {}) {
  const chunks: Uint8Array[] = [];
  const checkpoints: ZstdCheckpoint[] = [];
  const inflater = await ZstdInflater.create({
    output: (chunk) => chunks.push(chunk),
    resume: options.resume,
    wantCheckpoint: () => true,
    onCheckpoint: (checkpoint) => checkpoints.push(checkpoint),
  });
  const piece = options.piece ?? 65536;
  for (let at = options.resume ? options.resume.bit / 8 : 0; at < blob.length; at += piece) inflater.push(blob.subarray(at, at + piece));
  inflater.end();
  return { output: concatBytes(...chunks), checkpoints, frames: inflater.frames };
}

function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.findIndex((b, i) => b !== expected[i])).toBe(-1);
}

describe('ZstdInflater', () => {
  it.each([['-1'], ['-12'], ['--no-check'], ['--no-content-size']])('decodes one zstd %s frame exactly', async (flag) => {
    const data = sample(1 << 20, 3);
    const run = await unzstd(zstd(data, flag), { piece: 9001 });
    expectSame(run.output, data);
    expect(run.frames).toBe(1);
    expect(run.checkpoints).toEqual([]);
  });

  it('marks every frame start of a multi-frame layer, skippable frames skipped, and restarts there', async () => {
    const parts = [sample(200_000, 1), sample(10, 2), sample(0, 3), sample(300_000, 4)];
    const blob = concatBytes(
      zstd(parts[0]!),
      skippable(100),
      zstd(parts[1]!, '-9'),
      zstd(parts[2]!),
      skippable(0),
      zstd(parts[3]!, '--no-check'),
    );
    const whole = concatBytes(...parts);
    const run = await unzstd(blob, { piece: 333 });
    expectSame(run.output, whole);
    expect(run.frames).toBe(4);
    expect(run.checkpoints.map((checkpoint) => checkpoint.out)).toEqual([200_000, 200_010, 200_010]);
    for (const checkpoint of run.checkpoints) {
      expect(new DataView(blob.buffer, checkpoint.bit / 8, 4).getUint32(0, true)).toBe(0xfd2fb528);
      expectSame((await unzstd(blob, { resume: checkpoint })).output, whole.subarray(checkpoint.out));
    }
  });

  it('says a stream that stops inside a frame is truncated, and refuses what is not zstd', async () => {
    const blob = zstd(sample(100_000, 5));
    for (const keep of [3, 12, blob.length - 1]) {
      const error = await unzstd(blob.subarray(0, keep)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ZstdFormatError);
      expect((error as ZstdFormatError).truncated).toBe(true);
    }
    const garbage = await unzstd(concatBytes(blob, new Uint8Array(16).fill(7))).catch((e: unknown) => e);
    expect((garbage as Error).message).toMatch(/no zstd frame at byte/);
  });
});
