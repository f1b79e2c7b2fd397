/**
 * One file out of a layer that was read in full before, fetched on its own: the blob bytes the
 * file needs are asked for with a `Range` header (RFC 9110 §14), decoding starts at the
 * checkpoint before the file (checkpoints.ts: a deflate block with its 32 KiB window, a gzip
 * member, a zstd frame) or, in a plain tar, at the file's own first byte, and the file's bytes
 * are hashed and compared with the SHA-256 the full pass recorded for it (content-digest.ts).
 * That comparison is the proof: the bytes shown are the bytes the verified pass hashed.
 *
 * A registry (or a relay) that ignores Range answers 200 with the whole blob: the bytes before
 * the planned start are skipped as they arrive and the read goes on from the checkpoint, so it
 * still works, only the download is longer; `rangeHonoured` says which happened. Any other
 * answer (a 206 starting elsewhere, an error) fails the read with a message.
 */
import { parseProxyUrl } from '../registry/proxy-url';
import { registryErrorFrom } from '../registry/response';
import { createDigester } from '../spec/digest';
import { BodyReader } from './body-reader';
import { blobRangeFor, type StreamCheckpoint } from './checkpoints';
import { type Compression, LayerScanError, aborted, errorEvent, errorMessage } from './events';
import { GzipInflater, type GzipCheckpoint } from './gzip-inflate';
import { ZstdInflater } from './zstd-inflate';

/** Files up to this size are read whole, so their digest can be checked even when only a preview is shown. */
export const VERIFY_LIMIT = 16 << 20;

/** Where one file's bytes are and what they must hash to, from a verified layer's index. */
export interface FileLocation {
  compression: Compression;
  /** The layer's checkpoints in stream order (none for a plain tar). */
  checkpoints: readonly StreamCheckpoint[];
  blobSize?: number;
  /** Offset of the file's first byte in the tar, and its size. */
  dataOffset: number;
  size: number;
  /** `sha256:<hex>` the full pass computed for the file's content. */
  contentDigest?: string;
}

/** The blob bytes to ask for and where decoding starts: planned on the page, sent to the worker. */
export interface FileReadPlan {
  /** First blob byte wanted, and one past the last (undefined: to the end of the blob). */
  start: number;
  end: number | undefined;
  /** The checkpoint decoding resumes at; undefined starts at `start` (plain tar) or the blob's first byte. */
  from: StreamCheckpoint | undefined;
  compression: Compression;
  /** Tar bytes [dataOffset, dataOffset + readLength) are decoded and hashed; the first `keep` are returned. */
  dataOffset: number;
  readLength: number;
  keep: number;
  size: number;
  contentDigest?: string;
}

/** Plans the read of a file's first `limit` bytes (all of it when small enough to verify). */
export function planFileRead(location: FileLocation, limit: number): FileReadPlan {
  const keep = Math.min(limit, location.size);
  const readLength = location.size <= VERIFY_LIMIT ? location.size : keep;
  const { dataOffset, compression, size, contentDigest } = location;
  const base = { compression, dataOffset, readLength, keep, size, ...(contentDigest !== undefined && { contentDigest }) };
  if (compression === 'none') return { ...base, start: dataOffset, end: dataOffset + readLength, from: undefined };
  const range = blobRangeFor(location.checkpoints, dataOffset, dataOffset + readLength, location.blobSize);
  return { ...base, ...range };
}

/** What the worker is asked to do. */
export interface FileReadRequest {
  url: string;
  authorization?: string;
  plan: FileReadPlan;
}

/** How the bytes were had and whether they are the ones the full pass verified. */
export interface FileReadResult {
  type: 'read';
  bytes: Uint8Array<ArrayBuffer>;
  size: number;
  truncated: boolean;
  /** 'match' / 'mismatch' against the recorded digest; 'unchecked' when only a preview of a big file was read or none was recorded. */
  content: { status: 'match' | 'mismatch' | 'unchecked'; expected?: string; computed?: string };
  /** False when the answer was 200 with the whole blob. */
  rangeHonoured: boolean;
  /** Body bytes received. */
  transferred: number;
  /** The blob bytes asked for. */
  requested: { start: number; end: number | undefined };
  /** Tar offset decoding started at (the checkpoint's). */
  decodedFrom: number;
}

export type FileReadEvent = FileReadResult | ReturnType<typeof errorEvent>;

