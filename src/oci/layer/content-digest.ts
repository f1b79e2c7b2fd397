/**
 * The SHA-256 of each regular file's content, computed while a layer pass reads the tar: what the
 * compare view's "unchanged" and the sizes view's duplicates rest on, so it must be collision
 * resistant (a fast non-cryptographic hash could call two different files the same).
 *
 * SHA-256 rather than BLAKE3: measured in Chromium 156 on the dev machine (bench/layer-bench.ts
 * prints the layer-pass cost), WebCrypto's SHA-256 — native, with the CPU's SHA instructions —
 * ran 2–3× faster than hash-wasm's BLAKE3 and 2–4× faster than its SHA-256 at every file size from
 * 4 KiB to 16 MiB; and SHA-256 is what estargz and zstd:chunked tables of contents, `sha256sum`
 * and every registry already speak. WebCrypto has no streaming digest, so a file's bytes are
 * gathered (up to `GATHER_LIMIT`) and digested at its end; a larger file, or a context without
 * WebCrypto (a page served over plain http to another host is not a secure context), is hashed
 * as it streams with hash-wasm's SHA-256.
 *
 * The result is `sha256:<hex>`, the OCI digest form, on `TarEntry.contentDigest`.
 */
import { createSHA256, type IHasher } from 'hash-wasm';

/** Files up to this size are gathered for WebCrypto: larger ones would hold too much memory at once. */
export const GATHER_LIMIT = 16 << 20;

/** The digest of no bytes, for empty files: no work at all. */
export const EMPTY_SHA256 = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** One file's digest in progress: its bytes in order, then `finish`. */
export interface FileDigest {
  update(chunk: Uint8Array): void;
  /** The digest, synchronously when it is known at once, else a promise. */
  finish(): string | Promise<string>;
}

type Subtle = Pick<SubtleCrypto, 'digest'>;

export class ContentDigester {
  /** One gather buffer, reused: WebCrypto copies what it is given when digest() is called. */
  private gather = new Uint8Array(64 * 1024);
  private busy = false;

  static async create(options: { subtle?: Subtle | null } = {}): Promise<ContentDigester> {
    const subtle = options.subtle === undefined ? (globalThis.crypto?.subtle ?? null) : options.subtle;
    return new ContentDigester(await createSHA256(), subtle);
  }

  private constructor(
    private readonly streaming: IHasher,
    private readonly subtle: Subtle | null,
  ) {}

  /** Starts the digest of a file of `size` bytes; one file at a time, as a tar holds them. */
  begin(size: number): FileDigest {
    if (this.busy) throw new Error('a file digest is already in progress');
    if (size === 0) return { update: () => undefined, finish: () => EMPTY_SHA256 };
    this.busy = true;
    return this.subtle !== null && size <= GATHER_LIMIT ? this.gathered(size, this.subtle) : this.streamed();
  }

  private gathered(size: number, subtle: Subtle): FileDigest {
    if (this.gather.length < size) this.gather = new Uint8Array(Math.max(size, this.gather.length * 2));
    const buffer = this.gather;
    let filled = 0;
    return {
      update: (chunk) => {
        buffer.set(chunk.subarray(0, size - filled), filled);
        filled = Math.min(size, filled + chunk.length);
      },
      finish: () => {
        this.busy = false;
        return subtle.digest('SHA-256', buffer.subarray(0, filled)).then((bytes) => `sha256:${hex(new Uint8Array(bytes))}`);
      },
    };
  }

  private streamed(): FileDigest {
    const hasher = this.streaming;
    hasher.init();
    return {
      update: (chunk) => hasher.update(chunk),
      finish: () => {
        this.busy = false;
        return `sha256:${hasher.digest('hex')}`;
      },
    };
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}
