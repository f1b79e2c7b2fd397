/**
 * A blob download that is saved only once it is proven to be the blob asked for: one digest-only
 * pass of the layer worker (no decompression) fetches it through the proxy — with the
 * credentials the user entered for the registry, which a plain `<a download>` cannot send — hashes
 * it as it arrives, and keeps a copy. The copy becomes the saved file when its digest matches;
 * when it does not, the caller gets both digests and the bytes, to say so loudly and let the
 * user save them knowingly.
 */
import { essence, kindOf } from '../oci/spec/media-types';
import { startLayerScan } from './layer-worker-client';
import type { RepositoryName } from './view-urls';
import type { Compression, LayerScanEvent } from '../oci/layer/events';
import { blobProxyUrl } from '../oci/registry/proxy-url';

export interface BlobDownloadTarget {
  readonly repo: RepositoryName;
  readonly digest: string;
  readonly mediaType?: string;
  readonly size?: number;
}

export type BlobDownloadState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'downloading'; readonly receivedBytes: number; readonly total?: number }
  | { readonly phase: 'verified'; readonly file: Blob; readonly name: string }
  | { readonly phase: 'mismatch'; readonly file: Blob; readonly name: string; readonly computed: string }
  | { readonly phase: 'failed'; readonly message: string };

export interface BlobDownloadHandle {
  cancel(): void;
}

export function startBlobDownload(target: BlobDownloadTarget, onState: (state: BlobDownloadState) => void): BlobDownloadHandle {
  const onEvent = (event: LayerScanEvent): void => {
    if (event.type === 'progress') {
      onState({ phase: 'downloading', receivedBytes: event.compressedBytes, ...(event.total === undefined ? {} : { total: event.total }) });
    } else if (event.type === 'error') {
      onState({ phase: 'failed', message: event.kind === 'aborted' ? 'Download cancelled.' : event.message });
    } else if (event.type === 'done') {
      if (event.kept === undefined) {
        onState({ phase: 'failed', message: 'The download finished without its bytes.' });
        return;
      }
      const name = blobFileName(target.digest, target.mediaType, event.compression);
      onState(
        event.digest.ok
          ? { phase: 'verified', file: event.kept, name }
          : { phase: 'mismatch', file: event.kept, name, computed: event.digest.computed },
      );
    }
  };
  onState({ phase: 'downloading', receivedBytes: 0, ...(target.size === undefined ? {} : { total: target.size }) });
  return startLayerScan(
    {
      url: blobProxyUrl(target.repo, target.digest),
      expectedDigest: target.digest,
      parseTar: false,
      keep: true,
      ...(target.mediaType === undefined ? {} : { mediaType: target.mediaType }),
      ...(target.size === undefined ? {} : { size: target.size }),
    },
    onEvent,
  );
}

const COMPRESSED_SUFFIX: Readonly<Record<Compression, string>> = { gzip: '.gz', zstd: '.zst', none: '' };

/**
 * `sha256-<hex>` plus what the file is, so the saved file opens with the right tool: a layer's
 * extension follows the compression its bytes showed (media types lie), other blobs' follows
 * the media type's structured suffix.
 */
export function blobFileName(digest: string, mediaType: string | undefined, compression: Compression): string {
  const base = digest.replace(':', '-');
  const kind = kindOf(mediaType);
  if (kind === 'json' || kind === 'config' || kind === 'index' || kind === 'manifest') return `${base}.json`;
  // Layers, and artifact types that say they are tars (`….tar+gzip`, `…+tar`).
  if (kind === 'layer' || /[.+]tar(\+|$)/.test(essence(mediaType ?? ''))) return `${base}.tar${COMPRESSED_SUFFIX[compression]}`;
  return `${base}${COMPRESSED_SUFFIX[compression]}`;
}
