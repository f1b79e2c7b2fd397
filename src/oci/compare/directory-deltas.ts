/**
 * Where in the tree a filesystem diff happened: for every directory, what changed below it
 * (subtree totals, like `du` counts a directory with everything under it), so a person can see
 * at a glance that an upgrade touched /usr/lib and /etc and nothing else, and by how many bytes.
 */
import { parentPath } from '../layer/tar-entry';
import type { FileDiffRow, FileStatus } from './fs-diff';

export interface DirectoryDelta {
  /** '.' for the root. */
  path: string;
  /** Nesting depth: 0 for the root, 1 for `usr`, 2 for `usr/lib`. */
  depth: number;
  added: number;
  removed: number;
  changed: number;
  notCompared: number;
  /** Regular-file bytes of B minus A below this directory. */
  sizeDelta: number;
}

const FIELD: Record<FileStatus, 'added' | 'removed' | 'changed' | 'notCompared'> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  'not-compared': 'notCompared',
};

function depthOf(path: string): number {
  if (path === '.') return 0;
  let depth = 1;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 0x2f) depth++;
  return depth;
}

/**
 * Subtree totals for every directory above a row (a row for a directory counts in its parent,
 * not in itself). Sorted by path, so a directory comes right before its subdirectories.
 */
export function directoryDeltas(rows: readonly FileDiffRow[]): DirectoryDelta[] {
  const deltas = new Map<string, DirectoryDelta>();
  const deltaOf = (path: string): DirectoryDelta => {
    let delta = deltas.get(path);
    if (delta === undefined) {
      delta = { path, depth: depthOf(path), added: 0, removed: 0, changed: 0, notCompared: 0, sizeDelta: 0 };
      deltas.set(path, delta);
    }
    return delta;
  };
  for (const row of rows) {
    if (row.path === '.') continue;
    const field = FIELD[row.status];
    let dir = parentPath(row.path);
    for (;;) {
      const delta = deltaOf(dir);
      delta[field]++;
      delta.sizeDelta += row.sizeDelta;
      if (dir === '.') break;
      dir = parentPath(dir);
    }
  }
  return [...deltas.values()].sort((x, y) => comparePaths(x.path, y.path));
}

/**
 * Tree order: '/' sorts before every other character, so `usr/lib` comes before `usr/lib-extra`
 * and right after `usr`; the root first.
 */
export function comparePaths(x: string, y: string): number {
  if (x === y) return 0;
  if (x === '.') return -1;
  if (y === '.') return 1;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx === cy) continue;
    if (cx === 0x2f) return -1;
    if (cy === 0x2f) return 1;
    return cx - cy;
  }
  return x.length - y.length;
}
