/**
 * Blobs a layout holds that nothing in its index.json reaches — every blob of a `docker save`
 * of an image saved by ID (Docker 25 writes `"manifests": null`), or leftovers of a tool that
 * did not clean up — each described by what its own bytes are: an index, a manifest, a config,
 * another JSON document, or a layer's tar/gzip/zstd stream (sniff.ts, digest-target.ts). Only the
 * first bytes are read, except for JSON, which is small and read whole to be named.
 */
import { type DigestTarget, targetOfDocument, targetOfStart } from '../registry/digest-target';
import { MAX_DOCUMENT_BYTES } from '../spec/limits';
import { SNIFF_BYTES } from '../supply/sniff';

/** A blob index.json does not reach, and what it is. */
export interface UnreachedBlob {
  digest: string;
  size: number;
  target: DigestTarget;
  /** True when manifest.json (a docker save's list of images) reaches it instead. */
  viaManifestJson: boolean;
}

/** Describing costs a read per blob; past this many the rest are counted, not described. */
export const MAX_DESCRIBED_BLOBS = 1000;

async function describe(blob: Blob): Promise<DigestTarget> {
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const first = targetOfStart(head, blob.size <= SNIFF_BYTES);
  if (first !== 'json') return first;
  if (blob.size > MAX_DOCUMENT_BYTES) return { kind: 'document' };
  try {
    return targetOfDocument(JSON.parse(new TextDecoder().decode(await blob.arrayBuffer())));
  } catch {
    // It started like JSON but is not: say so as a document, its page shows the parse error.
    return { kind: 'document' };
  }
}

/**
 * The blobs not in `reachedFromIndex`, described, in digest order; `reachedFromManifestJson`
 * marks those a docker save's manifest.json names. Returns how many were left undescribed.
 */
export async function describeUnreachedBlobs(
  blobs: ReadonlyMap<string, Blob>,
  reachedFromIndex: ReadonlySet<string>,
  reachedFromManifestJson: ReadonlySet<string>,
): Promise<{ unreached: UnreachedBlob[]; undescribed: number }> {
  const digests = [...blobs.keys()].filter((d) => !reachedFromIndex.has(d)).sort();
  const unreached: UnreachedBlob[] = [];
  for (const digest of digests.slice(0, MAX_DESCRIBED_BLOBS)) {
    const blob = blobs.get(digest)!;
    unreached.push({ digest, size: blob.size, target: await describe(blob), viaManifestJson: reachedFromManifestJson.has(digest) });
  }
  return { unreached, undescribed: Math.max(0, digests.length - MAX_DESCRIBED_BLOBS) };
}

/** "image manifest", "gzip stream (a layer)", … for a list of unreached blobs. */
export function describeTarget(target: DigestTarget): string {
  switch (target.kind) {
    case 'index':
      return 'image index';
    case 'manifest':
      return 'image manifest';
    case 'config':
      return 'image config';
    case 'document':
      return 'JSON document';
    case 'layer':
      return target.sniffed === 'tar' ? 'tar archive (a layer)' : `${target.sniffed} stream (a compressed layer)`;
    case 'other':
      return target.sniffed === 'empty' ? 'empty' : target.sniffed === 'binary' ? 'binary data' : target.sniffed;
  }
}
