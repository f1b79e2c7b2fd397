/**
 * The second stage of a layer pass on its own thread: the layer worker (first stage: fetch,
 * digest, decompression) hands decompressed bytes to a nested worker that hashes them (diff_id)
 * and parses the tar. This file is both sides' vocabulary and the first stage's end of it,
 * a `TarIndexSink` that posts batches and keeps at most a few MiB in flight.
 *
 * Chunks are transferred, never copied, and batched (≥ 1 MiB, or whatever 50 ms gathered) so
 * the cost of a message is spread over many chunks. The second stage acknowledges each batch;
 * the first stops decompressing while `WINDOW` bytes are unacknowledged, which bounds memory
 * when the second stage is the slower one.
 */
import type { IndexEvent, LayerScanErrorKind } from '../oci/layer/events';
import { LayerScanError } from '../oci/layer/events';
import type { TarIndexOptions, TarIndexSink, TarIndexSummary } from '../oci/layer/tar-index';

export type ToTarIndex =
  { type: 'start'; options: TarIndexOptions } | { type: 'chunks'; chunks: Uint8Array<ArrayBuffer>[] } | { type: 'end' };

export type FromTarIndex =
  | { type: 'event'; event: IndexEvent }
  /** A batch was taken in; `wanted` turns false once an extraction has its file. */
  | { type: 'consumed'; bytes: number; wanted: boolean }
  | { type: 'summary'; summary: TarIndexSummary }
  /** `kind` is absent for failures that are bugs rather than bad input. */
  | { type: 'failed'; kind?: LayerScanErrorKind; message: string; code?: string };

const BATCH_BYTES = 1 << 20;
const BATCH_MS = 50;
const WINDOW_BYTES = 8 << 20;

/** Transfers need the whole buffer; a view into a larger one is copied out first. */
export function ownBuffer(chunk: Uint8Array): Uint8Array<ArrayBuffer> {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer
    ? (chunk as Uint8Array<ArrayBuffer>)
    : chunk.slice();
}

/** Starts the second stage's worker; a `TarIndexFactory` for `scanLayer`. */
export async function connectTarIndexWorker(options: TarIndexOptions, emit: (event: IndexEvent) => void): Promise<TarIndexSink> {
  const worker = new Worker(new URL('./tar-index-worker.ts', import.meta.url), { type: 'module' });
  const message: ToTarIndex = { type: 'start', options };
  worker.postMessage(message);
  return new RemoteTarIndex(worker, emit);
}

class RemoteTarIndex implements TarIndexSink {
  private batch: Uint8Array<ArrayBuffer>[] = [];
  private batchBytes = 0;
  private lastPost = performance.now();
  private postTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = 0;
  private wanted = true;
  private failure: Error | undefined;
  private waiting: { resolve: (wanted: boolean) => void; reject: (error: Error) => void } | undefined;
  private ending: { resolve: (summary: TarIndexSummary) => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly emit: (event: IndexEvent) => void,
  ) {
    worker.onmessage = (message: MessageEvent<FromTarIndex>) => this.receive(message.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(new Error(`the tar index worker failed: ${event.message}`));
    };
  }

  write(chunk: Uint8Array): void {
    this.batch.push(ownBuffer(chunk));
    this.batchBytes += chunk.length;
    if (this.batchBytes >= BATCH_BYTES || performance.now() - this.lastPost >= BATCH_MS) this.post();
    // A stalled download must not hold back the entries of what did arrive.
    else this.postTimer ??= setTimeout(() => this.post(), BATCH_MS);
  }

  ready(): Promise<boolean> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.wanted || this.inFlight < WINDOW_BYTES) return Promise.resolve(this.wanted);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  end(): Promise<TarIndexSummary> {
    if (this.failure) return Promise.reject(this.failure);
    this.post();
    const message: ToTarIndex = { type: 'end' };
    this.worker.postMessage(message);
    return new Promise((resolve, reject) => (this.ending = { resolve, reject }));
  }

  close(): void {
    clearTimeout(this.postTimer);
    this.worker.terminate();
  }

  private post(): void {
    clearTimeout(this.postTimer);
    this.postTimer = undefined;
    if (this.batch.length === 0) return;
    const message: ToTarIndex = { type: 'chunks', chunks: this.batch };
    this.worker.postMessage(
      message,
      this.batch.map((chunk) => chunk.buffer),
    );
    this.inFlight += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.lastPost = performance.now();
  }

  private receive(message: FromTarIndex): void {
    switch (message.type) {
      case 'event':
        this.emit(message.event);
        break;
      case 'consumed':
        this.inFlight -= message.bytes;
        this.wanted = message.wanted;
        if (this.waiting && (!this.wanted || this.inFlight < WINDOW_BYTES)) {
          this.waiting.resolve(this.wanted);
          this.waiting = undefined;
        }
        break;
      case 'summary':
        this.ending?.resolve(message.summary);
        break;
      case 'failed':
        this.fail(message.kind ? new LayerScanError(message.kind, message.message, undefined, message.code) : new Error(message.message));
        break;
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(error);
    this.ending?.reject(error);
    this.waiting = this.ending = undefined;
  }
}
