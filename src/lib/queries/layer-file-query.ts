/**
 * One file's bytes out of a layer, for the file view. A layer verified in full (in this page, or
 * kept in the browser's store) has an index with checkpoints: the file is then fetched on its own
 * with a Range request and its bytes checked against the content digest the full pass recorded
 * (layer-store/file-read-client.ts). Otherwise — the pass still running or failed, a layer of an
 * OCI layout open in this tab — the layer is streamed up to the file, as before. A file whose
 * bytes do not match the recorded digest is reported, and the kept index it came from deleted, so
 * the next visit reads the layer again. Kept briefly: files can be big.
 */
import { queryOptions } from '@tanstack/react-query';
import { RegistryError } from '../../oci/registry/errors';
import { startLayerScan } from '../layer-worker-client';
import { existingLayerScan, type LayerScanTarget } from '../layer-pass-store';
import { readIndexedFile } from '../layer-store/file-read-client';
import { keptLayerStore } from '../layer-store/kept-layers';
import { layoutBlobOfProxyUrl } from '../local-layouts';
import type { FileReadResult } from '../../oci/layer/file-read';
import type { LayerScanEvent } from '../../oci/layer/events';
import { registryKeys } from '../query-keys';
import { blobProxyUrl } from '../../oci/registry/proxy-url';

export interface LayerFile {
  bytes: Uint8Array;
  size: number;
  truncated: boolean;
  access: FileAccess;
}

/** How the bytes were had: streamed from the layer's start, or read on their own from the index. */
export type FileAccess =
  | { kind: 'streamed' }
  | ({ kind: 'ranged'; blobSize?: number; keptAt?: number } & Pick<
      FileReadResult,
      'rangeHonoured' | 'transferred' | 'decodedFrom' | 'content'
    >);

export class FileNotInLayerError extends Error {
  readonly kind = 'file-not-in-layer';
}

function extract(target: LayerScanTarget, path: string, limit: number, signal: AbortSignal): Promise<LayerFile> {
  return new Promise((resolve, reject) => {
    const handle = startLayerScan(
      {
        url: blobProxyUrl(target.repo, target.digest),
        expectedDigest: target.digest,
        mediaType: target.mediaType,
        size: target.size,
        extract: { path, limit },
      },
      (event) => {
        if (event.type === 'file')
          resolve({ bytes: event.bytes, size: event.size, truncated: event.truncated, access: { kind: 'streamed' } });
        else if (event.type === 'done') reject(new FileNotInLayerError(`${path} is not a file in this layer.`));
        else if (event.type === 'error') reject(readFailure(target, event));
      },
    );
    signal.addEventListener('abort', () => handle.cancel());
  });
}

function readFailure(target: LayerScanTarget, event: Extract<LayerScanEvent, { type: 'error' }>): RegistryError {
  return new RegistryError(
    {
      kind: event.kind === 'http' ? 'server-error' : 'unreachable',
      status: event.status,
      code: event.code,
      url: target.digest,
      cause: event.kind,
    },
    event.message,
  );
}

/** The file read on its own when its layer has a verified index with checkpoints; undefined when it has none. */
async function readFromIndex(target: LayerScanTarget, path: string, limit: number, signal: AbortSignal): Promise<LayerFile | undefined> {
  const scan = existingLayerScan(target.repo, target.digest);
  const state = scan?.getSnapshot();
  const result = state?.result;
  const entry = scan?.index.get(path)?.entry;
  const url = blobProxyUrl(target.repo, target.digest);
  if (state?.status !== 'done' || !result?.digest.ok || result.checkpoints === undefined) return undefined;
  if (entry?.type !== 'file' || entry.sparse || layoutBlobOfProxyUrl(url) !== undefined) return undefined;
  const event = await readIndexedFile(
    { url, compression: result.compression, checkpoints: result.checkpoints, blobSize: result.compressedBytes, entry },
    limit,
    signal,
  );
  if (event.type === 'error') throw readFailure(target, event);
  if (event.content.status === 'mismatch') void forgetKeptIndex(target.digest);
  const { bytes, size, truncated, rangeHonoured, transferred, decodedFrom, content } = event;
  return {
    bytes,
    size,
    truncated,
    access: {
      kind: 'ranged',
      rangeHonoured,
      transferred,
      decodedFrom,
      content,
      blobSize: result.compressedBytes,
      keptAt: state.kept?.verifiedAt,
    },
  };
}

/** A kept index whose file bytes did not match is not trusted again: the next visit reads the layer. */
async function forgetKeptIndex(digest: string): Promise<void> {
  const store = await keptLayerStore();
  if (store !== undefined && !('unavailable' in store)) await store.remove(digest);
}

async function readFile(target: LayerScanTarget, path: string, limit: number, signal: AbortSignal): Promise<LayerFile> {
  return (await readFromIndex(target, path, limit, signal)) ?? extract(target, path, limit, signal);
}

export function layerFileQuery(target: LayerScanTarget, path: string, limit: number) {
  return queryOptions({
    queryKey: [...registryKeys.repository(target.repo), 'layer-file', target.digest, path, limit] as const,
    queryFn: ({ signal }) => readFile(target, path, limit, signal),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}
