/**
 * Decoding tables for deflate's canonical Huffman codes (RFC 1951 §3.2.2, §3.2.6, §3.2.7), built
 * for the inflater in inflate.ts.
 *
 * A table is read with the next `rootBits` bits of input (least significant bit first, as deflate
 * packs codes reversed); codes longer than that continue in a second-level table the root entry
 * links to, as zlib's inflate does. One level for everything would need 2^15 entries per dynamic
 * block (rebuilt every few dozen KiB of output); two levels keep a rebuild to ~1,000 entries.
 *
 * Each entry is one int32 so the inflater's hot loop does one typed-array read per step:
 *   bits 0–3   the number of input bits the entry consumes (its code length, or the root/sub part)
 *   bits 4–7   extra bits that follow the code (lengths, distances)
 *   bits 8–11  the kind: LITERAL, LENGTH, END, LINK, INVALID (distance codes use LENGTH for "value")
 *   bits 16–31 the value: literal byte, base length, base distance, or a link's table offset
 * A LINK entry's extra field holds the second level's index width.
 */

export const LITERAL = 0;
export const LENGTH = 1;
export const END = 2;
export const LINK = 3;
export const INVALID = 4;

export const LITLEN_ROOT_BITS = 10;
export const DIST_ROOT_BITS = 8;
export const CODELEN_ROOT_BITS = 7;

const MAX_BITS = 15;

/** Base values and extra bits of length symbols 257–285 (RFC 1951 §3.2.5). */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** Base values and extra bits of distance symbols 0–29. */
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
  24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

export type Alphabet = 'litlen' | 'dist' | 'codelen';

export class HuffmanError extends Error {
  override readonly name = 'HuffmanError';
}

function entry(value: number, kind: number, extra: number, bits: number): number {
  return (value << 16) | (kind << 8) | (extra << 4) | bits;
}

function symbolEntry(alphabet: Alphabet, symbol: number, bits: number): number {
  if (alphabet === 'codelen') return entry(symbol, LITERAL, 0, bits);
  if (alphabet === 'dist') {
    return symbol < 30 ? entry(DIST_BASE[symbol]!, LENGTH, DIST_EXTRA[symbol]!, bits) : entry(0, INVALID, 0, bits);
  }
  if (symbol < 256) return entry(symbol, LITERAL, 0, bits);
  if (symbol === 256) return entry(0, END, 0, bits);
  const i = symbol - 257;
  return i < 29 ? entry(LENGTH_BASE[i]!, LENGTH, LENGTH_EXTRA[i]!, bits) : entry(0, INVALID, 0, bits);
}

function reverse(code: number, length: number): number {
  let reversed = 0;
  for (let i = 0; i < length; i++) {
    reversed = (reversed << 1) | (code & 1);
    code >>>= 1;
  }
  return reversed;
}

/**
 * The decoding table for code lengths `lengths[0..count)` (0 = symbol unused). Throws HuffmanError
 * for an over-subscribed set, or an incomplete one other than the single one-bit code RFC 1951
 * allows for distances (zlib accepts it for every alphabet; so do we). Unused slots are INVALID.
 */
export interface HuffmanTable {
  readonly entries: Int32Array;
  /** Bits of input that index the root level (fewer than asked when every code is shorter). */
  readonly rootBits: number;
}

export function buildTable(lengths: ArrayLike<number>, count: number, alphabet: Alphabet, rootBits: number): HuffmanTable {
  const perLength = new Uint16Array(MAX_BITS + 1);
  let maxLength = 0;
  for (let s = 0; s < count; s++) {
    const length = lengths[s]!;
    perLength[length]!++;
    if (length > maxLength) maxLength = length;
  }
  perLength[0] = 0;
  let left = 1;
  for (let length = 1; length <= MAX_BITS; length++) {
    left = (left << 1) - perLength[length]!;
    if (left < 0) throw new HuffmanError(`over-subscribed ${alphabet} code`);
  }
  if (maxLength === 0) throw new HuffmanError(`empty ${alphabet} code`);
  if (left > 0 && maxLength !== 1) throw new HuffmanError(`incomplete ${alphabet} code`);

  // Canonical codes: the first code of each length follows the last code of the length before.
  const nextCode = new Uint16Array(MAX_BITS + 1);
  for (let length = 1, code = 0; length <= MAX_BITS; length++) {
    code = (code + perLength[length - 1]!) << 1;
    nextCode[length] = code;
  }

  const codes = new Uint16Array(count);
  for (let s = 0; s < count; s++) {
    const length = lengths[s]!;
    if (length !== 0) codes[s] = reverse(nextCode[length]!++, length);
  }

  const root = Math.min(rootBits, maxLength);
  const rootSize = 1 << root;
  // Second-level widths: the longest code under each root prefix, less the root's bits.
  const subBits = new Uint8Array(rootSize);
  for (let s = 0; s < count; s++) {
    const length = lengths[s]!;
    if (length > root) {
      const prefix = codes[s]! & (rootSize - 1);
      subBits[prefix] = Math.max(subBits[prefix]!, length - root);
    }
  }
  let size = rootSize;
  const subOffset = new Int32Array(rootSize);
  for (let prefix = 0; prefix < rootSize; prefix++) {
    if (subBits[prefix]! > 0) {
      subOffset[prefix] = size;
      size += 1 << subBits[prefix]!;
    }
  }

  const table = new Int32Array(size).fill(entry(0, INVALID, 0, 1));
  for (let prefix = 0; prefix < rootSize; prefix++) {
    if (subBits[prefix]! > 0) table[prefix] = entry(subOffset[prefix]!, LINK, subBits[prefix]!, root);
  }
  for (let s = 0; s < count; s++) {
    const length = lengths[s]!;
    if (length === 0) continue;
    const code = codes[s]!;
    if (length <= root) {
      const value = symbolEntry(alphabet, s, length);
      for (let i = code; i < rootSize; i += 1 << length) table[i] = value;
    } else {
      const prefix = code & (rootSize - 1);
      const width = subBits[prefix]!;
      const value = symbolEntry(alphabet, s, length - root);
      const base = subOffset[prefix]!;
      for (let i = code >>> root; i < 1 << width; i += 1 << (length - root)) table[base + i] = value;
    }
  }
  return { entries: table, rootBits: root };
}

function fixedLengths(): { litlen: Uint8Array; dist: Uint8Array } {
  const litlen = new Uint8Array(288);
  litlen.fill(8, 0, 144);
  litlen.fill(9, 144, 256);
  litlen.fill(7, 256, 280);
  litlen.fill(8, 280, 288);
  // 32 distance codes: 30 and 31 exist in the fixed code but never occur (INVALID when seen).
  return { litlen, dist: new Uint8Array(32).fill(5) };
}

let fixed: { litlen: HuffmanTable; dist: HuffmanTable } | undefined;

/** The tables of fixed-Huffman blocks (RFC 1951 §3.2.6), built once. */
export function fixedTables(): { litlen: HuffmanTable; dist: HuffmanTable } {
  if (!fixed) {
    const lengths = fixedLengths();
    fixed = {
      litlen: buildTable(lengths.litlen, 288, 'litlen', LITLEN_ROOT_BITS),
      dist: buildTable(lengths.dist, 32, 'dist', DIST_ROOT_BITS),
    };
  }
  return fixed;
}
