/**
 * A streaming raw-deflate decoder (RFC 1951) that can record, and restart from, checkpoints: the
 * zran technique of zlib's examples/zran.c. At a block boundary, the bit offset in the input,
 * the offset in the output and the 32 KiB of output before it are all a decoder needs to carry
 * on from there, so a layer read once can later be entered every few MiB
 * of output instead of from the start.
 *
 * Why our own: the browser's DecompressionStream hides its position and its window, and no
 * maintained npm inflater exposes both a block-boundary stop and a bit-exact restart (pako has
 * Z_BLOCK but no inflatePrime; fflate has neither). Speed decides the rest: on /usr/lib tar data
 * (Node 20, the 2-core dev machine, MB/s of output) node's zlib ran ~290, pako ~120, fflate ~110
 * and this decoder's loop written in JavaScript ~115 — in Chromium 156 that loop ran at 0.4–0.6×
 * DecompressionStream. So block headers, tables and checkpoints are here, in TypeScript, and the
 * per-symbol loop is WebAssembly compiled from wasm/inflate-loop.ts (bench/inflate-bench.ts
 * compares them all). Tested against zlib's and GNU gzip's output, random inputs included.
 *
 * Input chunks are copied into the module's memory (a few bytes of lookahead are kept between
 * pushes), so callers may reuse theirs. Output arrives through `output` in fresh buffers.
 */
import {
  CODELEN_ROOT_BITS,
  DIST_ROOT_BITS,
  HuffmanError,
  LITERAL,
  LITLEN_ROOT_BITS,
  buildTable,
  fixedTables,
  type Alphabet,
  type HuffmanTable,
} from './huffman';
import { INFLATE_LOOP_WASM } from './inflate-loop.wasm';

/** Deflate's history: a distance never reaches further back (RFC 1951 §2). */
export const WINDOW_SIZE = 32 * 1024;

/** A place to restart decoding: a block boundary, `bit` input bits and `out` output bytes in. */
export interface InflateCheckpoint {
  /** Input bits consumed before the block (from the decoder's first input bit, skipped ones included). */
  bit: number;
  /** Output bytes produced before the block (the restart window not counted). */
  out: number;
  /** The last min(out, 32 KiB) output bytes before the block. */
  window: Uint8Array<ArrayBuffer>;
}

export interface RawInflaterOptions {
  /** Receives the output in order; each chunk is a buffer of its own. */
  output: (chunk: Uint8Array<ArrayBuffer>) => void;
  /** Restarting at a checkpoint: its window, so back-references into earlier output resolve. */
  window?: Uint8Array;
  /** Restarting at a checkpoint: bits of the first input byte that belong to earlier blocks. */
  skipBits?: number;
  /**
   * Asked at each block boundary after the first, with the output bytes produced so far: true
   * records a checkpoint there (the caller decides the spacing, across gzip members too).
   */
  wantCheckpoint?: (out: number) => boolean;
  onCheckpoint?: (checkpoint: InflateCheckpoint) => void;
}

export class InflateError extends Error {
  override readonly name = 'InflateError';
  constructor(
    message: string,
    /** True when the input ended before the deflate stream did. */
    readonly truncated = false,
  ) {
    super(message);
  }
}

/** Why the WebAssembly loop stopped (the same numbers as in wasm/inflate-loop.ts). */
const BLOCK_END = 0;
const OUTPUT_FULL = 1;
const INPUT_LOW = 2;
const BAD_LITLEN = 3;
const BAD_DISTANCE = 4;
const TOO_FAR = 5;

const HEADER = 0;
const STORED = 1;
const CODES = 2;
const DONE = 3;

/** Output gathered before it is handed on: large enough that per-chunk costs vanish. */
const OUTPUT_CHUNK = 256 * 1024;
/** The longest match (RFC 1951 §3.2.5): the loop stops this far from the end of the buffer. */
const MAX_MATCH = 258;
/** The loop refills with 8-byte loads and may write 7 bytes past a match. */
const LOAD_BYTES = 8;
/** A dynamic block header is at most ~ 600 bytes; it is read only once this much input is at hand. */
const HEADER_INPUT = 1024;
/** Zero bytes written after the real end when input is complete, so the loop may overrun into them. */
const PAD = 16;
/** Input is taken in pieces of at most this much, so the input region never has to grow. */
const INPUT_PIECE = 1 << 20;

/**
 * The WebAssembly module's memory, as laid out here (the module itself uses only its first bytes):
 * two decoding tables, the output buffer (window, chunk, overrun room) and the input buffer.
 */
