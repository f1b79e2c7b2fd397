/**
 * The layers of two manifests paired up, answering the seed articles' first question: why does
 * the same image have another digest? A layer's digest covers its compressed bytes, its diff_id
 * (image-spec config.md `rootfs.diff_ids`) the uncompressed tar, so:
 * - the same digest on both sides is the same blob, shared (whatever media type each calls it);
 * - another digest but the same diff_id is the same tar compressed differently (gzip vs zstd vs
 *   none, another gzip level or implementation): recompressed, not changed;
 * - anything else is only in one image.
 * A layer may repeat within a manifest (empty layers often do), so pairing is one to one: each
 * layer of B partners at most one layer of A, earliest first.
 */
import { compressionOfMediaType } from '../layer/compression';
import type { Compression } from '../layer/events';
import type { Descriptor } from '../spec/descriptor';

export type LayerStatus = 'shared' | 'recompressed' | 'only-a' | 'only-b';

/** What a finished, verified layer pass established about a blob. */
export interface ObservedLayer {
  /** Compression read from the blob's first bytes. */
  compression: Compression;
  /** sha256 of the decompressed tar, computed by the pass. */
  diffId: string;
}

export interface LayerSideInput {
  layers: readonly Descriptor[];
  /** `rootfs.diff_ids` of a verified config; ignored when it does not list one per layer. */
  diffIds?: readonly string[];
  /** Passes already done, by layer digest: their diff_id and compression are proven, not claimed. */
  observed?: ReadonlyMap<string, ObservedLayer>;
}

export interface LayerFacts {
  /** Position in its manifest's `layers`, from 0. */
  index: number;
  descriptor: Descriptor;
  diffId?: string;
  /** Where the diff_id came from: a pass over the bytes, or the config's claim. */
  diffIdSource?: 'pass' | 'config';
  compression?: Compression;
  /** Where the compression came from: the blob's first bytes, or its media type. */
  compressionSource?: 'bytes' | 'media type';
}

export interface LayerPair {
  status: LayerStatus;
  a?: LayerFacts;
  b?: LayerFacts;
  /** Both present, media types differ (OCI `tar+gzip` vs Docker `rootfs.diff.tar.gzip`, or a recompression). */
  mediaTypeChanged: boolean;
  /** Both present at different positions. */
  moved: boolean;
  /** B's size minus A's, when both are present. */
  sizeDelta?: number;
}

/** How a compression is named in a sentence. */
export function compressionName(compression: Compression): string {
  return compression === 'none' ? 'uncompressed tar' : compression;
}

function factsOf(side: LayerSideInput): LayerFacts[] {
  const configIds = side.diffIds && side.diffIds.length === side.layers.length ? side.diffIds : undefined;
  return side.layers.map((descriptor, index) => {
    const observed = side.observed?.get(descriptor.digest);
    const claimed = compressionOfMediaType(descriptor.mediaType);
    const facts: LayerFacts = { index, descriptor };
    if (observed) {
      facts.diffId = observed.diffId;
      facts.diffIdSource = 'pass';
    } else if (configIds?.[index]) {
      facts.diffId = configIds[index];
      facts.diffIdSource = 'config';
    }
    if (observed) {
      facts.compression = observed.compression;
      facts.compressionSource = 'bytes';
    } else if (claimed) {
      facts.compression = claimed;
      facts.compressionSource = 'media type';
    }
    return facts;
  });
}

/** Whether a side's diff_ids could be used at all: without them recompression cannot be told apart. */
export function diffIdsKnown(side: LayerSideInput): boolean {
  return factsOf(side).every((f) => f.diffId !== undefined);
}

/** Pairs the layers of A and B; rows come in A's order, each of B's own layers before the next layer both share. */
export function pairLayers(a: LayerSideInput, b: LayerSideInput): LayerPair[] {
  const left = factsOf(a);
  const right = factsOf(b);
  const partner = new Map<LayerFacts, LayerFacts>();
  const taken = new Set<LayerFacts>();
  const match = (same: (x: LayerFacts, y: LayerFacts) => boolean) => {
    for (const x of left) {
      if (partner.has(x)) continue;
      const y = right.find((candidate) => !taken.has(candidate) && same(x, candidate));
      if (y) {
        partner.set(x, y);
        taken.add(y);
      }
    }
  };
  match((x, y) => x.descriptor.digest === y.descriptor.digest);
  match((x, y) => x.diffId !== undefined && x.diffId === y.diffId);

  const rows: { pair: LayerPair; order: [number, number, number] }[] = left.map((x) => ({
    pair: rowOf(x, partner.get(x)),
    order: [x.index, 0, 0],
  }));
  const partnerOfB = new Map([...partner].map(([x, y]) => [y, x]));
  for (const y of right) {
    if (taken.has(y)) continue;
    // Right before the A layer that partners the nearest B layer above it, as `diff` shows a
    // replaced line: A's own layers first, then B's, then what both have again; at the end if none.
    let anchor = Infinity;
    for (let j = y.index + 1; j < right.length && anchor === Infinity; j++) anchor = partnerOfB.get(right[j]!)?.index ?? Infinity;
    rows.push({ pair: rowOf(undefined, y), order: [anchor, -1, y.index] });
  }
  rows.sort((p, q) => compareOrder(p.order[0], q.order[0]) || p.order[1] - q.order[1] || p.order[2] - q.order[2]);
  return rows.map((row) => row.pair);
}

/** Ascending, with Infinity last and equal to itself (Infinity - Infinity is NaN). */
function compareOrder(x: number, y: number): number {
  return x === y ? 0 : x < y ? -1 : 1;
}

function rowOf(a: LayerFacts | undefined, b: LayerFacts | undefined): LayerPair {
  if (a && b) {
    return {
      status: a.descriptor.digest === b.descriptor.digest ? 'shared' : 'recompressed',
      a,
      b,
      mediaTypeChanged: a.descriptor.mediaType !== b.descriptor.mediaType,
      moved: a.index !== b.index,
      ...(Number.isFinite(a.descriptor.size) && Number.isFinite(b.descriptor.size) && { sizeDelta: b.descriptor.size - a.descriptor.size }),
    };
  }
  return a
    ? { status: 'only-a', a, mediaTypeChanged: false, moved: false }
    : { status: 'only-b', b, mediaTypeChanged: false, moved: false };
}

/** Rows per status, for the summary line. */
export function countLayerStatuses(pairs: readonly LayerPair[]): Record<LayerStatus, number> {
  const counts: Record<LayerStatus, number> = { shared: 0, recompressed: 0, 'only-a': 0, 'only-b': 0 };
  for (const pair of pairs) counts[pair.status]++;
  return counts;
}
