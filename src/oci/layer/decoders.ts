/**
 * The first stage's decompressors: bytes in as they arrive, decompressed bytes out to the second
 * stage. gzip has its own module (gzip-members.ts: concatenated members); zstd is `fzstd`, loaded
 * with import() the first time a zstd layer shows up, so most visits never download it.
 */
import type { Decompress } from 'fzstd';
import type { Decoder } from './compression';
import { type Compression, LayerScanError, errorMessage } from './events';
import { GzipDecoder } from './gzip-members';

class PlainDecoder implements Decoder {
  readonly trailingBytes = 0;
  constructor(private readonly output: (chunk: Uint8Array) => void) {}
  push(chunk: Uint8Array): void {
    this.output(chunk.slice());
  }
  end(): void {}
}

class ZstdDecoder implements Decoder {
  readonly trailingBytes = 0;
  private constructor(private readonly stream: Decompress) {}

  static async create(output: (chunk: Uint8Array) => void): Promise<ZstdDecoder> {
    const { Decompress } = await import('fzstd');
    // fzstd copies each block into its window after the callback returns, so the block is
    // copied before it can be transferred to another thread.
    return new ZstdDecoder(new Decompress((block) => output(block.slice())));
  }

  push(chunk: Uint8Array): void {
    // fzstd holds on to input that does not complete a block.
    this.call(() => this.stream.push(chunk.slice()));
  }

  end(): void {
    this.call(() => this.stream.push(new Uint8Array(0), true));
  }

  private call(step: () => void): void {
    try {
      step();
    } catch (error) {
      throw new LayerScanError('decompress', `zstd: ${errorMessage(error)}`);
    }
  }
}

/** A decoder for `compression` that hands each decompressed chunk (owned by the receiver) to `output`. */
export async function createDecoder(compression: Compression, output: (chunk: Uint8Array) => void): Promise<Decoder> {
  switch (compression) {
    case 'gzip':
      return new GzipDecoder(output);
    case 'zstd':
      return ZstdDecoder.create(output);
    case 'none':
      return new PlainDecoder(output);
  }
}
