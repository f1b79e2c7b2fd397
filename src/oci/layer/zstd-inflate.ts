/**
 * zstd (RFC 8878) with frame boundaries as checkpoints. Frames are independent — each starts with
 * no history — so the start of every frame is a place a read can begin: zstd:chunked layers and
 * parallel writers have many frames, a plain `zstd` layer has one (and then a read starts at the
 * beginning, the best zstd allows).
 *
 * The frame structure is walked here, from headers and block headers alone (RFC 8878 §3.1.1:
 * magic, frame header, blocks of `Block_Size`, optional checksum; skippable frames, §3.1.2, are
 * skipped), and each frame's bytes go to a decoder of its own, fzstd's, ended at the frame's end:
 * so the output offset at every frame start is exact even where fzstd would hold bytes back.
 * fzstd is loaded with import() on first use.
 */
import type { Decompress } from 'fzstd';
import type { StreamCheckpoint } from './checkpoints';

export type ZstdCheckpoint = StreamCheckpoint & { kind: 'frame' };

export interface ZstdInflaterOptions {
  output: (chunk: Uint8Array<ArrayBuffer>) => void;
  wantCheckpoint?: (out: number) => boolean;
  onCheckpoint?: (checkpoint: ZstdCheckpoint) => void;
  /** Start at this frame instead of the blob's first byte; input then begins at byte bit / 8. */
  resume?: StreamCheckpoint;
}

export class ZstdFormatError extends Error {
  override readonly name = 'ZstdFormatError';
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

const MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;
/** Magic (4), descriptor (1), window (1), dictionary id (≤ 4), content size (≤ 8). */
const MAX_FRAME_HEADER = 18;
const BLOCK_HEADER = 3;
const CHECKSUM = 4;

type Stage = 'magic' | 'header' | 'block-header' | 'block' | 'checksum' | 'skip';

export class ZstdInflater {
  /** Frames read to their end (skippable ones not counted). */
  frames = 0;
  private stage: Stage = 'magic';
  private pending: Uint8Array = new Uint8Array(0);
  /** Blob offset of the first byte not consumed. */
  private position: number;
  private out: number;
  private left = 0;
  private lastBlock = false;
  private hasChecksum = false;
  private frame: Decompress | undefined;

  static async create(options: ZstdInflaterOptions): Promise<ZstdInflater> {
    const { Decompress } = await import('fzstd');
    return new ZstdInflater(options, Decompress);
  }

  private constructor(
    private readonly options: ZstdInflaterOptions,
    private readonly Decompressor: typeof Decompress,
  ) {
    this.position = options.resume ? Math.floor(options.resume.bit / 8) : 0;
    this.out = options.resume?.out ?? 0;
  }

  get outputBytes(): number {
    return this.out;
  }

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    while (bytes.length > 0) bytes = this.step(bytes);
  }

  /** No more input: throws ZstdFormatError (truncated) unless it ended between frames. */
  end(): void {
    if (this.stage !== 'magic' || this.pending.length > 0) throw new ZstdFormatError('zstd stream ends inside a frame', true);
  }

  /** A ranged read's input is over: hands on what the frame decoder can give of the bytes it has. */
  drain(): void {
    // fzstd decodes whole blocks as they complete, so nothing more is to be had.
  }

  private step(bytes: Uint8Array): Uint8Array {
    switch (this.stage) {
      case 'magic':
        return this.readMagic(this.join(bytes));
      case 'header':
        return this.readFrameHeader(this.join(bytes));
      case 'block-header':
        return this.readBlockHeader(this.join(bytes));
      case 'block':
      case 'skip': {
        const take = Math.min(this.left, bytes.length);
        if (this.stage === 'block') this.feed(bytes.subarray(0, take));
        this.consume(take);
        this.left -= take;
        if (this.left === 0) this.afterBlock();
        return bytes.subarray(take);
      }
      case 'checksum': {
        const joined = this.join(bytes);
        if (joined.length < CHECKSUM) return this.wait(joined);
        this.feed(joined.subarray(0, CHECKSUM));
        this.consume(CHECKSUM);
        this.endFrame();
        return joined.subarray(CHECKSUM);
      }
    }
  }

