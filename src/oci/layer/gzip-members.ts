/**
 * gzip through the browser's DecompressionStream, one stream per gzip member. The Compression
 * Streams spec (and Chromium) stop at the end of the first member and fail with "junk after end",
 * while RFC 1952 §2.2 allows concatenated members (`cat a.gz b.gz`, some parallel compressors). A
 * member's end is found from its trailer (RFC 1952 §2.3.1): CRC32 and ISIZE of its output, right
 * before the next member's header or the trailing bytes. Bytes after the last member that are not
 * a member are trailing garbage, as `gzip -d` calls them: counted in `trailingBytes`, not
 * decompressed.
 *
 * The stream's failure does not say why it failed (junk after the end, or corrupt data), so the
 * trailer is what tells a finished member from a broken one. ISIZE alone is not enough: a member
 * whose stored CRC32 is wrong fails the stream only after all its output is out, and ISIZE then
 * matches, so without the CRC32 a corrupt member passed as whole (found by the gzip fuzz battery).
 */
import { createCRC32, type IHasher } from 'hash-wasm';
import { type Bytes, type Decoder, GZIP_MAGIC, concat, startsWith } from './compression';
import { LayerScanError, errorMessage } from './events';

/**
 * Input is fed to DecompressionStream in slices this big, so that one slice's output at
 * deflate's maximum ratio (1032:1) fits in the reads kept waiting below.
 */
const GZIP_SLICE = 64 * 1024;
/**
 * When a member ends inside a write, the stream enqueues that write's output and then errors,
 * and erroring a stream discards what is still queued. Output chunks that meet a waiting read
 * are delivered instead, so enough reads wait to take one slice's worst-case output in
 * Chromium's 64 KiB output chunks. A waiting read costs a promise; the count is cheap.
 */
const GZIP_READS_WAITING = 1_040;
/** Header (10), empty deflate block (2), trailer (8): no member ends earlier. */
const GZIP_MIN_MEMBER = 20;

/** The trailer: CRC32 then ISIZE, four bytes each, little-endian. */
const TRAILER = 8;
/**
 * A member with no output has CRC32 0 and ISIZE 0, so any eight zero bytes after a corrupt start
 * look like its trailer. Such an end is accepted only if the bytes up to it decode on their own
 * as one member; an empty member is a header and a few bytes of deflate, far less than this.
 */
const EMPTY_MEMBER_LIMIT = 4096;

/** One gzip member through one DecompressionStream, its output counted and CRC'd as it is delivered. */
class GzipMember {
  output = 0;
  input = 0;
  /** The last eight input bytes, which hold the trailer when the member ended exactly there. */
  readonly tail = new Uint8Array(TRAILER);
  /** The member's first input bytes (up to EMPTY_MEMBER_LIMIT), to check an end when there is no output. */
  readonly head = new Uint8Array(EMPTY_MEMBER_LIMIT);
  /** The last slice written and what `tail` held before it: Node's stream fails a write late. */
  last: { slice: Bytes; tail: Uint8Array } | undefined;
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private waiting = 0;
  private settled!: () => void;
  /** Resolves once the stream has ended or failed and every read has come back. */
  readonly drained = new Promise<void>((resolve) => (this.settled = resolve));
  private finished = false;

  constructor(
    private readonly deliver: (chunk: Uint8Array) => void,
    /** Reset for this member; fed each output chunk before it is handed on (and maybe transferred). */
    private readonly crc: IHasher,
  ) {
    crc.init();
    const stream = new DecompressionStream('gzip');
    this.writer = stream.writable.getWriter();
    this.reader = stream.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    // A failed write is seen by the caller of write(); these copies of the failure are not news.
    this.writer.closed.catch(() => {});
    for (let i = 0; i < GZIP_READS_WAITING; i++) this.read();
  }

  /** Takes a copy: Node's stream reads the bytes after the write has resolved. */
  async write(lent: Bytes): Promise<void> {
    const slice = lent.slice();
    await this.writer.write(slice);
    this.last = { slice, tail: this.tail.slice() };
    if (this.input < EMPTY_MEMBER_LIMIT) this.head.set(slice.subarray(0, EMPTY_MEMBER_LIMIT - this.input), this.input);
    this.input += slice.length;
    keepTail(this.tail, slice);
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.drained;
  }

  private read(): void {
    this.waiting++;
    this.reader.read().then(
      ({ done, value }) => {
        this.waiting--;
        if (done) this.finished = true;
        else {
          this.output += value.length;
          this.crc.update(value);
          this.deliver(value);
          if (!this.finished) this.read();
        }
        this.maybeSettled();
      },
      () => {
        this.waiting--;
        this.finished = true;
        this.maybeSettled();
      },
    );
  }

