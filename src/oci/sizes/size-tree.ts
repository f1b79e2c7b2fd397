/**
 * The merged filesystem as a hierarchy of sizes, for a treemap: every directory knows the bytes
 * below it, how many files, and how those bytes split across the layers that stored them.
 *
 * Bytes are counted once per stored copy. A hard link adds none while the file it names is still
 * there (its bytes are that file's); when a later layer removed that file but the link survives,
 * the link is what keeps the bytes, so it carries them (attributed to the layer that stored
 * them) and they are not wasted (see size-analysis.ts).
 */
import type { MergedEntry, MergedFs } from '../fs/merged-fs';
import { type TarEntry, parentPath } from '../layer/tar-entry';

/** A file or directory of the merged filesystem, with the bytes at or below it. */
export interface SizeNode {
  /** Last path component; '' for the root. */
  readonly name: string;
  /** Normalised like TarEntry.path; '.' for the root. */
  readonly path: string;
  readonly isDir: boolean;
  /** Bytes of regular files at or below this path. */
  size: number;
  /** Entries at or below this path that are not directories. */
  fileCount: number;
  /** Directories: what is directly in them, largest first. */
  children?: SizeNode[];
  /**
   * Files: the layer that stored their bytes. Directories: the layer that stored most of the
   * bytes below (the lowest on a tie); absent for a directory with no bytes.
   */
  layerIndex?: number;
  /** Directories: bytes below by layer index. */
  byLayer?: Map<number, number>;
}

/** The hierarchy with lookup by path. */
export interface SizeTree {
  readonly root: SizeNode;
  get(path: string): SizeNode | undefined;
}

/**
 * The entries whose bytes survive only through a hard link of the final filesystem, each with
 * the first such link (the one that carries them).
 */
export function carriedByLinks(fs: MergedFs): Map<TarEntry, MergedEntry> {
  const carried = new Map<TarEntry, MergedEntry>();
  for (const file of fs.files.values()) {
    const linked = file.linked;
    if (!linked || fs.files.get(linked.entry.path)?.entry === linked.entry || carried.has(linked.entry)) continue;
    carried.set(linked.entry, file);
  }
  return carried;
}

function directory(path: string): SizeNode {
  const slash = path.lastIndexOf('/');
  return { name: path === '.' ? '' : path.slice(slash + 1), path, isDir: true, size: 0, fileCount: 0, children: [], byLayer: new Map() };
}

/** Builds the hierarchy of the final filesystem of `fs`. */
export function buildSizeTree(fs: MergedFs, carried: Map<TarEntry, MergedEntry> = carriedByLinks(fs)): SizeTree {
  const nodes = new Map<string, SizeNode>();
  const root = directory('.');
  nodes.set('.', root);
  const dirFor = (path: string): SizeNode => {
    let node = nodes.get(path);
    if (node === undefined) {
      node = directory(path);
      nodes.set(path, node);
      dirFor(parentPath(path)).children!.push(node);
    }
    return node;
  };
  const carriers = new Map<MergedEntry, { size: number; layerIndex: number }>();
  for (const [entry, link] of carried) carriers.set(link, { size: entry.size, layerIndex: link.linked?.layerIndex ?? link.layerIndex });
  for (const file of fs.files.values()) {
    if (file.path === '.') continue;
    if (file.entry.type === 'directory') {
      dirFor(file.path);
      continue;
    }
    const carrying = carriers.get(file);
    const size = carrying?.size ?? (file.entry.type === 'file' ? file.entry.size : 0);
    const layerIndex = carrying?.layerIndex ?? file.layerIndex;
    const leaf: SizeNode = {
      name: file.path.slice(file.path.lastIndexOf('/') + 1),
      path: file.path,
      isDir: false,
      size,
      fileCount: 1,
      layerIndex,
    };
    nodes.set(file.path, leaf);
    for (
      let dir: SizeNode | undefined = dirFor(parentPath(file.path));
      dir;
      dir = dir.path === '.' ? undefined : nodes.get(parentPath(dir.path))
    ) {
      dir.size += size;
      dir.fileCount += 1;
      if (size > 0) dir.byLayer!.set(layerIndex, (dir.byLayer!.get(layerIndex) ?? 0) + size);
    }
    dirFor(parentPath(file.path)).children!.push(leaf);
  }
  for (const node of nodes.values()) {
    if (!node.isDir) continue;
    node.children!.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
    node.layerIndex = dominantLayer(node.byLayer!);
  }
  return { root, get: (path) => nodes.get(path) };
}

function dominantLayer(byLayer: Map<number, number>): number | undefined {
  let best: number | undefined;
  let bestBytes = 0;
  for (const [layer, bytes] of byLayer) {
    if (bytes > bestBytes || (bytes === bestBytes && best !== undefined && layer < best)) {
      best = layer;
      bestBytes = bytes;
    }
  }
  return best;
}