  private readMagic(joined: Uint8Array): Uint8Array {
    if (joined.length < 8) return this.wait(joined);
    const magic = u32(joined, 0);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) {
      this.stage = 'skip';
      this.left = u32(joined, 4);
      this.consume(8);
      if (this.left === 0) this.stage = 'magic';
      return joined.subarray(8);
    }
    if (magic !== MAGIC) throw new ZstdFormatError(`no zstd frame at byte ${this.position} (magic ${magic.toString(16).padStart(8, '0')})`);
    this.stage = 'header';
    return joined;
  }

  private readFrameHeader(joined: Uint8Array): Uint8Array {
    const length = frameHeaderLength(joined);
    if (length === undefined) return this.wait(joined);
    if (this.out > 0 && this.options.wantCheckpoint?.(this.out)) {
      this.options.onCheckpoint?.({ kind: 'frame', bit: this.position * 8, out: this.out, window: new Uint8Array(0) });
    }
    this.hasChecksum = (joined[4]! & 0x04) !== 0;
    this.frame = new this.Decompressor((block) => {
      // fzstd reuses the block's memory as its window once the callback returns: copy it out.
      const chunk = block.slice();
      this.out += chunk.length;
      if (chunk.length > 0) this.options.output(chunk);
    });
    this.feed(joined.subarray(0, length));
    this.consume(length);
    this.stage = 'block-header';
    return joined.subarray(length);
  }

  private readBlockHeader(joined: Uint8Array): Uint8Array {
    if (joined.length < BLOCK_HEADER) return this.wait(joined);
    const header = joined[0]! | (joined[1]! << 8) | (joined[2]! << 16);
    this.lastBlock = (header & 1) === 1;
    const type = (header >>> 1) & 3;
    const size = header >>> 3;
    if (type === 3) throw new ZstdFormatError(`reserved zstd block type at byte ${this.position}`);
    this.feed(joined.subarray(0, BLOCK_HEADER));
    this.consume(BLOCK_HEADER);
    this.left = type === 1 ? 1 : size;
    this.stage = 'block';
    if (this.left === 0) this.afterBlock();
    return joined.subarray(BLOCK_HEADER);
  }

  private afterBlock(): void {
    if (this.stage === 'skip') {
      this.stage = 'magic';
      return;
    }
    if (!this.lastBlock) this.stage = 'block-header';
    else if (this.hasChecksum) this.stage = 'checksum';
    else this.endFrame();
  }

  private endFrame(): void {
    this.call(() => this.frame!.push(new Uint8Array(0), true));
    this.frame = undefined;
    this.frames++;
    this.stage = 'magic';
  }

  /** fzstd keeps input that does not complete a block past push(): it gets a copy. */
  private feed(bytes: Uint8Array): void {
    if (bytes.length > 0) this.call(() => this.frame!.push(bytes.slice()));
  }

  private call(step: () => void): void {
    try {
      step();
    } catch (error) {
      throw new ZstdFormatError(`zstd: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private consume(bytes: number): void {
    this.position += bytes;
  }

  private join(bytes: Uint8Array): Uint8Array {
    const joined = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    this.pending = new Uint8Array(0);
    return joined;
  }

  private wait(joined: Uint8Array): Uint8Array {
    this.pending = joined.slice();
    return new Uint8Array(0);
  }
}

/** RFC 8878 §3.1.1.1: the frame header's length, undefined until all of it is at hand. */
function frameHeaderLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 5) return undefined;
  const descriptor = bytes[4]!;
  if (descriptor & 0x08) throw new ZstdFormatError('zstd frame header has its reserved bit set');
  const singleSegment = (descriptor >> 5) & 1;
  const contentSizeFlag = descriptor >> 6;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : 1 << contentSizeFlag;
  const length = 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes;
  return length <= MAX_FRAME_HEADER && bytes.length >= length ? length : undefined;
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
