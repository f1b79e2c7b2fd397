/**
 * One streaming pass over a layer blob, the proof behind the layer view: the digest of the bytes
 * received (image-spec descriptor.md "Digests"), decompression chosen by magic bytes, the digest of
 * the uncompressed tar (the diff_id, image-spec config.md `rootfs.diff_ids`) and the file index
 * (image-spec layer.md), all while the bytes flow; nothing is buffered beyond a few MiB.
 *
 * Compression is read from the first bytes — gzip `1f 8b`, zstd `28 b5 2f fd`, anything else is
 * a plain tar — because media types lie (Docker's `rootfs.diff.tar.gzip` is used for plain tars,
 * pushers mislabel zstd); `done.mediaTypeCompression` says what the media type claimed.
 * (compression.ts). gzip is decompressed member by member (gzip-members.ts), zstd by `fzstd`
 * (decoders.ts).
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
 * (`scanLayer`, this module) fetches (body-reader.ts), hashes the compressed bytes and
 * decompresses (decoders.ts); the second (a `TarIndexSink`, tar-index.ts, in-thread by default)
 * hashes the decompressed bytes and parses the tar. Measurements and the threading are in
 * src/workers/layer-worker.ts.
 */
import { parseProxyUrl } from '../registry/proxy-url';
import { registryErrorFrom } from '../registry/response';
import { createDigester, parseDigest, type DigestAlgorithm, type StreamingDigester } from '../spec/digest';
import { BodyReader } from './body-reader';
import { type Bytes, type Decoder, MAGIC_LENGTH, compressionOfMediaType, concat, detectCompression } from './compression';
import { createCheckpointingDecoder } from './checkpoint-decoders';
import type { StreamCheckpoint } from './checkpoints';
import { createDecoder } from './decoders';
import { type Compression, type LayerScanEvent, type LayerScanRequest, LayerScanError, aborted, errorEvent, errorMessage } from './events';
import { LocalTarIndex, type TarIndexFactory, type TarIndexSink, type TarIndexSummary } from './tar-index';

const PROGRESS_INTERVAL_MS = 100;

/** How a pass runs: cancellation, where its second stage runs, and (in tests) its fetch. */
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

/** The byte counts a pass reports as progress, throttled so a fast pass does not flood the page. */
class ProgressCounter {
  compressedBytes = 0;
  decompressedBytes = 0;
  private last = -Infinity;

  constructor(
    private readonly emit: (event: LayerScanEvent) => void,
    private readonly total: number | undefined,
  ) {}

  report(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.emit({ type: 'progress', compressedBytes: this.compressedBytes, decompressedBytes: this.decompressedBytes, total: this.total });
  }
}

/** The second stage and the decompressor feeding it, when the pass parses the tar at all. */
interface Unpacking {
  decoder: Decoder;
  index: TarIndexSink;
  /** Filled as the decoder records them, when the request asked for checkpoints. */
  checkpoints?: StreamCheckpoint[];
}

async function runScan(
  request: LayerScanRequest,
  emit: (event: LayerScanEvent) => void,
  options: ScanOptions,
  signal: AbortSignal,
  onIndex: (index: TarIndexSink) => void,
): Promise<void> {
  const digestAlgorithm = parseDigest(request.expectedDigest)?.algorithm ?? 'sha256';
  const response = await fetchBlob(request, options.fetch ?? fetch, signal);
  const total = request.size ?? contentLength(response);
  const reader = new BodyReader(response.body!, signal);
  const hasher = await createDigester(digestAlgorithm);
  const counter = new ProgressCounter(emit, total);

  const { head, ended } = await readHead(reader);
  const compression = detectCompression(head);
  const createIndex = options.createIndex ?? ((o, e) => LocalTarIndex.create(o, e));
  const unpacking =
    request.parseTar === false ? undefined : await startUnpacking(request, { compression, digestAlgorithm, createIndex }, emit, counter);
  if (unpacking) onIndex(unpacking.index);

  // Chunks are lent (BodyReader), so what is kept is a copy; bytes the tab already holds (a
  // layout's File slice, which the browser refuses to read once the file changed) are kept as is.
  const kept: Bytes[] | undefined = request.keep && request.blob === undefined ? [] : undefined;
  let chunk: Bytes | undefined = head.length > 0 ? head : undefined;
  while (chunk !== undefined) {
    hasher.update(chunk);
    kept?.push(chunk.slice());
    counter.compressedBytes += chunk.length;
    if (unpacking) {
      await unpacking.decoder.push(chunk);
      if (!(await unpacking.index.ready())) return; // extraction complete: the 'file' event ended the scan
    }
    counter.report(false);
    chunk = ended ? undefined : await reader.read();
  }

  if (total !== undefined && counter.compressedBytes < total) {
    throw new LayerScanError('truncated', `the download ended after ${counter.compressedBytes} of ${total} bytes`);
  }
  await unpacking?.decoder.end();
  // The last bytes out of the decoder may have completed an extraction.
  if (unpacking && !(await unpacking.index.ready())) return;
  const summary = unpacking ? await unpacking.index.end() : undefined;
  counter.report(true);
  emit(
    doneEvent(request, {
      compression,
      counter,
      hasher,
      summary,
      trailingBytes: unpacking?.decoder.trailingBytes ?? 0,
      kept,
      checkpoints: unpacking?.checkpoints,
    }),
  );
}