/** Runs one read; resolves with the result or the failure as an event, never rejects. */
export async function readFileRange(
  request: FileReadRequest,
  options: { fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<FileReadEvent> {
  const download = new AbortController();
  const abort = () => download.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', abort);
  try {
    if (options.signal?.aborted) throw aborted();
    return await runRead(request, options.fetch ?? fetch, download.signal);
  } catch (error) {
    return errorEvent(options.signal?.aborted ? aborted() : error);
  } finally {
    options.signal?.removeEventListener('abort', abort);
    download.abort();
  }
}

async function runRead(request: FileReadRequest, fetchImpl: typeof fetch, signal: AbortSignal): Promise<FileReadResult> {
  const { plan } = request;
  const response = await fetchRange(request, fetchImpl, signal);
  const rangeHonoured = response.status === 206;
  if (rangeHonoured) checkContentRange(response.headers.get('content-range'), plan.start);
  const reader = new BodyReader(response.body!, signal);
  const sink = new FileSink(plan, await createDigester('sha256'));
  const decoder = await decoderFor(plan, (chunk) => sink.write(chunk));
  // A 200 carries the whole blob: what comes before the planned start is skipped as it arrives.
  let skip = rangeHonoured ? 0 : plan.start;
  let transferred = 0;
  while (!sink.full) {
    const chunk = await reader.read();
    if (chunk === undefined) {
      decoder.finish();
      break;
    }
    transferred += chunk.length;
    const usable = skip >= chunk.length ? undefined : chunk.subarray(skip);
    skip = Math.max(0, skip - chunk.length);
    if (usable) decoder.push(usable);
  }
  if (!sink.full) throw new LayerScanError('truncated', `the blob ended before the file did (${sink.filled} of ${plan.readLength} bytes)`);
  return {
    type: 'read',
    ...sink.result(),
    rangeHonoured,
    transferred,
    requested: { start: plan.start, end: plan.end },
    decodedFrom: plan.from?.out ?? (plan.compression === 'none' ? plan.start : 0),
  };
}

/** Gathers the file's bytes out of the decoded tar stream, hashing all it reads. */
class FileSink {
  filled = 0;
  private position: number;
  private readonly kept: Uint8Array<ArrayBuffer>;

  constructor(
    private readonly plan: FileReadPlan,
    private readonly hasher: Awaited<ReturnType<typeof createDigester>>,
  ) {
    this.position = plan.from?.out ?? (plan.compression === 'none' ? plan.start : 0);
    this.kept = new Uint8Array(plan.keep);
  }

  get full(): boolean {
    return this.filled >= this.plan.readLength;
  }

  write(chunk: Uint8Array): void {
    const at = this.position;
    this.position += chunk.length;
    const begin = Math.max(0, this.plan.dataOffset + this.filled - at);
    const take = Math.min(chunk.length - begin, this.plan.readLength - this.filled);
    if (take <= 0) return;
    const part = chunk.subarray(begin, begin + take);
    this.hasher.update(part);
    if (this.filled < this.plan.keep) this.kept.set(part.subarray(0, this.plan.keep - this.filled), this.filled);
    this.filled += take;
  }

  result(): Pick<FileReadResult, 'bytes' | 'size' | 'truncated' | 'content'> {
    const { plan } = this;
    const whole = plan.readLength === plan.size;
    const computed = whole ? this.hasher.digest() : undefined;
    const expected = plan.contentDigest;
    const status = computed === undefined || expected === undefined ? 'unchecked' : computed === expected ? 'match' : 'mismatch';
    return {
      bytes: this.kept,
      size: plan.size,
      truncated: plan.keep < plan.size,
      content: { status, ...(expected !== undefined && { expected }), ...(computed !== undefined && { computed }) },
    };
  }
}

interface RangeDecoder {
  push(chunk: Uint8Array): void;
  /** The input ended (the range's end, or the blob's). */
  finish(): void;
}

async function decoderFor(plan: FileReadPlan, output: (chunk: Uint8Array) => void): Promise<RangeDecoder> {
  const guard = (what: string, step: () => void) => {
    try {
      step();
    } catch (error) {
      throw new LayerScanError('decompress', `${what}: ${errorMessage(error)}`);
    }
  };
  switch (plan.compression) {
    case 'none':
      return { push: output, finish: () => undefined };
    case 'gzip': {
      const inflater = await GzipInflater.create({ output, resume: plan.from as GzipCheckpoint | undefined });
      // A range that stops short of the blob's end stops mid-stream: drained, not ended.
      return { push: (c) => guard('gzip', () => inflater.push(c)), finish: () => guard('gzip', () => inflater.drain()) };
    }
    case 'zstd': {
      const inflater = await ZstdInflater.create({ output, resume: plan.from });
      return { push: (c) => guard('zstd', () => inflater.push(c)), finish: () => guard('zstd', () => inflater.drain()) };
    }
  }
}

async function fetchRange(request: FileReadRequest, fetchImpl: typeof fetch, signal: AbortSignal): Promise<Response> {
  const { start, end } = request.plan;
  const headers: Record<string, string> = { Range: `bytes=${start}-${end === undefined ? '' : end - 1}` };
  if (request.authorization !== undefined) headers['X-Ociscope-Registry-Authorization'] = request.authorization;
  let response: Response;
  try {
    response = await fetchImpl(request.url, { signal, headers });
  } catch (error) {
    if (signal.aborted) throw aborted();
    throw new LayerScanError('network', `the file could not be fetched: ${errorMessage(error)}`);
  }
  if (response.status !== 200 && response.status !== 206) {
    const registry = parseProxyUrl(request.url)?.registry ?? request.url;
    const failure = await registryErrorFrom(response, { what: 'blob', name: request.url, registry });
    throw new LayerScanError('http', failure.message, response.status, failure.detail.code);
  }
  if (!response.body) throw new LayerScanError('truncated', 'the response has no body');
  return response;
}

/** A 206 must start where asked (RFC 9110 §14.4); bytes from elsewhere would decode into nonsense. */
function checkContentRange(header: string | null, start: number): void {
  const match = header === null ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!match) throw new LayerScanError('http', `the registry answered 206 without a usable Content-Range (${header ?? 'none'})`);
  if (Number(match[1]) !== start) {
    throw new LayerScanError('http', `the registry answered with bytes from ${match[1]}, not from ${start} as asked`);
  }
}
