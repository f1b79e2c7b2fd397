/**
 * gzip (RFC 1952) over our own inflater, with checkpoints: the decoder a layer pass uses when it
 * records where a later read may start, and the one a ranged read resumes with.
 *
 * - Members: a gzip file may be several members back to back (`cat a.gz b.gz`, estargz writes
 *   one per file); each is header, deflate data, CRC-32 and ISIZE. Both are checked, as `gzip -d`
 *   does; a member resumed from a checkpoint inside it cannot have its CRC checked, and is not.
 * - Bytes after the last member that do not start another member are trailing garbage, as
 *   `gzip -d` calls it: counted in `trailingBytes`, not decompressed.
 * - Checkpoints (`wantCheckpoint` decides the spacing, in output bytes): at a member's start (no
 *   window needed, the header is read again) or at a deflate block boundary inside one (bit
 *   offset and 32 KiB window). Offsets are absolute: bytes of the blob, bytes of the tar.
 */
import { createCRC32, type IHasher } from 'hash-wasm';
import type { StreamCheckpoint } from './checkpoints';
import { InflateError, RawInflater, type InflateCheckpoint } from './inflate';

/** 'member': a gzip header starts at byte bit/8; 'block': a deflate block inside a member. */
export type GzipCheckpoint = StreamCheckpoint & { kind: 'member' | 'block' };

export interface GzipInflaterOptions {
  output: (chunk: Uint8Array<ArrayBuffer>) => void;
  /** Asked at each member start and block boundary with the output offset there. */
  wantCheckpoint?: (out: number) => boolean;
  onCheckpoint?: (checkpoint: GzipCheckpoint) => void;
  /** Start here instead of at the blob's first byte; input then begins at byte floor(bit / 8). */
  resume?: GzipCheckpoint;
}

export class GzipFormatError extends Error {
  override readonly name = 'GzipFormatError';
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

const ID1 = 0x1f;
const ID2 = 0x8b;
const DEFLATE = 8;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;
/** A header beyond this (names, comments, extra fields of 1 MiB) is not a layer anyone made. */
const MAX_HEADER = 1 << 20;
const TRAILER = 8;

type Stage = 'header' | 'body' | 'trailer' | 'between' | 'garbage';

export class GzipInflater {
  /** Bytes after the last member that were not a member. */
  trailingBytes = 0;
  /** Members fully read (resumed ones included). */
  members = 0;
  private stage: Stage = 'header';
  /** Bytes of a header, trailer or member start gathered across pushes. */
  private pending: Uint8Array = new Uint8Array(0);
  /** Absolute blob offset of the next byte pushed. */
  private position: number;
  /** Absolute output offset, and where the current member's output began. */
  private out: number;
  private memberOut = 0;
  private readonly inflater: RawInflater;
  /** Blob byte where the current member's deflate data (or the resumed part of it) starts. */
  private deflateStart = 0;
  /** False for a member resumed from inside: its CRC and ISIZE cover bytes never seen. */
  private whole = true;

  static async create(options: GzipInflaterOptions): Promise<GzipInflater> {
    return new GzipInflater(options, await createCRC32());
  }

  private constructor(
    private readonly options: GzipInflaterOptions,
    private readonly crc: IHasher,
  ) {
    this.inflater = new RawInflater({
      output: (chunk) => {
        if (this.whole) this.crc.update(chunk);
        this.out += chunk.length;
        this.options.output(chunk);
      },
      wantCheckpoint: (memberOut) => this.options.wantCheckpoint?.(this.memberOut + memberOut) ?? false,
      onCheckpoint: (checkpoint) => this.onBlockCheckpoint(checkpoint),
    });
    const resume = options.resume;
    this.position = resume ? Math.floor(resume.bit / 8) : 0;
    this.out = resume?.out ?? 0;
    if (resume?.kind === 'block') {
      this.whole = false;
      this.memberOut = resume.out;
      this.startBody(resume.window, resume.bit % 8);
    }
  }

  /** Output offset reached so far. */
  get outputBytes(): number {
    return this.out;
  }

  /** Decodes what it can; throws GzipFormatError for a malformed or corrupt stream. */
  push(chunk: Uint8Array): void {
    let bytes = chunk;
    while (bytes.length > 0) bytes = this.step(bytes);
  }

  /**
   * A ranged read's input is over though the stream goes on: decodes what the bytes at hand
   * hold (what the zero padding past them yields lies beyond what the range was planned for).
   */
  drain(): void {
    if (this.stage !== 'body') return;
    try {
      this.inflater.end();
    } catch (error) {
      if (!(error instanceof InflateError && error.truncated)) throw translate(error);
    }
  }

  /** No more input: throws GzipFormatError (truncated) if a member is unfinished. */
  end(): void {
    for (;;) {
      switch (this.stage) {
        case 'body': {
          try {
            this.inflater.end();
          } catch (error) {
            throw translate(error);
          }
          let rest = this.afterDeflate();
          while (rest.length > 0) rest = this.step(rest);
          break;
        }
        case 'header':
          throw new GzipFormatError('gzip stream ends inside a member header', true);
        case 'trailer':
          throw new GzipFormatError('gzip stream ends inside a member trailer', true);
        case 'between':
          this.trailingBytes += this.pending.length;
          this.pending = empty();
          return;
        case 'garbage':
          return;
      }
    }
  }

