/**
 * The whole-image filesystem: a manifest's layers applied in order, following OCI image-spec
 * layer.md "Applying Changesets" and "Whiteouts".
 *
 * - A whiteout `.wh.<name>` deletes <name>, and everything below it, from lower layers; an opaque
 *   whiteout `.wh..wh..opq` deletes every lower-layer child of its directory. Whiteouts never
 *   hide entries of their own layer ("Files that are present in the same layer as a whiteout file
 *   can only be hidden by whiteout files in subsequent layers"), so each layer's whiteouts are
 *   applied before its other entries, whatever their order in the tar.
 * - A later entry for a path replaces the earlier one; a directory over a directory only updates
 *   its metadata; a non-directory over a directory removes the directory's whole subtree.
 * - Whiteout entries, and AUFS bookkeeping names (`.wh..wh.*`), are not files of the result.
 * Nothing is thrown away: what a later layer deleted or overwrote is kept in `removed` with the
 * layer that did it, so the UI can show it struck through.
 */
import { FileIndex, largestBy } from './file-tree';
import { type TarEntry, WHITEOUT_META_PREFIX, parentPath } from '../layer/tar-entry';

/** A path of the merged filesystem and the layer that put it there. */
export interface MergedEntry {
  path: string;
  entry: TarEntry;
  /** The layer (0 = base) whose entry this is. */
  layerIndex: number;
  /** For hardlinks: the regular file the link named when its layer was applied; its bytes live there. */
  linked?: { entry: TarEntry; layerIndex: number };
}

/** How a later layer took a path away: a whiteout deleted it, or another entry replaced it. */
export type Removal = 'deleted' | 'overwritten';

/** A path a lower layer added and a later one deleted or overwrote. */
export interface RemovedEntry extends MergedEntry {
  /** The layer whose whiteout or replacing entry removed this one. */
  removedBy: number;
  how: Removal;
}

/** An image's filesystem after applying its layers in order (image-spec layer.md "Applying Changesets"). */
export class MergedFs {
  /** Every path in the final filesystem that some layer has an entry for. */
  readonly files = new Map<string, MergedEntry>();
  /** In the order they were removed; a directory comes before what was below it. */
  readonly removed: RemovedEntry[] = [];
  /**
   * Children of each directory, entries or implied ones: layers may leave out parent directory
   * entries, and a whiteout of a directory must still reach everything under it.
   */
  private readonly children = new Map<string, Set<string>>();
  private applied = 0;

  /** Number of layers applied so far; the next one gets this index. */
  get layerCount(): number {
    return this.applied;
  }

  /** Applies the next layer's entries (in archive order). */
  applyLayer(entries: readonly TarEntry[]): void {
    const layer = this.applied++;
    for (const entry of entries) {
      const whiteout = entry.whiteout;
      if (whiteout?.kind === 'file') this.removeTree(whiteout.target, layer, 'deleted');
      else if (whiteout?.kind === 'opaque') {
        for (const child of Array.from(this.children.get(whiteout.dir) ?? [])) this.removeTree(child, layer, 'deleted');
      }
    }
    for (const entry of entries) {
      if (entry.whiteout || isAufsMetadata(entry.path)) continue;
      this.addEntry(entry, layer);
    }
  }

  /** The `n` largest regular files of the final filesystem, biggest first. */
  largestFiles(n: number): MergedEntry[] {
    const files = Array.from(this.files.values()).filter((file) => file.entry.type === 'file');
    return largestBy(files, n, (file) => file.entry.size);
  }

  /**
   * An index to browse the result: present files, and (by default) removed ones at paths nothing
   * occupies any more, each with the layer that removed it last.
   */
  toFileIndex(options: { includeRemoved?: boolean } = {}): FileIndex {
    const index = new FileIndex();
    for (const file of this.files.values()) index.put(file.entry, { layerIndex: file.layerIndex, status: 'present' });
    if (options.includeRemoved ?? true) {
      const latest = new Map<string, RemovedEntry>();
      for (const gone of this.removed) latest.set(gone.path, gone);
      for (const gone of latest.values()) {
        // A directory implied only by removed files (put earlier) takes its own removed entry.
        const node = index.get(gone.path);
        if (node && (node.entry || node.status === 'present')) continue;
        index.put(gone.entry, { layerIndex: gone.layerIndex, status: gone.how, removedBy: gone.removedBy });
      }
    }
    return index;
  }