const LITLEN_AT = 64 * 1024;
const LITLEN_ENTRIES = 4096;
const DIST_AT = LITLEN_AT + LITLEN_ENTRIES * 4;
const DIST_ENTRIES = 2048;
const OUT_AT = DIST_AT + DIST_ENTRIES * 4;
const OUT_SIZE = WINDOW_SIZE + OUTPUT_CHUNK;
const IN_AT = OUT_AT + OUT_SIZE + 1024;
const IN_SIZE = INPUT_PIECE + HEADER_INPUT * 2 + PAD;
const MEMORY_BYTES = IN_AT + IN_SIZE;

interface LoopExports {
  memory: WebAssembly.Memory;
  decode: (...args: number[]) => number;
  stoppedAt: WebAssembly.Global;
  outputAt: WebAssembly.Global;
  bitsLeft: WebAssembly.Global;
  bitCountLeft: WebAssembly.Global;
}

let loopModule: WebAssembly.Module | undefined;

/** One instance per decoder (each has its own memory); the module is compiled once. */
function instantiateLoop(): LoopExports {
  loopModule ??= new WebAssembly.Module(Uint8Array.from(atob(INFLATE_LOOP_WASM), (c) => c.charCodeAt(0)));
  const exports = new WebAssembly.Instance(loopModule).exports as unknown as LoopExports;
  const missing = MEMORY_BYTES - exports.memory.buffer.byteLength;
  if (missing > 0) exports.memory.grow(Math.ceil(missing / 65536));
  return exports;
}

const CODELEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

export class RawInflater {
  private readonly loop = instantiateLoop();
  private readonly input = new Uint8Array(this.loop.memory.buffer, IN_AT, IN_SIZE);
  /** Next unread byte of `input`, end of valid bytes, and how many bytes were dropped before input[0]. */
  private inPos = 0;
  private inEnd = 0;
  private base = 0;
  private bitBuf = 0;
  private bitCount = 0;
  private final = false;

  private readonly out = new Uint8Array(this.loop.memory.buffer, OUT_AT, OUT_SIZE);
  private outPos = 0;
  /** Output offset of out[0] (negative by the restart window's length at first). */
  private outBase = 0;
  private flushed = 0;

  private state = HEADER;
  private lastBlock = false;
  private storedLeft = 0;
  private readonly litlenTable = new Int32Array(this.loop.memory.buffer, LITLEN_AT, LITLEN_ENTRIES);
  private readonly distTable = new Int32Array(this.loop.memory.buffer, DIST_AT, DIST_ENTRIES);
  /** The tables in memory now, so the fixed ones are not copied in again block after block. */
  private tables: { litlen: HuffmanTable; dist: HuffmanTable } | undefined;
  private litlenMask = 0;
  private distMask = 0;
  private skipBits = 0;
  /** The first block boundary is where decoding began: no checkpoint is needed there. */
  private started = false;

  constructor(private readonly options: RawInflaterOptions) {
    this.reset(options.window, options.skipBits);
  }

  /**
   * Starts a new deflate stream with the same callbacks and memory (a gzip file of many members
   * would otherwise instantiate a module per member): from scratch, or from a checkpoint's window
   * with `skipBits` bits of the first byte already used.
   */
  reset(window?: Uint8Array, skipBits = 0): void {
    this.inPos = this.inEnd = this.base = 0;
    this.bitBuf = this.bitCount = 0;
    this.final = false;
    this.outPos = this.outBase = 0;
    if (window && window.length > 0) {
      const history = window.subarray(Math.max(0, window.length - WINDOW_SIZE));
      this.out.set(history);
      this.outPos = history.length;
      this.outBase = -history.length;
    }
    this.flushed = this.outPos;
    this.state = HEADER;
    this.lastBlock = false;
    this.storedLeft = 0;
    this.skipBits = skipBits;
    this.started = false;
  }

  /** True once the final block has ended. */
  get finished(): boolean {
    return this.state === DONE;
  }

  /** Output bytes produced so far (the restart window not counted). */
  get outputBytes(): number {
    return this.outBase + this.outPos;
  }

  /** Input bits consumed so far, as `InflateCheckpoint.bit` counts them. */
  get inputBits(): number {
    return (this.base + this.inPos) * 8 - this.bitCount;
  }

  /** Decodes what it can of `chunk`; input after the end of the deflate stream is kept for `rest`. */
  push(chunk: Uint8Array): void {
    if (this.final) throw new Error('push after end');
    for (let at = 0; at < chunk.length; at += INPUT_PIECE) {
      this.append(chunk.subarray(at, at + INPUT_PIECE));
      if (this.state !== DONE) this.run();
    }
    this.flush();
  }