  /**
   * Consumes a prefix of `bytes` (after whatever is pending) and returns the rest. `position` is
   * the blob offset of the first byte not consumed: pending bytes are not consumed yet.
   */
  private step(bytes: Uint8Array): Uint8Array {
    switch (this.stage) {
      case 'between': {
        // One byte is too little to tell a next member from garbage.
        const joined = this.join(bytes);
        if (joined.length < 2) return this.wait(joined);
        if (joined[0] === ID1 && joined[1] === ID2) {
          this.stage = 'header';
          return joined;
        }
        this.stage = 'garbage';
        return this.step(joined);
      }
      case 'garbage':
        this.trailingBytes += bytes.length;
        this.position += bytes.length;
        return empty();
      case 'header':
        return this.readHeader(this.join(bytes));
      case 'body':
        return this.readBody(bytes);
      case 'trailer':
        return this.readTrailer(this.join(bytes));
    }
  }

  private join(bytes: Uint8Array): Uint8Array {
    const joined = this.pending.length === 0 ? bytes : concat(this.pending, bytes);
    this.pending = empty();
    return joined;
  }

  private wait(joined: Uint8Array): Uint8Array {
    this.pending = joined.slice();
    return empty();
  }

  private readHeader(joined: Uint8Array): Uint8Array {
    const length = headerLength(joined);
    if (length === undefined) {
      if (joined.length > MAX_HEADER) throw new GzipFormatError('gzip member header is too long');
      return this.wait(joined);
    }
    if (this.out > 0 && this.options.wantCheckpoint?.(this.out)) {
      this.options.onCheckpoint?.({ kind: 'member', bit: this.position * 8, out: this.out, window: new Uint8Array(0) });
    }
    this.position += length;
    this.whole = true;
    this.memberOut = this.out;
    this.crc.init();
    this.startBody(undefined, 0);
    return joined.subarray(length);
  }

  private startBody(window: Uint8Array | undefined, skipBits: number): void {
    this.deflateStart = this.position;
    this.stage = 'body';
    this.inflater.reset(window, skipBits);
  }

  private onBlockCheckpoint(checkpoint: InflateCheckpoint): void {
    this.options.onCheckpoint?.({
      kind: 'block',
      bit: this.deflateStart * 8 + checkpoint.bit,
      out: this.memberOut + checkpoint.out,
      window: checkpoint.window,
    });
  }

  private readBody(bytes: Uint8Array): Uint8Array {
    try {
      this.inflater.push(bytes);
    } catch (error) {
      throw translate(error);
    }
    this.position += bytes.length;
    return this.inflater.finished ? this.afterDeflate() : empty();
  }

  /** The member's deflate data ended: what followed it is handed back, its position rewound. */
  private afterDeflate(): Uint8Array {
    const rest = this.inflater.rest();
    this.position -= rest.length;
    this.stage = 'trailer';
    return rest;
  }

  private readTrailer(joined: Uint8Array): Uint8Array {
    if (joined.length < TRAILER) return this.wait(joined);
    const view = new DataView(joined.buffer, joined.byteOffset, TRAILER);
    const crc = view.getUint32(0, true);
    const isize = view.getUint32(4, true);
    if (this.whole) {
      const computed = parseInt(this.crc.digest('hex'), 16);
      if (computed !== crc) throw new GzipFormatError(`gzip member CRC-32 is ${hex8(crc)}, its data gives ${hex8(computed)}`);
      const length = (this.out - this.memberOut) >>> 0;
      if (length !== isize) throw new GzipFormatError(`gzip member ISIZE is ${isize}, its data is ${length} bytes (mod 2^32)`);
    }
    this.members++;
    this.position += TRAILER;
    this.stage = 'between';
    return joined.subarray(TRAILER);
  }
}

function translate(error: unknown): unknown {
  if (error instanceof InflateError) return new GzipFormatError(`gzip data is corrupt: ${error.message}`, error.truncated);
  return error;
}

/** The header's length, or undefined when `bytes` does not hold all of it yet; throws if malformed. */
function headerLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 10) {
    if (bytes.length >= 1 && bytes[0] !== ID1) throw new GzipFormatError('not in gzip format');
    if (bytes.length >= 2 && bytes[1] !== ID2) throw new GzipFormatError('not in gzip format');
    return undefined;
  }
  if (bytes[0] !== ID1 || bytes[1] !== ID2) throw new GzipFormatError('not in gzip format');
  if (bytes[2] !== DEFLATE) throw new GzipFormatError(`gzip compression method ${bytes[2]} is not deflate`);
  const flags = bytes[3]!;
  if (flags & RESERVED_FLAGS) throw new GzipFormatError(`gzip header has reserved flags 0x${flags.toString(16)}`);
  let at = 10;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return undefined;
    at += 2 + (bytes[at]! | (bytes[at + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = bytes.indexOf(0, at);
    if (zero < 0) return undefined;
    at = zero + 1;
  }
  if (flags & FHCRC) at += 2;
  return bytes.length >= at ? at : undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function empty(): Uint8Array {
  return new Uint8Array(0);
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}
