/**
 * The first bytes of a blob, asked for with `Range: bytes=0-N` (distribution-spec "Pulling
 * blobs" allows ranged GETs; RFC 9110 §14). They say what a digest names without asking the
 * manifests endpoint by a layer's digest, which the distribution registry answers with HTTP 500
 * UNKNOWN rather than 404. A registry that ignores Range answers 200 with the whole blob: only
 * the first N bytes are read and the rest of the body is cancelled, so no layer is downloaded.
 * The sample is unverified (it is a prefix); it only chooses which page verifies the whole.
 */
import { formatRepository } from '../spec/reference';
import { blobProxyUrl, type RepositoryAddress } from './proxy-url';
import type { RequestSubject } from './response';
import type { CallOptions, Transport } from './transport';

/** What the first bytes of a blob were and what the answer said about the whole. */
export interface BlobStart {
  /** Up to the bytes asked for: a prefix of the blob, not yet verified. */
  bytes: Uint8Array;
  /** True when `bytes` is the whole blob. */
  complete: boolean;
  /** The blob's size from `Content-Range` (206) or `Content-Length` (200), when sent. */
  totalSize?: number;
  /** The Content-Type the registry served; the distribution registry sends octet-stream for all blobs. */
  contentType?: string;
}

/** `bytes 0-4095/123456` → 123456; `*` or anything else → undefined (RFC 9110 §14.4). */
export function totalOfContentRange(header: string | null): number | undefined {
  const match = header ? /^\s*bytes\s+(?:\d+-\d+|\*)\/(\d+)\s*$/i.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

/** The blob's total size from a ranged (206) or whole (200) answer's headers. */
function totalSizeOf(response: Response): number | undefined {
  if (response.status === 206) return totalOfContentRange(response.headers.get('content-range'));
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
}

/** Reads at most `limit` bytes of `body`, then cancels the rest. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Uint8Array; ended: boolean }> {
  if (!body) return { bytes: new Uint8Array(0), ended: true };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    length += value.length;
  }
  if (!ended) await reader.cancel();
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes: bytes.subarray(0, limit), ended: ended && length <= limit };
}

/** GETs the first `limit` bytes of a blob; a RegistryError (e.g. blob-unknown) when it fails. */
export async function fetchBlobStart(
  transport: Transport,
  repo: RepositoryAddress,
  digest: string,
  limit: number,
  call: CallOptions,
): Promise<BlobStart> {
  const subject: RequestSubject = { what: 'blob', name: `${formatRepository(repo)}@${digest}`, registry: repo.registry };
  const response = await transport.request(
    blobProxyUrl(repo, digest),
    subject,
    { headers: { Accept: '*/*', Range: `bytes=0-${limit - 1}` } },
    call,
  );
  const totalSize = totalSizeOf(response);
  const { bytes, ended } = await readPrefix(response.body, limit);
  const complete = totalSize !== undefined ? bytes.length >= totalSize : ended;
  return { bytes, complete, totalSize, contentType: response.headers.get('content-type') ?? undefined };
}
