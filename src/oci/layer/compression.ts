/**
 * Telling compressions apart. The first bytes decide — gzip `1f 8b` (RFC 1952), zstd
 * `28 b5 2f fd` (RFC 8878), anything else is a plain tar — because media types lie: Docker's
 * `rootfs.diff.tar.gzip` is used for plain tars and pushers mislabel zstd. What the media type
 * claims is kept apart, so the page can say when the two disagree.
 */
import { essence, kindOf } from '../spec/media-types';
import type { Compression } from './events';

/** Bytes over a plain ArrayBuffer: what fetch and DecompressionStream hand out and accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** gzip's ID1 ID2 (RFC 1952 §2.3.1). */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
/** Enough bytes to tell the formats apart. */
export const MAGIC_LENGTH = 4;

/** Whether `bytes` begins with `magic`. */
export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** The compression the first bytes of a blob show. */
export function detectCompression(head: Uint8Array): Compression {
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  if (startsWith(head, ZSTD_MAGIC)) return 'zstd';
  return 'none';
}

/** What a layer media type claims (`…tar+gzip`, Docker's `…diff.tar.gzip`, `…tar+zstd`, `…tar`). */
export function compressionOfMediaType(mediaType: string | undefined): Compression | undefined {
  if (!mediaType || kindOf(mediaType) !== 'layer') return undefined;
  const mt = essence(mediaType);
  if (mt.endsWith('gzip')) return 'gzip';
  if (mt.endsWith('zstd')) return 'zstd';
  return 'none';
}

/** `a` then `b` in a new buffer. */
export function concat(a: Uint8Array, b: Uint8Array): Bytes {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * A decompressor of the first stage. Input chunks are lent (see BodyReader): a decoder that keeps
 * bytes past push() copies them.
 */
export interface Decoder {
  push(chunk: Bytes): Promise<void> | void;
  end(): Promise<void> | void;
  /** Bytes after the compressed stream that were ignored. */
  readonly trailingBytes: number;
}
