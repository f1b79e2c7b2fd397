/**
 * Manifest against manifest (image-spec manifest.md; Docker manifest v2.2): the seed articles'
 * "what does the Docker v2.2 copy of an OCI image change?" and "which layers do these images
 * share?". Media types of manifest, config and layers side by side, the config blob, layers
 * paired as layer-diff.ts does, sizes with their delta, annotations, artifactType and subject.
 * Works for artifacts too: nothing here assumes the config is an image config or the layers tars.
 */
import type { Descriptor } from '../spec/descriptor';
import type { ImageManifest } from '../spec/manifest';
import { type EntryPair, type ValuePair, entryPair, valuePair } from './index-diff';
import { type KeyedChange, diffRecords } from './keyed-diff';
import { type LayerPair, type LayerSideInput, type LayerStatus, countLayerStatuses, diffIdsKnown, pairLayers } from './layer-diff';

export interface ManifestSideInput extends Omit<LayerSideInput, 'layers'> {
  manifest: ImageManifest;
}

export interface SizeTotals {
  config: number;
  layers: number;
  /** Config and layers: what a pull downloads besides the manifest itself. */
  total: number;
}

export interface MediaTypeRow {
  /** 'manifest', 'config', or the layer media type's role ("layers"). */
  part: 'manifest' | 'config' | 'layers';
  /** Distinct media types of this part in A and B, in order of first appearance. */
  a: string[];
  b: string[];
  same: boolean;
}

export interface ManifestDiff {
  mediaTypes: MediaTypeRow[];
  artifactType: ValuePair<string>;
  config: EntryPair;
  layers: LayerPair[];
  layerCounts: Record<LayerStatus, number>;
  /** Whether each side's diff_ids were known; without both, recompressed layers look like only-a/only-b. */
  diffIdsKnown: { a: boolean; b: boolean };
  sizes: { a: SizeTotals; b: SizeTotals; delta: number };
  /** Bytes of the layers B shares with A by digest: what a pull of B skips when A is present. */
  sharedBytes: number;
  annotations: KeyedChange<string>[];
  subject: ValuePair<string>;
}

function finiteSize(d: Descriptor | undefined): number {
  return d && Number.isFinite(d.size) ? d.size : 0;
}

function totals(manifest: ImageManifest): SizeTotals {
  const config = finiteSize(manifest.config);
  const layers = manifest.layers.reduce((sum, d) => sum + finiteSize(d), 0);
  return { config, layers, total: config + layers };
}

function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.map((v) => v ?? '(none)'))];
}

function mediaTypeRow(part: MediaTypeRow['part'], a: (string | undefined)[], b: (string | undefined)[]): MediaTypeRow {
  const left = distinct(a);
  const right = distinct(b);
  return { part, a: left, b: right, same: left.length === right.length && left.every((t, i) => t === right[i]) };
}

/** Compares two manifests; `diffIds` and `observed` let recompressed layers be recognised. */
export function diffManifests(a: ManifestSideInput, b: ManifestSideInput): ManifestDiff {
  const left: LayerSideInput = { layers: a.manifest.layers, diffIds: a.diffIds, observed: a.observed };
  const right: LayerSideInput = { layers: b.manifest.layers, diffIds: b.diffIds, observed: b.observed };
  const layers = pairLayers(left, right);
  const sizesA = totals(a.manifest);
  const sizesB = totals(b.manifest);
  const sharedBytes = layers.filter((p) => p.status === 'shared').reduce((sum, p) => sum + finiteSize(p.b?.descriptor), 0);
  return {
    mediaTypes: [
      mediaTypeRow('manifest', [a.manifest.mediaType], [b.manifest.mediaType]),
      mediaTypeRow('config', [a.manifest.config?.mediaType], [b.manifest.config?.mediaType]),
      mediaTypeRow(
        'layers',
        a.manifest.layers.map((d) => d.mediaType),
        b.manifest.layers.map((d) => d.mediaType),
      ),
    ],
    artifactType: valuePair(a.manifest.artifactType, b.manifest.artifactType),
    config: entryPair('config', { a: a.manifest.config, b: b.manifest.config }),
    layers,
    layerCounts: countLayerStatuses(layers),
    diffIdsKnown: { a: diffIdsKnown(left), b: diffIdsKnown(right) },
    sizes: { a: sizesA, b: sizesB, delta: sizesB.total - sizesA.total },
    sharedBytes,
    annotations: diffRecords(a.manifest.annotations, b.manifest.annotations),
    subject: valuePair(a.manifest.subject?.digest, b.manifest.subject?.digest),
  };
}
