/**
 * One file's bytes out of a layer, for the file view. Layers are compressed streams without an
 * index, so the file is reached by streaming the layer up to it (the browser's HTTP cache
 * usually serves the blob again, as the proxy marks it immutable). Kept briefly: files can be big.
 */
import { queryOptions } from '@tanstack/react-query';
import { RegistryError } from '../../oci/registry/errors';
import { startLayerScan } from '../layer-worker-client';
import { type LayerScanTarget } from '../layer-pass-store';
import { registryKeys } from '../query-keys';
import { blobProxyUrl } from '../../oci/registry/proxy-url';

export interface LayerFile {
  bytes: Uint8Array;
  size: number;
  truncated: boolean;
}

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
        if (event.type === 'file') resolve({ bytes: event.bytes, size: event.size, truncated: event.truncated });
        else if (event.type === 'done') reject(new FileNotInLayerError(`${path} is not a file in this layer.`));
        else if (event.type === 'error') {
          reject(
            new RegistryError(
              {
                kind: event.kind === 'http' ? 'server-error' : 'unreachable',
                status: event.status,
                code: event.code,
                url: target.digest,
                cause: event.kind,
              },
              event.message,
            ),
          );
        }
      },
    );
    signal.addEventListener('abort', () => handle.cancel());
  });
}

export function layerFileQuery(target: LayerScanTarget, path: string, limit: number) {
  return queryOptions({
    queryKey: [...registryKeys.repository(target.repo), 'layer-file', target.digest, path, limit] as const,
    queryFn: ({ signal }) => extract(target, path, limit, signal),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}
