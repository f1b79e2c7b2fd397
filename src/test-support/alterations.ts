/**
 * Generated damage to a byte stream, as storage, networks and hostile registries deal it:
 * truncation, bit flips, bytes overwritten, and splices (a run of bytes cut out and another put
 * in its place, taken from a donor stream or the stream itself). Alterations are plain values,
 * so fast-check prints and shrinks them, and `alter` applies one to a copy.
 */
import fc from 'fast-check';
import type { Bytes } from './bytes';

export type Alteration =
  | { kind: 'truncate'; length: number }
  | { kind: 'flip'; bits: readonly (readonly [offset: number, bit: number])[] }
  | { kind: 'overwrite'; at: number; bytes: readonly number[] }
  /** Replaces `remove` bytes at `at` with `length` bytes of donor `donor` (-1: the stream itself) from `from`. */
  | { kind: 'splice'; at: number; remove: number; donor: number; from: number; length: number };

/**
 * Alterations of a stream of `length` bytes; `donors` is how many donor streams a splice may
 * take from. Offsets are drawn over the whole stream, and biased towards its start, where the
 * headers are that decide how the rest is read.
 */
export function alterationOf(length: number, donors = 0): fc.Arbitrary<Alteration> {
  const offset = fc.oneof(fc.nat({ max: Math.max(0, length - 1) }), fc.nat({ max: Math.min(length - 1, 1023) }));
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat({ max: Math.max(0, length - 1) }) }),
    fc.record({
      kind: fc.constant('flip' as const),
      bits: fc.array(fc.tuple(offset, fc.nat({ max: 7 })), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant('overwrite' as const),
      at: offset,
      bytes: fc.array(fc.oneof(fc.constantFrom(0x00, 0xff, 0x30, 0x37, 0x20, 0x2f), fc.nat({ max: 255 })), { minLength: 1, maxLength: 16 }),
    }),
    fc.record({
      kind: fc.constant('splice' as const),
      at: offset,
      remove: fc.nat({ max: 4096 }),
      donor: fc.integer({ min: -1, max: donors - 1 }),
      from: fc.nat({ max: Math.max(0, length - 1) }),
      length: fc.nat({ max: 4096 }),
    }),
  );
}

/** A copy of `bytes` with the alteration applied; donor offsets wrap around the donor's length. */
export function alter(bytes: Uint8Array, alteration: Alteration, donors: readonly Uint8Array[] = []): Bytes {
  switch (alteration.kind) {
    case 'truncate':
      return bytes.slice(0, alteration.length);
    case 'flip': {
      const out = bytes.slice();
      for (const [at, bit] of alteration.bits) if (at < out.length) out[at]! ^= 1 << bit;
      return out;
    }
    case 'overwrite': {
      const out = bytes.slice();
      out.set(alteration.bytes.slice(0, Math.max(0, out.length - alteration.at)), Math.min(alteration.at, out.length));
      return out;
    }
    case 'splice': {
      const donor = alteration.donor < 0 ? bytes : (donors[alteration.donor] ?? bytes);
      const from = donor.length === 0 ? 0 : alteration.from % donor.length;
      const insert = donor.subarray(from, from + alteration.length);
      const at = Math.min(alteration.at, bytes.length);
      const out = new Uint8Array(bytes.length - Math.min(alteration.remove, bytes.length - at) + insert.length);
      out.set(bytes.subarray(0, at));
      out.set(insert, at);
      out.set(bytes.subarray(at + alteration.remove), at + insert.length);
      return out;
    }
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
