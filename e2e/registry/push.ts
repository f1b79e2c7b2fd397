/**
 * A minimal write client for the distribution API (OCI distribution-spec "Push"), used only to
 * seed the e2e registry. Our product is read-only, so this lives with the tests; it is written
 * against the spec rather than borrowed from a tool so the suite controls every byte it pushes.
 *
 * - Blobs: monolithic upload, `POST /v2/<name>/blobs/uploads/` then `PUT <Location>&digest=…`.
 *   The Location may be relative and may already carry a query (distribution adds `_state`).
 * - Manifests: `PUT /v2/<name>/manifests/<tag|digest>` with the manifest's own media type as
 *   Content-Type; the registry answers with the digest it computed, which must equal ours.
 */
import { sha256Digest } from '../../src/test-support/digest.ts';

export interface PushedContent {
  digest: string;
  size: number;
}

export class PushError extends Error {
  override readonly name = 'PushError';
  constructor(
    readonly kind: 'unexpected-status' | 'digest-mismatch' | 'missing-location',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Uploads `bytes` to `repo` unless the registry already links that blob into the repository. */
export async function pushBlob(
  registryUrl: string,
  repo: string,
  bytes: Uint8Array<ArrayBuffer>,
  /** Extra request headers, e.g. Authorization for a registry with auth. */
  extraHeaders: Record<string, string> = {},
): Promise<PushedContent> {
  const digest = sha256Digest(bytes);
  const pushed = { digest, size: bytes.byteLength };

  const head = await fetch(`${registryUrl}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers: extraHeaders });
  if (head.status === 200) return pushed;
  if (head.status !== 404) throw await unexpected(head, `HEAD blob ${digest} in ${repo}`);

  const start = await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: extraHeaders });
  if (start.status !== 202) throw await unexpected(start, `start upload to ${repo}`);
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (location === null) {
    throw new PushError('missing-location', `upload to ${repo} was accepted without a Location header`);
  }

  const uploadUrl = new URL(location, `${registryUrl}/v2/${repo}/blobs/uploads/`);
  uploadUrl.searchParams.set('digest', digest);
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { ...extraHeaders, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  if (put.status !== 201) throw await unexpected(put, `finish upload of ${digest} to ${repo}`);
  await put.body?.cancel();
  return pushed;
}

/** Puts a manifest (image, index, list, artifact) under a tag or under its own digest. */
export async function pushManifest(
  registryUrl: string,
  repo: string,
  reference: string,
  mediaType: string,
  bytes: Uint8Array<ArrayBuffer>,
  extraHeaders: Record<string, string> = {},
): Promise<PushedContent> {
  const digest = sha256Digest(bytes);
  const put = await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...extraHeaders, 'content-type': mediaType },
    body: bytes,
  });
  if (put.status !== 201) throw await unexpected(put, `PUT manifest ${repo}:${reference} (${mediaType})`);
  await put.body?.cancel();
  const registryDigest = put.headers.get('docker-content-digest');
  if (registryDigest !== null && registryDigest !== digest) {
    throw new PushError('digest-mismatch', `registry stored ${repo}:${reference} as ${registryDigest}, we computed ${digest}`);
  }
  return { digest, size: bytes.byteLength };
}

async function unexpected(response: Response, action: string): Promise<PushError> {
  const body = await response.text();
  return new PushError('unexpected-status', `${action}: HTTP ${response.status} ${body.slice(0, 2_000)}`, response.status);
}
