/**
 * Digests for test fixtures, computed with node:crypto rather than the hash-wasm code under
 * test, so a test's expected digest is an independent oracle (image-spec descriptor.md
 * "Digests": `algorithm:lowercase-hex`).
 */
import { createHash } from 'node:crypto';

type Hashable = Uint8Array | string;

/** Lowercase hex SHA-256 of the bytes (a string is hashed as its UTF-8 bytes). */
export function sha256Hex(data: Hashable): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `sha256:<hex>` of the bytes, the form manifests and registries use. */
export function sha256Digest(data: Hashable): string {
  return `sha256:${sha256Hex(data)}`;
}

/** `sha512:<hex>` of the bytes. */
export function sha512Digest(data: Hashable): string {
  return `sha512:${createHash('sha512').update(data).digest('hex')}`;
}
