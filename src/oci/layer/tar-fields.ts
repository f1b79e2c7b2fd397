/**
 * Decoding the fields of a 512-byte tar header (POSIX.1-2017 pax "ustar Interchange Format",
 * GNU tar manual "Basic Tar Format"): numbers in octal or GNU base-256, the checksum, C strings
 * and pax records. Pure functions over a block; the parser decides what a bad field means.
 */

/** Tar's record unit: headers and data are laid out in blocks of this size. */
export const BLOCK = 512;

/**
 * ustar and GNU names are raw bytes with no declared encoding; they are decoded as UTF-8 with
 * U+FFFD for invalid sequences (what layer builders write in practice). pax records are UTF-8
 * by definition and are decoded the same way.
 */
const utf8 = new TextDecoder('utf-8');

/** Whether a header's stored checksum matches its bytes (unsigned, or the historical signed sum). */
export function headerChecksum(buf: Uint8Array, at: number): { ok: boolean; stored?: number; computed: number } {
  let stored = 0;
  let digits = 0;
  let k = at + 148;
  while (k < at + 156 && buf[k] === 0x20) k++;
  for (; k < at + 156; k++) {
    const c = buf[k] as number;
    if (c < 0x30 || c > 0x37) break;
    stored = stored * 8 + (c - 0x30);
    digits++;
  }
  // The checksum field itself counts as eight spaces.
  let unsigned = 8 * 0x20;
  for (let p = at; p < at + 148; p++) unsigned += buf[p] as number;
  for (let p = at + 156; p < at + BLOCK; p++) unsigned += buf[p] as number;
  if (digits === 0) return { ok: false, computed: unsigned };
  if (stored === unsigned) return { ok: true, stored, computed: unsigned };
  // Some historic writers summed bytes as signed chars; accept that sum too.
  let high = 0;
  for (let p = at; p < at + BLOCK; p++) if ((p < at + 148 || p >= at + 156) && (buf[p] as number) & 0x80) high++;
  return { ok: stored === unsigned - 256 * high, stored, computed: unsigned };
}

/** An octal or GNU base-256 number field; undefined when it holds something else. */
export function numericField(buf: Uint8Array, at: number, len: number): number | undefined {
  const first = buf[at] as number;
  if (first & 0x80) {
    // GNU base-256: big-endian two's complement, the top bit of the first byte is the marker.
    const negative = (first & 0x40) !== 0;
    let value = negative ? 0x7f - (first & 0x7f) : first & 0x7f;
    for (let k = at + 1; k < at + len; k++) {
      const b = buf[k] as number;
      value = value * 256 + (negative ? 0xff - b : b);
    }
    return negative ? -(value + 1) : value;
  }
  let k = at;
  const end = at + len;
  while (k < end && buf[k] === 0x20) k++;
  let value = 0;
  for (; k < end; k++) {
    const c = buf[k] as number;
    if (c < 0x30 || c > 0x37) break;
    value = value * 8 + (c - 0x30);
  }
  if (k < end && buf[k] !== 0 && buf[k] !== 0x20) return undefined;
  return value;
}

/**
 * pax records are `"<length> <key>=<value>\n"`, the length counting the whole record. Returns the
 * records, or what is wrong with them as the end of a sentence.
 */
export function paxRecords(bytes: Uint8Array, at: number, size: number): Map<string, string> | string {
  const records = new Map<string, string>();
  const n = at + size;
  let p = at;
  while (p < n && bytes[p] !== 0) {
    let length = 0;
    let q = p;
    for (; q < n; q++) {
      const c = bytes[q] as number;
      if (c < 0x30 || c > 0x39) break;
      length = length * 10 + (c - 0x30);
    }
    const recordEnd = p + length;
    if (q === p || bytes[q] !== 0x20 || recordEnd > n || recordEnd <= q + 1 || bytes[recordEnd - 1] !== 0x0a) {
      return `has a malformed record at byte ${p - at}`;
    }
    const equals = bytes.indexOf(0x3d, q + 1);
    if (equals < 0 || equals >= recordEnd - 1) return `has a record without '=' at byte ${p - at}`;
    records.set(utf8.decode(bytes.subarray(q + 1, equals)), utf8.decode(bytes.subarray(equals + 1, recordEnd - 1)));
    p = recordEnd;
  }
  return records;
}

/** Bytes of padding after `size` bytes of data, to the next block. */
export function padding(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

/** Whether `len` bytes from `at` are all zero. */
export function isZero(buf: Uint8Array, at: number, len: number): boolean {
  for (let k = at; k < at + len; k++) if (buf[k] !== 0) return false;
  return true;
}

/** A NUL-terminated (or field-long) string, as UTF-8. */
export function decodeCString(buf: Uint8Array, at: number, len: number): string {
  let end = at;
  const limit = at + len;
  while (end < limit && buf[end] !== 0) end++;
  return end === at ? '' : utf8.decode(buf.subarray(at, end));
}