/** Gathers the magic bytes before anything is decided; `ended` when the body was shorter. */
async function readHead(reader: BodyReader): Promise<{ head: Bytes; ended: boolean }> {
  let head: Bytes = new Uint8Array(0);
  while (head.length < MAGIC_LENGTH) {
    const next = await reader.read();
    if (next === undefined) return { head, ended: true };
    head = concat(head, next);
  }
  return { head, ended: false };
}

/** Starts the second stage and the decompressor that feeds it. */
async function startUnpacking(
  request: LayerScanRequest,
  how: { compression: Compression; digestAlgorithm: DigestAlgorithm; createIndex: TarIndexFactory },
  emit: (event: LayerScanEvent) => void,
  counter: ProgressCounter,
): Promise<Unpacking> {
  const diffIdAlgorithm = (request.expectedDiffId && parseDigest(request.expectedDiffId)?.algorithm) || 'sha256';
  // A plain tar's diff_id is its digest when the algorithms agree: no need to hash it twice.
  const sameBytes = how.compression === 'none' && how.digestAlgorithm === diffIdAlgorithm;
  const index = await how.createIndex({ diffIdAlgorithm: sameBytes ? undefined : diffIdAlgorithm, extract: request.extract }, emit);
  const output = (chunk: Uint8Array) => {
    counter.decompressedBytes += chunk.length;
    index.write(chunk);
  };
  if (request.checkpoints) {
    const recording = await createCheckpointingDecoder(how.compression, output);
    if (recording) return { decoder: recording, index, checkpoints: recording.checkpoints };
    return { decoder: await createDecoder(how.compression, output), index, checkpoints: [] };
  }
  return { decoder: await createDecoder(how.compression, output), index };
}

/** What the end of a full pass knows, for its 'done' event. */
interface PassResult {
  compression: Compression;
  counter: ProgressCounter;
  hasher: StreamingDigester;
  summary: TarIndexSummary | undefined;
  trailingBytes: number;
  kept: Bytes[] | undefined;
  checkpoints: StreamCheckpoint[] | undefined;
}

function doneEvent(request: LayerScanRequest, result: PassResult): Extract<LayerScanEvent, { type: 'done' }> {
  const { summary, counter } = result;
  const digest = result.hasher.digest();
  const diffId = summary ? (summary.diffId ?? digest) : '';
  const mediaTypeCompression = compressionOfMediaType(request.mediaType);
  return {
    type: 'done',
    compression: result.compression,
    compressedBytes: counter.compressedBytes,
    decompressedBytes: counter.decompressedBytes,
    entryCount: summary?.entryCount ?? 0,
    digest: { expected: request.expectedDigest, computed: digest, ok: digest === request.expectedDigest },
    diffId: {
      expected: request.expectedDiffId,
      computed: diffId,
      ok: request.expectedDiffId !== undefined && diffId !== '' ? diffId === request.expectedDiffId : undefined,
    },
    endMarker: summary?.endMarker ?? false,
    ...(mediaTypeCompression !== undefined && { mediaTypeCompression }),
    ...(result.trailingBytes > 0 && { trailingBytes: result.trailingBytes }),
    ...(result.kept && { kept: new Blob(result.kept, { type: 'application/octet-stream' }) }),
    ...(request.keep && request.blob !== undefined && { kept: request.blob }),
    ...(result.checkpoints && { checkpoints: result.checkpoints }),
  };
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

/** The registry host of a proxy URL, for messages. */
function registryOf(url: string): string {
  return parseProxyUrl(url)?.registry ?? url;
}

function contentLength(response: Response): number | undefined {
  const value = response.headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}
