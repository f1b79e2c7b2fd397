/**
 * The second stage of a layer pass: the decompressed bytes are hashed (the diff_id, image-spec
 * config.md `rootfs.diff_ids`) and parsed as a tar (image-spec layer.md) into the file index,
 * which reaches the caller in batches. It runs in the calling thread (`LocalTarIndex`) or in its
 * own worker behind the same `TarIndexSink` interface (src/workers/tar-index-protocol.ts).
 */
import { createDigester, type DigestAlgorithm, type StreamingDigester } from '../spec/digest';
import { type IndexEvent, LayerScanError } from './events';
import { TarParser } from './tar';
import { TarFormatError, type TarEntry } from './tar-entry';

/** Entries reach the caller in batches: often enough to watch a listing grow, rarely enough to stay cheap. */
const ENTRY_BATCH_MS = 50;
const ENTRY_BATCH_SIZE = 2_000;

/** What the second stage is asked to do. */
export interface TarIndexOptions {
  /** Algorithm of the diff_id; undefined when the first stage already knows it (plain tar). */
  diffIdAlgorithm?: DigestAlgorithm;
  extract?: { path: string; limit: number };
}

/** What the second stage found, once the tar has ended. */
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

/** Starts a second stage (in this thread or in a worker). */
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
