import { type TarEntry, normalizePath, parentPath } from '../layer/tar-entry';
/**
 * A browsable index over tar entries, for one layer or for the merged image filesystem: the
 * children of a directory, one path, a substring search over every path, the largest files.
 *
 * Built incrementally while a layer streams (`add` per batch), so the listing fills in as bytes
 * arrive. Layers often omit parent directory entries (OCI layer.md does not require them), so
 * parents are created implicitly, without an entry. When an archive holds the same path twice the
 * last entry wins, as it does on extraction, and the earlier ones are kept in `duplicates`.
 */

/** Merged view only: whether the file is in the final filesystem or was removed by a later layer. */
export type NodeStatus = 'present' | 'deleted' | 'overwritten';

/** A file or directory as a listing shows it. */
export interface FileNode {
  /** Normalised like TarEntry.path; '.' for the root. */
  readonly path: string;
  /** Last path component; '' for the root. */
  readonly name: string;
  /** Absent for directories implied by their children but not in the archive. */
  entry?: TarEntry;
  isDir: boolean;
  childCount: number;
  /** Merged view: the layer whose entry this is. */
  layerIndex?: number;
  status?: NodeStatus;
  /** Merged view: the layer that deleted or overwrote this file. */
  removedBy?: number;
  /** Earlier entries for the same path in the same archive, oldest first. */
  duplicates?: TarEntry[];
}

/** How a node appears in the merged view; see merged-fs.ts. */
export interface MergedAttributes {
  layerIndex: number;
  status: NodeStatus;
  removedBy?: number;
}

interface IndexNode extends FileNode {
  /** In archive order; lookups by path go through the index's one map, not per directory. */
  children?: IndexNode[];
}

/** What a listing can be sorted by. */
export type SortKey = 'name' | 'size';

/** Files by directory, filled while a layer streams: listing, lookup, search and sizes. */
export class FileIndex {
  private root: IndexNode = rootNode();
  private nodes = new Map<string, IndexNode>();
  /** Every node but the root in the order first seen, with its lowercased path for search. */
  private order: IndexNode[] = [];
  private lowered: string[] = [];
  private changes = 0;

  /** Changes whenever the index does; nodes are updated in place, so key renders on this. */
  get version(): number {
    return this.changes;
  }

  /** Number of paths, implied directories included, the root not. */
  get size(): number {
    return this.order.length;
  }

  add(entries: readonly TarEntry[]): void {
    for (const entry of entries) this.put(entry);
  }

  /** Adds or replaces one entry; `merged` marks it for the whole-image view. */
  put(entry: TarEntry, merged?: MergedAttributes): FileNode {
    this.changes++;
    let node = entry.path === '.' ? this.root : this.nodes.get(entry.path);
    if (node === undefined) {
      const parent = this.parentOf(entry.path, merged);
      node = newNode(entry.path, false);
      this.link(parent, node);
    } else if (node.entry) {
      (node.duplicates ??= []).push(node.entry);
    }
    node.entry = entry;
    node.isDir = entry.type === 'directory' || node.childCount > 0;
    if (merged) {
      node.layerIndex = merged.layerIndex;
      node.status = merged.status;
      node.removedBy = merged.removedBy;
      if (merged.status === 'present') this.markPresent(node);
    }
    return node;
  }

  get(path: string): FileNode | undefined {
    const key = normalizePath(path);
    return key === '.' ? this.root : this.nodes.get(key);
  }

  /** Direct children of a directory, in archive order; empty when there is no such directory. */
  list(dir: string): FileNode[] {
    const children = (this.get(dir) as IndexNode | undefined)?.children;
    return children ? children.slice() : [];
  }

  /** Case-insensitive substring match over full paths, in archive order, at most `limit`. */
  search(query: string, limit: number): FileNode[] {
    const needle = query.toLowerCase();
    const found: FileNode[] = [];
    if (needle === '' || limit <= 0) return found;
    const lowered = this.lowered;
    for (let i = 0; i < lowered.length; i++) {
      if ((lowered[i] as string).includes(needle)) {
        found.push(this.order[i] as IndexNode);
        if (found.length === limit) break;
      }
    }
    return found;
  }

