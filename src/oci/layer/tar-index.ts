/**
 * The second stage of a layer pass: the decompressed bytes are hashed (the diff_id, image-spec
 * config.md `rootfs.diff_ids`) and parsed as a tar (image-spec layer.md) into the file index,
 * which reaches the caller in batches, every regular file with the SHA-256 of its content
 * (content-digest.ts). It runs in the calling thread (`LocalTarIndex`) or in its own worker
 * behind the same `TarIndexSink` interface (src/workers/tar-index-protocol.ts).
 *
 * A file's digest may come later than its bytes (WebCrypto answers asynchronously), so entries
 * leave in archive order, each once its digest is known; `end` waits for the last ones.
 */
import { createDigester, type DigestAlgorithm, type StreamingDigester } from '../spec/digest';
import { ContentDigester, type FileDigest } from './content-digest';
import { type IndexEvent, LayerScanError, NOT_A_TAR } from './events';
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

/** A tar failure as a scan failure; one at offset 0 means the bytes were never a tar. */
function tarFailure(error: TarFormatError): LayerScanError {
  return new LayerScanError('tar-format', error.message, undefined, error.offset === 0 ? NOT_A_TAR : undefined);
}

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
  /** The file whose content is being hashed, and how many of its bytes are still to come. */
  private hashing: { entry: TarEntry; digest: FileDigest; left: number } | undefined;
  /** Entries held back until their digest arrives, and those digests' promises. */
  private readonly awaiting = new Set<TarEntry>();
  private readonly digests = new Set<Promise<void>>();

  static async create(options: TarIndexOptions, emit: (event: IndexEvent) => void): Promise<LocalTarIndex> {
    const hasher = options.diffIdAlgorithm ? await createDigester(options.diffIdAlgorithm) : undefined;
    // An extraction stops at its file: digests of the files before it would be work for nothing.
    const contents = options.extract ? undefined : await ContentDigester.create();
    return new LocalTarIndex(options, emit, hasher, contents);
  }

  private constructor(
    private readonly options: TarIndexOptions,
    private readonly emit: (event: IndexEvent) => void,
    private readonly hasher: StreamingDigester | undefined,
    private readonly contents: ContentDigester | undefined,
  ) {
    this.parser = new TarParser({
      entry: (entry) => this.onEntry(entry),
      data: (entry, chunk) => this.onData(entry, chunk),
    });
  }

  write(chunk: Uint8Array): void {
    if (this.failure !== undefined || !this.wanted) return;
    this.hasher?.update(chunk);
    try {
      this.parser.push(chunk);
    } catch (error) {
      // write() is called from inside stream callbacks, so failures wait for ready() to be seen.
      this.failure = error instanceof TarFormatError ? tarFailure(error) : error;
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
      throw tarFailure(error);
    } finally {
      await Promise.all(this.digests);
      this.flush();
    }
    if (this.failure !== undefined) throw this.failure;
    return { diffId: this.hasher?.digest(), entryCount: this.entryCount, endMarker };
  }

  close(): void {
    clearTimeout(this.flushTimer);
  }

  private onEntry(entry: TarEntry): void {
    this.entryCount++;
    this.pending.push(entry);
    if (this.contents && entry.type === 'file' && !entry.sparse) {
      this.hashing = { entry, digest: this.contents.begin(entry.size), left: entry.size };
      if (entry.size === 0) this.finishDigest();
    }
    if (this.pending.length >= ENTRY_BATCH_SIZE) this.flush();
    const extract = this.options.extract;
    if (extract && this.wanted && !this.capture && entry.type === 'file' && !entry.sparse && entry.path === extract.path) {
      this.capture = { entry, bytes: new Uint8Array(Math.min(entry.size, extract.limit)), filled: 0 };
      if (this.capture.bytes.length === 0) this.wanted = false;
    }
  }

  private onData(entry: TarEntry, chunk: Uint8Array): void {
    const hashing = this.hashing;
    if (hashing && hashing.entry === entry) {
      hashing.digest.update(chunk);
      hashing.left -= chunk.length;
      if (hashing.left === 0) this.finishDigest();
    }
    const capture = this.capture;
    if (!capture || capture.entry !== entry || !this.wanted) return;
    const take = Math.min(chunk.length, capture.bytes.length - capture.filled);
    // The parser hands out views of the pushed chunk, which a worker may transfer away: copy.
    capture.bytes.set(chunk.subarray(0, take), capture.filled);
    capture.filled += take;
    if (capture.filled === capture.bytes.length) this.wanted = false;
  }

  private finishDigest(): void {
    const { entry, digest } = this.hashing!;
    this.hashing = undefined;
    const result = digest.finish();
    if (typeof result === 'string') {
      entry.contentDigest = result;
      return;
    }
    this.awaiting.add(entry);
    const settled = result.then(
      (value) => {
        entry.contentDigest = value;
      },
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    const tracked = settled.then(() => {
      this.awaiting.delete(entry);
      this.digests.delete(tracked);
      if (this.pending.length > 0) this.flushSoon();
    });
    this.digests.add(tracked);
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

  /** Emits the entries gathered so far, up to the first whose digest has not arrived. */
  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.lastFlush = performance.now();
    let ready = this.pending.length;
    if (this.awaiting.size > 0) {
      ready = this.pending.findIndex((entry) => this.awaiting.has(entry));
      if (ready < 0) ready = this.pending.length;
    }
    if (ready === 0) return;
    const entries = ready === this.pending.length ? this.pending : this.pending.slice(0, ready);
    this.pending = ready === this.pending.length ? [] : this.pending.slice(ready);
    this.emit({ type: 'entries', entries });
  }
}
