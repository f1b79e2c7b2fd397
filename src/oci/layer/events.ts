import type { StreamCheckpoint } from './checkpoints';
import type { TarEntry } from './tar-entry';
/**
 * What a layer pass is asked to do and what it reports: the request, the events it emits while the
 * bytes flow, and its one typed failure. Shared by the pass, its stages and the worker protocol,
 * so none of them needs the others' code to speak about a pass.
 */

/** What one pass over a layer blob is asked to do. */
export interface LayerScanRequest {
  /** Same-origin proxy URL of the blob. */
  url: string;
  /** Credentials the user entered for this registry (`Basic …`), sent as X-Ociscope-Registry-Authorization. */
  authorization?: string;
  /**
   * The blob's bytes when this tab already holds them (an OCI layout opened from disk): read
   * instead of fetching `url`, and hashed the same way, so a tampered file still shows.
   */
  blob?: Blob;
  /** Layer digest (sha256:… / sha512:…). */
  expectedDigest: string;
  /** config.rootfs.diff_ids[i], when known. */
  expectedDiffId?: string;
  /** A hint only: compression is detected from magic bytes. */
  mediaType?: string;
  /** Descriptor size, for progress and the size check. */
  size?: number;
  /** Capture the data of one file (its first `limit` bytes), then stop. */
  extract?: { path: string; limit: number };
  /** Default true; false = digest only, nothing decompressed. */
  parseTar?: boolean;
  /**
   * Keep a copy of the bytes received and hand them over in `done.kept`, for a download that is
   * saved only once verified. The whole blob is then held (the browser may page it to disk).
   */
  keep?: boolean;
  /**
   * Record checkpoints (checkpoints.ts) for later ranged reads and hand them over in
   * `done.checkpoints`: gzip and zstd are then decoded by our own decoders (checkpoint-decoders.ts).
   */
  checkpoints?: boolean;
}

/** How a layer's bytes are compressed, as its first bytes say. */
export type Compression = 'gzip' | 'zstd' | 'none';

/** Why a pass failed; each kind gets its own sentence in the UI. */
export type LayerScanErrorKind = 'http' | 'truncated' | 'decompress' | 'tar-format' | 'aborted' | 'network';

/** Everything a pass reports, in order; exactly one 'done', 'file' or 'error' ends it. */
export type LayerScanEvent =
  | { type: 'progress'; compressedBytes: number; decompressedBytes: number; total?: number }
  | { type: 'entries'; entries: TarEntry[] }
  | { type: 'file'; path: string; bytes: Uint8Array; size: number; truncated: boolean }
  | {
      type: 'done';
      compression: Compression;
      compressedBytes: number;
      decompressedBytes: number;
      entryCount: number;
      digest: { expected: string; computed: string; ok: boolean };
      diffId: { expected?: string; computed: string; ok?: boolean };
      endMarker: boolean;
      /** The compression the media type names, when it names one. */
      mediaTypeCompression?: Compression;
      /** Bytes after the last gzip member that were not a gzip member (ignored, like `gzip -d`). */
      trailingBytes?: number;
      /** The bytes received, when the request asked to `keep` them. */
      kept?: Blob;
      /** Where later reads may start, in stream order, when the request asked for `checkpoints` (none for a plain tar). */
      checkpoints?: StreamCheckpoint[];
    }
  | { type: 'error'; kind: LayerScanErrorKind; message: string; status?: number; code?: string };

/** The events the second stage (tar index) emits. */
export type IndexEvent = Extract<LayerScanEvent, { type: 'entries' | 'file' }>;

/**
 * The `code` of a tar-format failure at the very first header: the bytes are not a tar at all
 * (an SBOM, a signature, a file an artifact tool labelled as a layer), which is not damage.
 */
export const NOT_A_TAR = 'not-a-tar';

/** A failure inside a scan; it leaves the scan as an 'error' event. */
export class LayerScanError extends Error {
  override readonly name = 'LayerScanError';
  constructor(
    readonly kind: LayerScanErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The failure a cancelled pass ends with. */
export function aborted(): LayerScanError {
  return new LayerScanError('aborted', 'the scan was cancelled');
}

/** The terminal 'error' event for any failure; one that is not a LayerScanError is a bug of ours. */
export function errorEvent(error: unknown): Extract<LayerScanEvent, { type: 'error' }> {
  if (error instanceof LayerScanError) {
    return {
      type: 'error',
      kind: error.kind,
      message: error.message,
      ...(error.status !== undefined && { status: error.status }),
      ...(error.code !== undefined && { code: error.code }),
    };
  }
  // Anything else is a bug of ours; it still ends the scan, visibly.
  return { type: 'error', kind: 'decompress', message: `internal error: ${errorMessage(error)}` };
}

/** An error's message for a sentence, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