  /** The CRC32 of all output, once the stream has drained: no output follows. */
  outputCrc(): number {
    return Number.parseInt(this.crc.digest('hex'), 16);
  }

  private maybeSettled(): void {
    if (this.finished && this.waiting === 0) this.settled();
  }
}

function keepTail(tail: Uint8Array, slice: Uint8Array): void {
  if (slice.length >= TRAILER) tail.set(slice.subarray(slice.length - TRAILER));
  else {
    tail.copyWithin(0, slice.length);
    tail.set(slice, TRAILER - slice.length);
  }
}

/** Decompresses a gzip stream of one or more members (RFC 1952 §2.2), counting trailing garbage. */
export class GzipDecoder implements Decoder {
  trailingBytes = 0;
  private member: GzipMember | undefined;
  /** A lone byte after a member's end: too little to tell a next header from garbage. */
  private carry: Bytes | undefined;
  /** One CRC32 state, reset per member; made on the first member (hash-wasm loads asynchronously). */
  private crc: IHasher | undefined;

  constructor(private readonly output: (chunk: Uint8Array) => void) {}

  async push(chunk: Bytes): Promise<void> {
    for (let at = 0; at < chunk.length; at += GZIP_SLICE) await this.pushSlice(chunk.subarray(at, at + GZIP_SLICE));
  }

  async end(): Promise<void> {
    this.trailingBytes += this.carry?.length ?? 0;
    this.carry = undefined;
    const member = this.member;
    if (!member) return;
    try {
      await member.close();
    } catch (error) {
      // Browsers fail the write that goes past a member's end; Node fails later, at the latest
      // here, so the last slice written is where the member may have ended.
      await member.drained;
      const last = member.last;
      const end = last ? await memberEnd(member, last.slice, last.tail, member.input - last.slice.length) : -1;
      if (end < 0) throw new LayerScanError('decompress', `gzip stream ends early or is corrupt: ${errorMessage(error)}`);
      this.member = undefined;
      if (end < last!.slice.length) await this.pushSlice(last!.slice.subarray(end));
      await this.end();
    }
  }

  private async pushSlice(slice: Bytes): Promise<void> {
    if (this.carry) {
      slice = concat(this.carry, slice);
      this.carry = undefined;
    }
    if (this.trailingBytes > 0) {
      this.trailingBytes += slice.length;
      return;
    }
    if (!this.member) {
      if (slice.length < GZIP_MAGIC.length) {
        this.carry = slice.slice();
        return;
      }
      if (!startsWith(slice, GZIP_MAGIC)) {
        this.trailingBytes = slice.length;
        return;
      }
      this.crc ??= await createCRC32();
      this.member = new GzipMember(this.output, this.crc);
    }
    const member = this.member;
    try {
      await member.write(slice);
    } catch (error) {
      await member.drained;
      const end = await memberEnd(member, slice, member.tail, member.input);
      if (end < 0) throw new LayerScanError('decompress', `gzip data is corrupt: ${errorMessage(error)}`);
      this.member = undefined;
      if (end < slice.length) await this.pushSlice(slice.subarray(end));
    }
  }
}

/**
 * Where in `slice` the member ended, or -1: the first offset whose preceding eight bytes are the
 * member's trailer, CRC32 and ISIZE (output length mod 2^32) of its output (RFC 1952 §2.3.1),
 * counting the `tail` of the `inputBefore` member bytes that preceded the slice. With no output
 * the trailer is eight zero bytes, so such an end must also decode as a member on its own.
 */
async function memberEnd(member: GzipMember, slice: Uint8Array, tail: Uint8Array, inputBefore: number): Promise<number> {
  const isize = member.output >>> 0;
  const crc = member.outputCrc();
  const bytes = concat(tail.subarray(TRAILER - Math.min(TRAILER, inputBefore)), slice);
  const before = bytes.length - slice.length;
  const word = (at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
  for (let p = Math.max(TRAILER, GZIP_MIN_MEMBER - inputBefore + before); p <= bytes.length; p++) {
    if (word(p - 4) !== isize || word(p - 8) !== crc) continue;
    if (member.output > 0) return p - before;
    const length = inputBefore + p - before;
    if (length > EMPTY_MEMBER_LIMIT || inputBefore > EMPTY_MEMBER_LIMIT) return -1;
    if (await isEmptyMember(concat(member.head.subarray(0, inputBefore), slice.subarray(0, p - before)))) return p - before;
  }
  return -1;
}

/** Whether `bytes` are exactly one gzip member with no output, as a fresh DecompressionStream reads them. */
async function isEmptyMember(bytes: Bytes): Promise<boolean> {
  try {
    const output = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
    return output.byteLength === 0;
  } catch {
    return false;
  }
}
