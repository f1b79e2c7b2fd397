/**
 * Byte helpers for tests: joining and chunking buffers, and deterministic filler content. Fixed
 * generators rather than random ones, so a failing test fails the same way on every run.
 */

/** Bytes over a plain ArrayBuffer, what fetch bodies and DecompressionStream hand out. */
export type Bytes = Uint8Array<ArrayBuffer>;

export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  const joined = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** Splits bytes into copies of `size` bytes (the last one shorter), like a network would deliver them. */
export function chunked(bytes: Uint8Array, size: number): Bytes[] {
  const chunks: Bytes[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size));
  return chunks;
}

/**
 * Bytes that compress a little but not trivially, like real files: every third byte is one of
 * sixteen letters, the others are noise from a linear congruential generator seeded by `seed`.
 */
export function semiRandom(length: number, seed: number): Bytes {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = i % 3 === 0 ? 0x41 + (x >>> 28) : x >>> 24;
  }
  return bytes;
}

/** Incompressible bytes from an xorshift generator: the same `seed` gives the same bytes. */
export function noiseBytes(length: number, seed: number): Bytes {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}