  /** The `n` largest regular files still present, biggest first. */
  largest(n: number): FileNode[] {
    return largestBy(
      this.order.filter((node) => node.entry?.type === 'file' && (node.status === undefined || node.status === 'present')),
      n,
      (node) => node.entry?.size ?? 0,
    );
  }

  clear(): void {
    this.root = rootNode();
    this.nodes = new Map();
    this.order = [];
    this.lowered = [];
    this.changes++;
  }

  /** The parent directory node, created (with any missing ancestors) when the archive lacks it. */
  private parentOf(path: string, merged: MergedAttributes | undefined): IndexNode {
    const parentKey = parentPath(path);
    if (parentKey === '.') return this.root;
    const existing = this.nodes.get(parentKey);
    if (existing) return existing;
    const grandparent = this.parentOf(parentKey, merged);
    const implied = newNode(parentKey, true);
    // A directory implied only by removed files is itself gone from the merged view.
    if (merged) {
      implied.status = merged.status === 'present' ? 'present' : 'deleted';
      if (merged.status !== 'present') implied.removedBy = merged.removedBy;
    }
    this.link(grandparent, implied);
    return implied;
  }

  private link(parent: IndexNode, node: IndexNode): void {
    (parent.children ??= []).push(node);
    parent.childCount = parent.children.length;
    parent.isDir = true;
    this.nodes.set(node.path, node);
    this.order.push(node);
    this.lowered.push(node.path.toLowerCase());
  }

  /** Implied directories above a present file exist, even if removed files implied them first. */
  private markPresent(node: IndexNode): void {
    let key = parentPath(node.path);
    while (key !== '.') {
      const ancestor = this.nodes.get(key) as IndexNode;
      if (ancestor.entry || ancestor.status === 'present') return;
      ancestor.status = 'present';
      ancestor.removedBy = undefined;
      key = parentPath(key);
    }
  }
}

function rootNode(): IndexNode {
  return newNode('.', true);
}

/** Every field present from the start, so all nodes share one object shape (this is a hot path). */
function newNode(path: string, isDir: boolean): IndexNode {
  return {
    path,
    name: path === '.' ? '' : path.slice(path.lastIndexOf('/') + 1),
    entry: undefined,
    isDir,
    childCount: 0,
    layerIndex: undefined,
    status: undefined,
    removedBy: undefined,
    duplicates: undefined,
    children: undefined,
  };
}

/** The `n` items with the largest `size`, biggest first; ties keep their input order. */
export function largestBy<T>(items: Iterable<T>, n: number, size: (item: T) => number): T[] {
  const top: T[] = [];
  const sizes: number[] = [];
  if (n <= 0) return top;
  for (const item of items) {
    const s = size(item);
    if (top.length === n && s <= (sizes[n - 1] as number)) continue;
    // Binary search for the first smaller size, so equal sizes stay in input order.
    let lo = 0;
    let hi = sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sizes[mid] as number) >= s) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, item);
    sizes.splice(lo, 0, s);
    if (top.length > n) {
      top.pop();
      sizes.pop();
    }
  }
  return top;
}

/**
 * Directories first (in either direction, as file browsers do), then by name or by size (equal
 * sizes by name); names in code-unit order like `ls` in the C locale, which is also what keeps
 * sorting 100,000 names fast.
 */
export function sortNodes(nodes: readonly FileNode[], key: SortKey, descending = false): FileNode[] {
  const sign = descending ? -1 : 1;
  return [...nodes].sort((a, b) => {
    if (a.isDir !== b.isDir) return a.isDir ? -1 : 1;
    const byName = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    if (key === 'name') return sign * byName;
    const bySize = (a.entry?.size ?? 0) - (b.entry?.size ?? 0);
    return bySize !== 0 ? sign * bySize : byName;
  });
}