  /** No more input: finishes decoding, or throws InflateError (truncated) when the stream is incomplete. */
  end(): void {
    if (!this.final) {
      this.final = true;
      this.input.fill(0, this.inEnd, this.inEnd + PAD);
      try {
        if (this.state !== DONE) this.run();
      } catch (error) {
        // Whatever went wrong in the zero padding past the end is the end coming too soon.
        if (error instanceof InflateError && this.inPos * 8 - this.bitCount > this.inEnd * 8) {
          throw new InflateError('deflate stream ends early', true);
        }
        throw error;
      } finally {
        // What was decoded is handed on even then: a ranged read drains a stream it cut short.
        this.flush();
      }
    }
    if (this.state !== DONE) throw new InflateError('deflate stream ends early', true);
  }

  /** After the stream finished: the whole bytes that followed it (a gzip trailer, the next member…). */
  rest(): Uint8Array<ArrayBuffer> {
    const at = this.inPos - (this.bitCount >> 3);
    return this.input.slice(at, this.inEnd);
  }

  private append(chunk: Uint8Array): void {
    const left = this.inEnd - this.inPos;
    if (this.inPos > 0) this.input.copyWithin(0, this.inPos, this.inEnd);
    this.base += this.inPos;
    this.inPos = 0;
    this.input.set(chunk, left);
    this.inEnd = left + chunk.length;
    if (this.skipBits > 0 && this.inEnd > 0) {
      this.bitBuf = this.input[0]! >>> this.skipBits;
      this.bitCount = 8 - this.skipBits;
      this.inPos = 1;
      this.skipBits = 0;
    }
  }

  private run(): void {
    for (;;) {
      if (this.final && this.inPos * 8 - this.bitCount > this.inEnd * 8) throw new InflateError('deflate stream ends early', true);
      switch (this.state) {
        case HEADER:
          if (this.lastBlock) {
            this.state = DONE;
            return;
          }
          if (!this.final && this.inEnd - this.inPos < HEADER_INPUT) return;
          this.maybeCheckpoint();
          this.readBlockHeader();
          break;
        case STORED:
          if (!this.copyStored()) return;
          break;
        case CODES:
          if (!this.decodeCodes()) return;
          break;
        case DONE:
          return;
      }
    }
  }

  private maybeCheckpoint(): void {
    const out = this.outputBytes;
    if (!this.started) {
      this.started = true;
      return;
    }
    if (!this.options.wantCheckpoint?.(out)) return;
    this.options.onCheckpoint?.({
      bit: this.inputBits,
      out,
      window: this.out.slice(Math.max(0, this.outPos - WINDOW_SIZE), this.outPos),
    });
  }

  private need(bits: number): void {
    while (this.bitCount < bits) {
      this.bitBuf |= this.input[this.inPos++]! << this.bitCount;
      this.bitCount += 8;
    }
  }

  private bits(count: number): number {
    this.need(count);
    const value = this.bitBuf & ((1 << count) - 1);
    this.bitBuf >>>= count;
    this.bitCount -= count;
    return value;
  }

  private readBlockHeader(): void {
    this.lastBlock = this.bits(1) === 1;
    const type = this.bits(2);
    if (type === 0) {
      // Stored: skip to a byte boundary, then LEN and its one's complement (RFC 1951 §3.2.4).
      this.bits(this.bitCount & 7);
      const length = this.bits(16);
      const check = this.bits(16);
      if ((length ^ 0xffff) !== check) throw new InflateError('invalid stored block lengths');
      this.storedLeft = length;
      this.state = STORED;
    } else if (type === 1) {
      const tables = fixedTables();
      this.useTables(tables.litlen, tables.dist);
    } else if (type === 2) {
      this.readDynamicTables();
    } else {
      throw new InflateError('invalid block type');
    }
  }

  private useTables(litlen: HuffmanTable, dist: HuffmanTable): void {
    if (this.tables?.litlen !== litlen || this.tables.dist !== dist) {
      if (litlen.entries.length > LITLEN_ENTRIES || dist.entries.length > DIST_ENTRIES) {
        throw new InflateError('decoding table larger than expected'); // bounded by the Kraft inequality; a bug if seen
      }
      this.litlenTable.set(litlen.entries);
      this.distTable.set(dist.entries);
      this.tables = { litlen, dist };
    }
    this.litlenMask = (1 << litlen.rootBits) - 1;
    this.distMask = (1 << dist.rootBits) - 1;
    this.state = CODES;
  }

