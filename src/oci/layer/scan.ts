/**
 * One streaming pass over a layer blob, the proof behind the layer view: the digest of the bytes
 * received (image-spec descriptor.md "Digests"), decompression chosen by magic bytes, the digest of
 * the uncompressed tar (the diff_id, image-spec config.md `rootfs.diff_ids`) and the file index
 * (image-spec layer.md), all while the bytes flow; nothing is buffered beyond a few MiB.
 *
 * Compression is read from the first bytes — gzip `1f 8b`, zstd `28 b5 2f fd`, anything else is
 * a plain tar — because media types lie (Docker's `rootfs.diff.tar.gzip` is used for plain tars,
 * pushers mislabel zstd); `done.mediaTypeCompression` says what the media type claimed.
 * - gzip: the browser's DecompressionStream, one per gzip member. The Compression Streams spec
 *   (and Chromium) stop at the end of the first member and fail with "junk after end", while
 *   RFC 1952 allows concatenated members (`cat a.gz b.gz`, some parallel compressors). A member's
 *   end is found from its trailer: ISIZE, its output length mod 2^32, right before the next
 *   member's header or the trailing bytes. Bytes after the last member that are not a member are
 *   trailing garbage, as `gzip -d` calls them: counted in `done.trailingBytes`, not decompressed.
 * - zstd: `fzstd`, loaded with import() the first time a zstd layer shows up.
 *
 * Outcomes (each scan ends with exactly one terminal event):
 * - 'done' after a full pass: digest and diff_id compared with what was expected. With
 *   `parseTar: false` nothing is decompressed: `diffId.computed` is '' and `entryCount` 0.
 * - 'file' in extraction mode, when the file was found: its first `limit` bytes, after which the
 *   download stops. The digest is then not known — the bytes are only as trusted as an earlier
 *   full pass of the same layer made them, which is for the caller to know. Extraction takes the
 *   first regular file at that path (a hardlink has no data of its own: ask for its target).
 *   When the layer has no such file the pass runs to the end and ends with 'done'.
 * - 'error': 'http' (non-2xx; status and the registry's error code), 'network' (no response),
 *   'truncated' (the body broke off or ended short of Content-Length / the descriptor size; never
 *   a 'done' with a short listing), 'decompress', 'tar-format', 'aborted' (the caller's signal).
 *
 * The pass is split in two stages so a worker can run the second on another thread: the first
 * (`scanLayer`) fetches, hashes the compressed bytes and decompresses; the second (a
 * `TarIndexSink`, in-thread `LocalTarIndex` by default) hashes the decompressed bytes and parses
 * the tar. Measurements and the threading are in src/workers/layer-worker.ts.
 */
import { createDigester, parseDigest, type DigestAlgorithm, type StreamingDigester } from '../spec/digest';
import { essence, kindOf } from '../spec/media-types';
import { registryErrorFrom } from '../registry/response';
import { TarFormatError, TarParser, type TarEntry } from './tar';

export interface LayerScanRequest {
  /** Same-origin proxy URL of the blob. */
  url: string;
  /** Credentials the user entered for this registry (`Basic …`), sent as X-Ociscope-Registry-Authorization. */
  authorization?: string;
  /**
   * The blob's bytes when this tab already holds them (an OCI layout opened from disk): read
   * instead of fetching `url`, and hashed the same way, so a tampered file still shows.
   */
  blob?: Blob;
  /** Layer digest (sha256:… / sha512:…). */
  expectedDigest: string;
  /** config.rootfs.diff_ids[i], when known. */
  expectedDiffId?: string;
  /** A hint only: compression is detected from magic bytes. */
  mediaType?: string;
  /** Descriptor size, for progress and the size check. */
  size?: number;
  /** Capture the data of one file (its first `limit` bytes), then stop. */
  extract?: { path: string; limit: number };
  /** Default true; false = digest only, nothing decompressed. */
  parseTar?: boolean;
  /**
   * Keep a copy of the bytes received and hand them over in `done.kept`, for a download that is
   * saved only once verified. The whole blob is then held (the browser may page it to disk).
   */
  keep?: boolean;
}

