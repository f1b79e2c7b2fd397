/**
 * Files stored more than once across layers: the same content (the SHA-256 a full layer pass
 * computed for each regular file, content-digest.ts) in entries of two or more layers, at the same
 * path or not. Every stored copy counts, removed ones included: each was downloaded.
 */
import type { MergedEntry, MergedFs } from '../fs/merged-fs';

/** One stored copy of a content. */
export interface DuplicateCopy {
  path: string;
  layerIndex: number;
  /** Whether this copy is in the final filesystem (else a later layer removed it). */
  present: boolean;
}

/** One content stored by several layers. */
export interface DuplicateGroup {
  contentDigest: string;
  size: number;
  /** In layer order. */
  copies: DuplicateCopy[];
}

/** The duplicates of an image. */
export interface Duplicates {
  /** Largest extra bytes (size × (copies − 1)) first. */
  groups: DuplicateGroup[];
  /** Σ size × (copies − 1): what storing each content once would save. */
  extraBytes: number;
  /** Non-empty regular files without a content digest (sparse, or not computed): not compared. */
  unhashed: number;
}

/** Groups the stored copies of `fs` (present and removed) by content digest. */
export function findDuplicates(fs: MergedFs): Duplicates {
  const byDigest = new Map<string, DuplicateGroup>();
  let unhashed = 0;
  const add = (item: MergedEntry, present: boolean) => {
    const entry = item.entry;
    if (entry.type !== 'file' || entry.size === 0) return;
    if (entry.contentDigest === undefined) {
      unhashed += 1;
      return;
    }
    let group = byDigest.get(entry.contentDigest);
    if (group === undefined) {
      group = { contentDigest: entry.contentDigest, size: entry.size, copies: [] };
      byDigest.set(entry.contentDigest, group);
    }
    group.copies.push({ path: item.path, layerIndex: item.layerIndex, present });
  };
  for (const file of fs.files.values()) add(file, true);
  for (const gone of fs.removed) add(gone, false);
  const groups: DuplicateGroup[] = [];
  let extraBytes = 0;
  for (const group of byDigest.values()) {
    if (new Set(group.copies.map((c) => c.layerIndex)).size < 2) continue;
    group.copies.sort((a, b) => a.layerIndex - b.layerIndex || (a.path < b.path ? -1 : 1));
    extraBytes += group.size * (group.copies.length - 1);
    groups.push(group);
  }
  groups.sort((a, b) => b.size * (b.copies.length - 1) - a.size * (a.copies.length - 1));
  return { groups, extraBytes, unhashed };
}
