/**
 * Where an image's bytes go: the merged filesystem by directory (size-tree.ts), the bytes that
 * layers store but the final filesystem no longer shows, files stored more than once, and a
 * score. Pure arithmetic over the entries of verified layer passes.
 *
 * Definitions (every number is of regular-file bytes as the tar headers give them; directories,
 * symlinks, devices and whiteouts weigh nothing; a sparse file weighs its real size):
 * - stored: the bytes of every regular file entry the layers hold, each copy counted.
 * - wasted: the bytes of entries a later entry overwrote or a whiteout (a `.wh.` file, or an
 *   opaque directory's `.wh..wh..opq`) deleted — what dive calls wasted space: stored in a layer
 *   blob, downloaded and unpacked, never visible in a container. An entry overwritten by another
 *   entry of its own layer counts too. An entry whose bytes a surviving hard link still holds is
 *   not wasted (the link carries them).
 * - present: stored − wasted, the bytes of the final filesystem.
 * - efficiency: 1 − wasted / stored, and 1 when nothing is stored. dive scores differently (per
 *   path, the smallest size seen over the sum of every size seen, a whiteout weighing what it
 *   deletes), which counts a deletion twice; ours is the share of stored bytes still in use.
 * - duplicates (duplicates.ts): the same content (by SHA-256) stored by more than one layer.
 */
import { type Removal, mergeLayers } from '../fs/merged-fs';
import { largestBy } from '../fs/file-tree';
import type { TarEntry } from '../layer/tar-entry';
import { type Duplicates, findDuplicates } from './duplicates';
import { type SizeTree, buildSizeTree, carriedByLinks } from './size-tree';

/** How many wasted paths the analysis lists. */
export const TOP_WASTED = 20;

/** A file some layer stored and a later entry removed. */
export interface WastedPath {
  path: string;
  size: number;
  /** The layer that stored it. */
  addedBy: number;
  /** The layer whose whiteout or entry removed it (may be `addedBy` itself, for an overwrite within a layer). */
  removedBy: number;
  how: Removal;
}

/** One layer's part. */
export interface LayerSizes {
  /** Bytes of regular files in this layer's tar. */
  stored: number;
  /** Of those, still in the final filesystem. */
  present: number;
  /** Of those, removed by a later entry. */
  wasted: number;
  /** Bytes of lower layers (or of itself) this layer removed. */
  removes: number;
  /** Whiteout entries in its tar (each deletes a path, or a directory's lower contents). */
  whiteouts: number;
}

/** The analysis of a stack of layers. */
export interface SizeAnalysis {
  tree: SizeTree;
  layers: LayerSizes[];
  stored: number;
  present: number;
  wasted: number;
  /** 1 − wasted / stored; 1 when nothing is stored. */
  efficiency: number;
  /** Number of wasted file entries. */
  wastedCount: number;
  /** The largest wasted files, biggest first (TOP_WASTED at most). */
  topWasted: WastedPath[];
  duplicates: Duplicates;
}

/** Analyses layers applied base first (one layer alone is its own small image). */
export function analyzeSizes(layers: readonly (readonly TarEntry[])[]): SizeAnalysis {
  const fs = mergeLayers(layers);
  const carried = carriedByLinks(fs);
  const tree = buildSizeTree(fs, carried);
  const perLayer: LayerSizes[] = layers.map((entries) => ({
    stored: 0,
    present: 0,
    wasted: 0,
    removes: 0,
    whiteouts: entries.reduce((n, e) => n + (e.whiteout ? 1 : 0), 0),
  }));
  for (const [layer, bytes] of tree.root.byLayer ?? []) perLayer[layer]!.present += bytes;
  const wastedPaths: WastedPath[] = [];
  for (const gone of fs.removed) {
    if (gone.entry.type !== 'file' || gone.entry.size === 0 || carried.has(gone.entry)) continue;
    const size = gone.entry.size;
    wastedPaths.push({ path: gone.path, size, addedBy: gone.layerIndex, removedBy: gone.removedBy, how: gone.how });
    perLayer[gone.layerIndex]!.wasted += size;
    perLayer[gone.removedBy]!.removes += size;
  }
  let wasted = 0;
  for (const layer of perLayer) {
    layer.stored = layer.present + layer.wasted;
    wasted += layer.wasted;
  }
  const present = tree.root.size;
  const stored = present + wasted;
  return {
    tree,
    layers: perLayer,
    stored,
    present,
    wasted,
    efficiency: stored === 0 ? 1 : 1 - wasted / stored,
    wastedCount: wastedPaths.length,
    topWasted: largestBy(wastedPaths, TOP_WASTED, (w) => w.size),
    duplicates: findDuplicates(fs),
  };
}
