/**
 * Content digests (image-spec descriptor.md "Digests"): parsing `algorithm:encoded` and hashing
 * bytes with the algorithms we can verify. Hashing uses hash-wasm because WebCrypto has no
 * incremental API, and blobs must be hashed as they stream.
 */
import { createSHA256, createSHA512, sha256, sha512 } from 'hash-wasm';

/** The digest algorithms ociscope verifies. */
export type DigestAlgorithm = 'sha256' | 'sha512';

const hexLength: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** A digest split into its algorithm and hex. */
export interface ParsedDigest {
  algorithm: DigestAlgorithm;
  hex: string;
}

/** Parses a digest we can verify; undefined for anything else (unknown algorithm, bad hex). */
export function parseDigest(digest: string): ParsedDigest | undefined {
  const match = /^(sha256|sha512):([a-f0-9]+)$/.exec(digest);
  if (!match) return undefined;
  const algorithm = match[1] as DigestAlgorithm;
  const hex = match[2]!;
  return hex.length === hexLength[algorithm] ? { algorithm, hex } : undefined;
}

/** Hashes a whole buffer; for documents small enough to hold in memory. */
export async function digestBytes(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): Promise<string> {
  const hex = algorithm === 'sha256' ? await sha256(bytes) : await sha512(bytes);
  return `${algorithm}:${hex}`;
}

/** An incremental hasher for streams: feed chunks as they arrive, then read the digest. */
export interface StreamingDigester {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/** A hasher fed chunk by chunk, for streams (hash-wasm). */
export async function createDigester(algorithm: DigestAlgorithm = 'sha256'): Promise<StreamingDigester> {
  const hasher = algorithm === 'sha256' ? await createSHA256() : await createSHA512();
  hasher.init();
  return {
    update: (chunk) => void hasher.update(chunk),
    digest: () => `${algorithm}:${hasher.digest('hex')}`,
  };
}

/** `sha256:abcdef012345…` for tables; the full value stays in titles and links. */
export function shortDigest(digest: string, length = 12): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, length) : digest.slice(0, colon + 1 + length);
}
