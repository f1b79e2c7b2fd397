/**
 * Where a read of a layer can start without decoding it from its first byte, recorded during a
 * full pass and kept with the layer's index (src/lib/layer-store):
 * - 'block': a deflate block boundary inside a gzip member — a bit offset and the 32 KiB of output
 *   before it, zlib's zran technique (gzip-inflate.ts);
 * - 'member': the start of a gzip member (estargz and other concatenations have many);
 * - 'frame': the start of a zstd frame (zstd:chunked and multi-frame writers; zstd-inflate.ts);
 * - plain tars need none: a file's bytes are its own range of the blob.
 *
 * `chooseCheckpoint` plans a ranged read: the last checkpoint at or before the first byte wanted.
 */

export type CheckpointKind = 'member' | 'block' | 'frame';

export interface StreamCheckpoint {
  kind: CheckpointKind;
  /** Bit offset in the blob where decoding resumes (a multiple of 8 except for 'block'). */
  bit: number;
  /** Offset in the decompressed stream (the tar) of the first byte decoded from there. */
  out: number;
  /** The output's last 32 KiB (or fewer near the start) before `out`; empty unless 'block'. */
  window: Uint8Array<ArrayBuffer>;
}

/** Record a checkpoint once at least this much output passed since the last: zran's spacing. */
export const CHECKPOINT_SPACING = 4 << 20;

/** A spacing rule for the decoders' `wantCheckpoint`. */
export function everyBytes(spacing: number): (out: number) => boolean {
  let last = 0;
  return (out) => {
    if (out - last < spacing) return false;
    last = out;
    return true;
  };
}

/**
 * The checkpoint to start a read of tar offset `offset` from: the last one at or before it
 * (checkpoints sorted by `out`), or undefined to start at the blob's beginning.
 */
export function chooseCheckpoint(checkpoints: readonly StreamCheckpoint[], offset: number): StreamCheckpoint | undefined {
  let lo = 0;
  let hi = checkpoints.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (checkpoints[mid]!.out <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? checkpoints[lo - 1] : undefined;
}

/**
 * The blob bytes a read of tar bytes [offset, end) needs: from the chosen checkpoint's byte up to
 * the first checkpoint at or after `end` — every output byte before a checkpoint comes from bits
 * before it — or to the end of the blob. The decoder is then drained, not ended: the stream
 * goes on past the range. `blobSize` undefined means unknown.
 */
export function blobRangeFor(
  checkpoints: readonly StreamCheckpoint[],
  offset: number,
  end: number,
  blobSize: number | undefined,
): { start: number; end: number | undefined; from: StreamCheckpoint | undefined } {
  const from = chooseCheckpoint(checkpoints, offset);
  const after = checkpoints.find((checkpoint) => checkpoint.out >= end);
  return {
    start: from ? Math.floor(from.bit / 8) : 0,
    end: after ? Math.ceil(after.bit / 8) : blobSize,
    from,
  };
}