  private addEntry(entry: TarEntry, layer: number): void {
    const path = entry.path;
    const existing = this.files.get(path);
    const isDir = entry.type === 'directory';
    if (existing) {
      if (!(isDir && existing.entry.type === 'directory')) {
        this.record(existing, layer, 'overwritten');
        if (!isDir) this.dropChildren(path, layer);
      }
    } else if (!isDir) {
      // A directory the archives only implied, replaced by a file.
      this.dropChildren(path, layer);
    }
    const merged: MergedEntry = { path, entry, layerIndex: layer };
    if (entry.type === 'hardlink' && entry.linkTarget !== undefined) {
      const target = this.files.get(entry.linkTarget);
      const linked = target?.linked ?? (target?.entry.type === 'file' ? { entry: target.entry, layerIndex: target.layerIndex } : undefined);
      if (linked) merged.linked = linked;
    }
    this.files.set(path, merged);
    if (path !== '.') this.linkParents(path, layer);
  }

  /** Links a path into its parent, creating implied parents; a file in the way becomes a directory. */
  private linkParents(path: string, layer: number): void {
    let child = path;
    let dir = parentPath(path);
    for (;;) {
      let siblings = this.children.get(dir);
      if (siblings === undefined) {
        const inTheWay = this.files.get(dir);
        if (inTheWay && inTheWay.entry.type !== 'directory') {
          this.record(inTheWay, layer, 'overwritten');
          this.files.delete(dir);
        }
        siblings = new Set();
        this.children.set(dir, siblings);
      }
      if (siblings.has(child)) return;
      siblings.add(child);
      if (dir === '.') return;
      child = dir;
      dir = parentPath(dir);
    }
  }

  private removeTree(path: string, layer: number, how: Removal): void {
    const existing = this.files.get(path);
    if (existing) {
      this.files.delete(path);
      this.record(existing, layer, how);
    } else if (!this.children.has(path)) {
      return; // nothing there in lower layers
    }
    this.dropChildren(path, layer);
    this.unlink(path);
  }

  /** Removes everything below a directory; each is recorded as deleted by `layer`. */
  private dropChildren(dir: string, layer: number): void {
    const kids = this.children.get(dir);
    if (kids === undefined) return;
    this.children.delete(dir);
    for (const kid of kids) {
      const existing = this.files.get(kid);
      if (existing) {
        this.files.delete(kid);
        this.record(existing, layer, 'deleted');
      }
      this.dropChildren(kid, layer);
    }
  }

  /**
   * Detaches a removed path from its parent. A parent no layer had an entry for, left empty, goes
   * too: it only existed to hold what was removed.
   */
  private unlink(path: string): void {
    if (path === '.') return;
    const dir = parentPath(path);
    const siblings = this.children.get(dir);
    if (siblings === undefined) return;
    siblings.delete(path);
    if (siblings.size === 0 && dir !== '.' && !this.files.has(dir)) {
      this.children.delete(dir);
      this.unlink(dir);
    }
  }

  private record(gone: MergedEntry, layer: number, how: Removal): void {
    this.removed.push({ ...gone, removedBy: layer, how });
  }
}

/** Applies layers (base first) and returns the resulting filesystem. */
export function mergeLayers(layers: readonly (readonly TarEntry[])[]): MergedFs {
  const fs = new MergedFs();
  for (const entries of layers) fs.applyLayer(entries);
  return fs;
}

/** AUFS keeps hardlink and whiteout bookkeeping under `.wh..wh.*` names, contents included. */
function isAufsMetadata(path: string): boolean {
  return path.startsWith(WHITEOUT_META_PREFIX) || path.includes(`/${WHITEOUT_META_PREFIX}`);
}