export type Compression = 'gzip' | 'zstd' | 'none';

export type LayerScanErrorKind = 'http' | 'truncated' | 'decompress' | 'tar-format' | 'aborted' | 'network';

export type LayerScanEvent =
  | { type: 'progress'; compressedBytes: number; decompressedBytes: number; total?: number }
  | { type: 'entries'; entries: TarEntry[] }
  | { type: 'file'; path: string; bytes: Uint8Array; size: number; truncated: boolean }
  | {
      type: 'done';
      compression: Compression;
      compressedBytes: number;
      decompressedBytes: number;
      entryCount: number;
      digest: { expected: string; computed: string; ok: boolean };
      diffId: { expected?: string; computed: string; ok?: boolean };
      endMarker: boolean;
      /** The compression the media type names, when it names one. */
      mediaTypeCompression?: Compression;
      /** Bytes after the last gzip member that were not a gzip member (ignored, like `gzip -d`). */
      trailingBytes?: number;
      /** The bytes received, when the request asked to `keep` them. */
      kept?: Blob;
    }
  | { type: 'error'; kind: LayerScanErrorKind; message: string; status?: number; code?: string };

export type IndexEvent = Extract<LayerScanEvent, { type: 'entries' | 'file' }>;

/** A failure inside a scan; it leaves the scan as an 'error' event. */
export class LayerScanError extends Error {
  override readonly name = 'LayerScanError';
  constructor(
    readonly kind: LayerScanErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Enough bytes to tell the formats apart. */
const MAGIC_LENGTH = 4;

const PROGRESS_INTERVAL_MS = 100;
/** Entries reach the caller in batches: often enough to watch a listing grow, rarely enough to stay cheap. */
const ENTRY_BATCH_MS = 50;
const ENTRY_BATCH_SIZE = 2_000;

/** Bytes over a plain ArrayBuffer: what fetch and DecompressionStream hand out and accept. */
type Bytes = Uint8Array<ArrayBuffer>;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

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

// ---------------------------------------------------------------------------------------------
// Second stage: diff_id and tar index.

export interface TarIndexOptions {
  /** Algorithm of the diff_id; undefined when the first stage already knows it (plain tar). */
  diffIdAlgorithm?: DigestAlgorithm;
  extract?: { path: string; limit: number };
}

export interface TarIndexSummary {
  /** `algorithm:hex`, when this stage hashed. */
  diffId?: string;
  entryCount: number;
  endMarker: boolean;
}

/**
 * Where decompressed bytes go. `write` takes ownership of the chunk (a worker transfers it);
 * `ready` resolves true while more bytes are wanted, false once an extraction has its file, and
 * rejects with the stage's failure (tar-format); `end` checks the tar's end and sums up.
 */
export interface TarIndexSink {
  write(chunk: Uint8Array): void;
  ready(): Promise<boolean>;
  end(): Promise<TarIndexSummary>;
  /** Frees what the stage holds (its worker) once the scan is over, however it ended. */
  close(): void;
}

export type TarIndexFactory = (options: TarIndexOptions, emit: (event: IndexEvent) => void) => Promise<TarIndexSink>;

/** The second stage in the calling thread (the worker of the second stage runs this too). */
export class LocalTarIndex implements TarIndexSink {
  private readonly parser: TarParser;
  private pending: TarEntry[] = [];
  private entryCount = 0;
  private lastFlush = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** A LayerScanError for bad tar; anything else is a bug of ours, reported as such. */
  private failure: unknown;
  private wanted = true;
  /** The file being extracted, while its bytes are gathered. */
  private capture: { entry: TarEntry; bytes: Uint8Array; filled: number } | undefined;

  static async create(options: TarIndexOptions, emit: (event: IndexEvent) => void): Promise<LocalTarIndex> {
    const hasher = options.diffIdAlgorithm ? await createDigester(options.diffIdAlgorithm) : undefined;
    return new LocalTarIndex(options, emit, hasher);
  }

  private constructor(
    private readonly options: TarIndexOptions,
    private readonly emit: (event: IndexEvent) => void,
    private readonly hasher: StreamingDigester | undefined,
  ) {
    const extract = options.extract;
    this.parser = new TarParser({
      entry: (entry) => this.onEntry(entry),
      // Without a data handler the parser skips file data by arithmetic; only extraction needs one.
      data: extract ? (entry, chunk) => this.onData(entry, chunk) : undefined,
    });
  }

  write(chunk: Uint8Array): void {
    if (this.failure !== undefined || !this.wanted) return;
    this.hasher?.update(chunk);
    try {
      this.parser.push(chunk);
    } catch (error) {
      // write() is called from inside stream callbacks, so failures wait for ready() to be seen.
      this.failure = error instanceof TarFormatError ? new LayerScanError('tar-format', error.message) : error;
      return;
    }
    if (!this.wanted) {
      this.finishExtraction();
    } else if (this.pending.length > 0) {
      this.flushSoon();
    }
  }

  ready(): Promise<boolean> {
    return this.failure !== undefined ? Promise.reject(this.failure) : Promise.resolve(this.wanted);
  }

  async end(): Promise<TarIndexSummary> {
    if (this.failure !== undefined) throw this.failure;
    let endMarker: boolean;
    try {
      endMarker = this.parser.end().endMarker;
    } catch (error) {
      if (!(error instanceof TarFormatError)) throw error;
      throw new LayerScanError('tar-format', error.message);
    } finally {
      this.flush();
    }
    return { diffId: this.hasher?.digest(), entryCount: this.entryCount, endMarker };
  }

  close(): void {
    clearTimeout(this.flushTimer);
  }

  private onEntry(entry: TarEntry): void {
    this.entryCount++;
    this.pending.push(entry);
    if (this.pending.length >= ENTRY_BATCH_SIZE) this.flush();
    const extract = this.options.extract;
    if (extract && this.wanted && !this.capture && entry.type === 'file' && !entry.sparse && entry.path === extract.path) {
      this.capture = { entry, bytes: new Uint8Array(Math.min(entry.size, extract.limit)), filled: 0 };
      if (this.capture.bytes.length === 0) this.wanted = false;
    }
  }

  private onData(entry: TarEntry, chunk: Uint8Array): void {
    const capture = this.capture;
    if (!capture || capture.entry !== entry || !this.wanted) return;
    const take = Math.min(chunk.length, capture.bytes.length - capture.filled);
    // The parser hands out views of the pushed chunk, which a worker may transfer away: copy.
    capture.bytes.set(chunk.subarray(0, take), capture.filled);
    capture.filled += take;
    if (capture.filled === capture.bytes.length) this.wanted = false;
  }

  private finishExtraction(): void {
    this.flush();
    const { entry, bytes } = this.capture!;
    this.emit({ type: 'file', path: entry.path, bytes, size: entry.size, truncated: bytes.length < entry.size });
  }

  private flushSoon(): void {
    const wait = this.lastFlush + ENTRY_BATCH_MS - performance.now();
    if (wait <= 0) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlush = performance.now();
    if (this.pending.length === 0) return;
    const entries = this.pending;
    this.pending = [];
    this.emit({ type: 'entries', entries });
  }
}

// ---------------------------------------------------------------------------------------------
// First stage: decompression.

/** Input chunks are lent (see BodyReader): a decoder that keeps bytes past push() copies them. */
interface Decoder {
  push(chunk: Bytes): Promise<void> | void;
  end(): Promise<void> | void;
  /** Bytes after the compressed stream that were ignored. */
  readonly trailingBytes: number;
}

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
  private constructor(private readonly stream: import('fzstd').Decompress) {}

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

/** One gzip member through one DecompressionStream, its output counted as it is delivered. */
class GzipMember {
  output = 0;
  input = 0;
  /** The last four input bytes, which hold ISIZE when the member ended exactly there. */
  readonly tail = new Uint8Array(4);
  /** The last slice written and what `tail` held before it: Node's stream fails a write late. */
  last: { slice: Bytes; tail: Uint8Array } | undefined;
  private readonly writer: WritableStreamDefaultWriter<BufferSource>;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private waiting = 0;
  private settled!: () => void;
  /** Resolves once the stream has ended or failed and every read has come back. */
  readonly drained = new Promise<void>((resolve) => (this.settled = resolve));
  private finished = false;

  constructor(private readonly deliver: (chunk: Uint8Array) => void) {
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

  private maybeSettled(): void {
    if (this.finished && this.waiting === 0) this.settled();
  }
}

function keepTail(tail: Uint8Array, slice: Uint8Array): void {
  if (slice.length >= 4) tail.set(slice.subarray(slice.length - 4));
  else {
    tail.copyWithin(0, slice.length);
    tail.set(slice, 4 - slice.length);
  }
}

class GzipDecoder implements Decoder {
  trailingBytes = 0;
  private member: GzipMember | undefined;
  /** A lone byte after a member's end: too little to tell a next header from garbage. */
  private carry: Bytes | undefined;

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
      const end = last ? memberEnd(member, last.slice, last.tail, member.input - last.slice.length) : -1;
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
      this.member = new GzipMember(this.output);
    }
    const member = this.member;
    try {
      await member.write(slice);
    } catch (error) {
      await member.drained;
      const end = memberEnd(member, slice, member.tail, member.input);
      if (end < 0) throw new LayerScanError('decompress', `gzip data is corrupt: ${errorMessage(error)}`);
      this.member = undefined;
      if (end < slice.length) await this.pushSlice(slice.subarray(end));
    }
  }
}

/**
 * Where in `slice` the member ended, or -1: the first offset whose preceding four bytes are the
 * member's ISIZE (RFC 1952 §2.3.1, output length mod 2^32), counting the `tail` of the
 * `inputBefore` member bytes that preceded the slice.
 */
function memberEnd(member: GzipMember, slice: Uint8Array, tail: Uint8Array, inputBefore: number): number {
  const isize = member.output >>> 0;
  const bytes = concat(tail.subarray(4 - Math.min(4, inputBefore)), slice);
  const before = bytes.length - slice.length;
  for (let p = Math.max(4, GZIP_MIN_MEMBER - inputBefore + before); p <= bytes.length; p++) {
    const value = (bytes[p - 4]! | (bytes[p - 3]! << 8) | (bytes[p - 2]! << 16) | (bytes[p - 1]! << 24)) >>> 0;
    if (value === isize) return p - before;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Bytes {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

async function createDecoder(compression: Compression, output: (chunk: Uint8Array) => void): Promise<Decoder> {
  switch (compression) {
    case 'gzip':
      return new GzipDecoder(output);
    case 'zstd':
      return ZstdDecoder.create(output);
    case 'none':
      return new PlainDecoder(output);
  }
}

// ---------------------------------------------------------------------------------------------
// The pass.

export interface ScanOptions {
  signal?: AbortSignal;
  /** The second stage; in-thread by default. */
  createIndex?: TarIndexFactory;
  /** Injected in tests. */
  fetch?: typeof fetch;
}

/** Runs one pass; every outcome, failures included, arrives through `emit`. Never rejects. */
export async function scanLayer(
  request: LayerScanRequest,
  emit: (event: LayerScanEvent) => void,
  options: ScanOptions = {},
): Promise<void> {
  const { signal } = options;
  // Our own controller, so the download can be stopped when the pass needs no more of it.
  const download = new AbortController();
  const abort = () => download.abort(signal?.reason);
  signal?.addEventListener('abort', abort);
  let index: TarIndexSink | undefined;
  try {
    if (signal?.aborted) throw aborted();
    await runScan(request, emit, options, download.signal, (created) => (index = created));
  } catch (error) {
    emit(errorEvent(signal?.aborted ? aborted() : error));
  } finally {
    signal?.removeEventListener('abort', abort);
    download.abort();
    index?.close();
  }
}

async function runScan(
  request: LayerScanRequest,
  emit: (event: LayerScanEvent) => void,
  options: ScanOptions,
  signal: AbortSignal,
  onIndex: (index: TarIndexSink) => void,
): Promise<void> {
  const digestAlgorithm = parseDigest(request.expectedDigest)?.algorithm ?? 'sha256';
  const diffIdAlgorithm = (request.expectedDiffId && parseDigest(request.expectedDiffId)?.algorithm) || 'sha256';
  const parseTar = request.parseTar !== false;

  const response = await fetchBlob(request, options.fetch ?? fetch, signal);
  const total = request.size ?? contentLength(response);
  const reader = new BodyReader(response.body!, signal);
  const hasher = await createDigester(digestAlgorithm);

  let compressedBytes = 0;
  let decompressedBytes = 0;
  let lastProgress = -Infinity;
  const progress = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    emit({ type: 'progress', compressedBytes, decompressedBytes, total });
  };

  // Gather the magic bytes before anything is decided.
  let head: Bytes = new Uint8Array(0);
  let ended = false;
  while (head.length < MAGIC_LENGTH && !ended) {
    const next = await reader.read();
    if (next === undefined) ended = true;
    else head = concat(head, next);
  }
  const compression = detectCompression(head);

  let decoder: Decoder | undefined;
  let index: TarIndexSink | undefined;
  if (parseTar) {
    // A plain tar's diff_id is its digest when the algorithms agree: no need to hash it twice.
    const sameBytes = compression === 'none' && digestAlgorithm === diffIdAlgorithm;
    index = await (options.createIndex ?? ((o, e) => LocalTarIndex.create(o, e)))(
      { diffIdAlgorithm: sameBytes ? undefined : diffIdAlgorithm, extract: request.extract },
      emit,
    );
    onIndex(index);
    const sink = index;
    decoder = await createDecoder(compression, (chunk) => {
      decompressedBytes += chunk.length;
      sink.write(chunk);
    });
  }

  // Chunks are lent (BodyReader), so what is kept is a copy; bytes the tab already holds (a
  // layout's File slice, which the browser refuses to read once the file changed) are kept as is.
  const kept: Uint8Array<ArrayBuffer>[] | undefined = request.keep && request.blob === undefined ? [] : undefined;
  let chunk: Bytes | undefined = head.length > 0 ? head : undefined;
  while (chunk !== undefined) {
    hasher.update(chunk);
    kept?.push(chunk.slice());
    compressedBytes += chunk.length;
    if (decoder && index) {
      await decoder.push(chunk);
      if (!(await index.ready())) return; // extraction complete: the 'file' event ended the scan
    }
    progress(false);
    chunk = ended ? undefined : await reader.read();
  }

  if (total !== undefined && compressedBytes < total) {
    throw new LayerScanError('truncated', `the download ended after ${compressedBytes} of ${total} bytes`);
  }
  await decoder?.end();
  // The last bytes out of the decoder may have completed an extraction.
  if (index && !(await index.ready())) return;
  const summary = index ? await index.end() : undefined;
  progress(true);

  const digest = hasher.digest();
  const diffId = summary ? (summary.diffId ?? digest) : '';
  const mediaTypeCompression = compressionOfMediaType(request.mediaType);
  emit({
    type: 'done',
    compression,
    compressedBytes,
    decompressedBytes,
    entryCount: summary?.entryCount ?? 0,
    digest: { expected: request.expectedDigest, computed: digest, ok: digest === request.expectedDigest },
    diffId: {
      expected: request.expectedDiffId,
      computed: diffId,
      ok: request.expectedDiffId !== undefined && diffId !== '' ? diffId === request.expectedDiffId : undefined,
    },
    endMarker: summary?.endMarker ?? false,
    ...(mediaTypeCompression !== undefined && { mediaTypeCompression }),
    ...(decoder && decoder.trailingBytes > 0 && { trailingBytes: decoder.trailingBytes }),
    ...(kept && { kept: new Blob(kept, { type: 'application/octet-stream' }) }),
    ...(request.keep && request.blob !== undefined && { kept: request.blob }),
  });
}

async function fetchBlob(request: LayerScanRequest, fetchImpl: typeof fetch, signal: AbortSignal): Promise<Response> {
  if (request.blob) return new Response(request.blob);
  let response: Response;
  try {
    // The proxy asks the registry for identity encoding: the bytes hashed are the bytes stored.
    response = await fetchImpl(
      request.url,
      request.authorization === undefined
        ? { signal }
        : { signal, headers: { 'X-Ociscope-Registry-Authorization': request.authorization } },
    );
  } catch (error) {
    if (signal.aborted) throw aborted();
    throw new LayerScanError('network', `the blob could not be fetched: ${errorMessage(error)}`);
  }
  if (!response.ok) {
    const failure = await registryErrorFrom(response, { what: 'blob', name: request.expectedDigest, registry: registryOf(request.url) });
    throw new LayerScanError('http', failure.message, response.status, failure.detail.code);
  }
  if (!response.body) throw new LayerScanError('truncated', 'the response has no body');
  return response;
}

/** The registry host of a proxy URL `/registry/<host>/v2/…`, for messages. */
function registryOf(url: string): string {
  return /\/registry\/([^/]+)\/v2\//.exec(url)?.[1] ?? url;
}

function contentLength(response: Response): number | undefined {
  const value = response.headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Bytes a BYOB read may fill at once. */
const READ_BUFFER_BYTES = 1 << 20;

/**
 * Reads a body into one buffer, reused from chunk to chunk, where the body is a byte stream
 * (fetch bodies in browsers); otherwise chunk by chunk. A fresh ArrayBuffer per chunk is garbage
 * the GC collects late: over the bench's 432 MB blob the renderer grew by ~210 MB reading chunks
 * and by ~55 MB reading into one buffer, which was also faster. So a chunk is lent: valid until
 * the next read, which detaches it.
 */
class BodyReader {
  private readonly byob: ReadableStreamBYOBReader | undefined;
  private readonly plain: ReadableStreamDefaultReader<Bytes> | undefined;
  private buffer = new ArrayBuffer(READ_BUFFER_BYTES);

  constructor(
    body: ReadableStream<Bytes>,
    private readonly signal: AbortSignal,
  ) {
    try {
      this.byob = body.getReader({ mode: 'byob' });
    } catch {
      // Not a byte stream (a constructed Response, older engines): chunks are the stream's own.
      this.plain = body.getReader();
    }
  }

  /** The next chunk, undefined at the end; a body that breaks off is a truncated download. */
  async read(): Promise<Bytes | undefined> {
    try {
      if (this.plain) {
        const { done, value } = await this.plain.read();
        return done ? undefined : value;
      }
      const { done, value } = await this.byob!.read(new Uint8Array(this.buffer));
      if (value) this.buffer = value.buffer as ArrayBuffer;
      return done ? undefined : (value as Bytes);
    } catch (error) {
      if (this.signal.aborted) throw aborted();
      throw new LayerScanError('truncated', `the download broke off: ${errorMessage(error)}`);
    }
  }
}

function aborted(): LayerScanError {
  return new LayerScanError('aborted', 'the scan was cancelled');
}

function errorEvent(error: unknown): Extract<LayerScanEvent, { type: 'error' }> {
  if (error instanceof LayerScanError) {
    return {
      type: 'error',
      kind: error.kind,
      message: error.message,
      ...(error.status !== undefined && { status: error.status }),
      ...(error.code !== undefined && { code: error.code }),
    };
  }
  // Anything else is a bug of ours; it still ends the scan, visibly.
  return { type: 'error', kind: 'decompress', message: `internal error: ${errorMessage(error)}` };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