  /** RFC 1951 §3.2.7: the code-length code, then the literal/length and distance code lengths. */
  private readDynamicTables(): void {
    const litlenCount = this.bits(5) + 257;
    const distCount = this.bits(5) + 1;
    const codelenCount = this.bits(4) + 4;
    if (litlenCount > 286 || distCount > 30) throw new InflateError('too many length or distance symbols');
    const codelenLengths = new Uint8Array(19);
    for (let i = 0; i < codelenCount; i++) codelenLengths[CODELEN_ORDER[i]!] = this.bits(3);
    const codelenTable = this.table(codelenLengths, 19, 'codelen', CODELEN_ROOT_BITS);
    const codelen = codelenTable.entries;
    const codelenMask = (1 << codelenTable.rootBits) - 1;

    const lengths = new Uint8Array(litlenCount + distCount);
    for (let i = 0; i < lengths.length;) {
      this.need(15);
      const e = codelen[this.bitBuf & codelenMask]!;
      if (((e >>> 8) & 0xf) !== LITERAL) throw new InflateError('invalid code lengths set');
      this.bitBuf >>>= e & 0xf;
      this.bitCount -= e & 0xf;
      const symbol = e >>> 16;
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (symbol === 16) {
        if (i === 0) throw new InflateError('invalid bit length repeat');
        value = lengths[i - 1]!;
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (i + repeat > lengths.length) throw new InflateError('invalid bit length repeat');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw new InflateError('invalid code -- missing end-of-block');
    const litlen = this.table(lengths.subarray(0, litlenCount), litlenCount, 'litlen', LITLEN_ROOT_BITS);
    const dist = this.table(lengths.subarray(litlenCount), distCount, 'dist', DIST_ROOT_BITS);
    this.useTables(litlen, dist);
  }

  private table(lengths: Uint8Array, count: number, alphabet: Alphabet, rootBits: number): HuffmanTable {
    try {
      return buildTable(lengths, count, alphabet, rootBits);
    } catch (error) {
      if (error instanceof HuffmanError) throw new InflateError(`invalid ${alphabet} code lengths: ${error.message}`);
      throw error;
    }
  }

  /** Copies a stored block's bytes; false when it must wait for input or output room. */
  private copyStored(): boolean {
    // Whole bytes still in the bit buffer come first (at most a few after the header).
    while (this.storedLeft > 0 && this.bitCount >= 8) {
      if (this.outPos >= this.out.length) this.slide();
      this.out[this.outPos++] = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
      this.storedLeft--;
    }
    while (this.storedLeft > 0) {
      if (this.outPos >= this.out.length) this.slide();
      const take = Math.min(this.storedLeft, this.inEnd - this.inPos, this.out.length - this.outPos);
      if (take <= 0) {
        if (this.final) throw new InflateError('stored block ends early', true);
        return false;
      }
      this.out.set(this.input.subarray(this.inPos, this.inPos + take), this.outPos);
      this.inPos += take;
      this.outPos += take;
      this.storedLeft -= take;
    }
    this.state = HEADER;
    return true;
  }

  /** Runs the hot loop until the block ends (true) or it must wait for input (false). */
  private decodeCodes(): boolean {
    for (;;) {
      const status = this.decodeSymbols();
      switch (status) {
        case BLOCK_END:
          this.state = HEADER;
          return true;
        case OUTPUT_FULL:
          this.slide();
          break;
        case INPUT_LOW:
          if (this.final) throw new InflateError('deflate stream ends early', true);
          return false;
        case BAD_LITLEN:
          throw new InflateError('invalid literal/length code');
        case BAD_DISTANCE:
          throw new InflateError('invalid distance code');
        case TOO_FAR:
          throw new InflateError('invalid distance too far back');
      }
    }
  }

  /** One run of the WebAssembly loop (wasm/inflate-loop.ts); it returns why it stopped. */
  private decodeSymbols(): number {
    const loop = this.loop;
    const inLimit = IN_AT + this.inEnd + (this.final ? PAD : 0) - LOAD_BYTES;
    const status = loop.decode(
      IN_AT + this.inPos,
      inLimit,
      OUT_AT + this.outPos,
      OUT_AT + OUT_SIZE - MAX_MATCH - LOAD_BYTES,
      OUT_AT,
      this.bitBuf,
      this.bitCount,
      LITLEN_AT,
      this.litlenMask,
      DIST_AT,
      this.distMask,
    );
    this.inPos = (loop.stoppedAt.value as number) - IN_AT;
    this.outPos = (loop.outputAt.value as number) - OUT_AT;
    this.bitBuf = loop.bitsLeft.value as number;
    this.bitCount = loop.bitCountLeft.value as number;
    return status;
  }

  /** Hands on the output gathered since the last flush. */
  private flush(): void {
    if (this.outPos > this.flushed) {
      this.options.output(this.out.slice(this.flushed, this.outPos));
      this.flushed = this.outPos;
    }
  }

  /** Makes room: flushes, then keeps only the window's worth of history at the buffer's start. */
  private slide(): void {
    this.flush();
    const keep = Math.min(this.outPos, WINDOW_SIZE);
    this.out.copyWithin(0, this.outPos - keep, this.outPos);
    this.outBase += this.outPos - keep;
    this.outPos = keep;
    this.flushed = keep;
  }
}
