/**
 * The filesystem a container of A starts with against the one of B, path by path (the merged
 * filesystems of merged-fs.ts): what was added, removed, and changed — file type, size, mode,
 * owner, link target, device numbers, or content. Modification times are not compared: every
 * rebuild changes them, and they would bury every real change.
 *
 * Content is only ever called unchanged with proof:
 * - both entries are the same tar entry — the same layer (by diff_id, or by digest) at the same
 *   offset — which covers everything two images share layer for layer; or
 * - both carry a per-file content digest (`contentDigest`, computed by the layer pass) and they
 *   are equal; or both files are empty.
 * Otherwise a file whose metadata is the same is "not compared", never "unchanged": a same-size
 * edit must not pass for no change.
 *
 * Hot path: two trees of 100,000 entries are compared in one pass over each map, with no
 * allocation for unchanged paths (bench/compare-bench.ts measures it).
 */
import type { TarEntryType } from '../layer/tar-entry';

/** The facts of one path the diff looks at; TarEntry fits, with or without a content digest. */
export interface DiffableEntry {
  readonly type: TarEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkTarget?: string;
  readonly devMajor?: number;
  readonly devMinor?: number;
  /** Offset of the entry's data in its layer's tar: with the layer, it names the bytes. */
  readonly dataOffset?: number;
  /** `<alg>:<hex>` of a regular file's content, when the layer pass computed one. */
  readonly contentDigest?: string;
}

/** One path of a merged filesystem (MergedEntry fits). */
export interface DiffableFile {
  readonly entry: DiffableEntry;
  /** The layer (0 = base) the entry comes from. */
  readonly layerIndex: number;
  /** For hardlinks: the regular file whose bytes the link shares. */
  readonly linked?: { readonly entry: DiffableEntry; readonly layerIndex: number };
}

export interface FsSide {
  files: ReadonlyMap<string, DiffableFile>;
  /**
   * What each layer's tar is, by position: its diff_id (or, when unknown, its digest). Two entries
   * at the same offset of layers with the same id are the same bytes.
   */
  layerIds?: readonly (string | undefined)[];
}

export type FileChangeKind = 'type' | 'size' | 'mode' | 'owner' | 'link' | 'device' | 'content';

export type FileStatus = 'added' | 'removed' | 'changed' | 'not-compared';

export interface FileDiffRow {
  /** Normalised like tar entry paths (no leading '/'). */
  path: string;
  status: FileStatus;
  /** For 'changed': what differs, in the order of FileChangeKind. */
  changes: FileChangeKind[];
  a?: DiffableFile;
  b?: DiffableFile;
  /** Bytes of regular-file content B has here minus what A has (hardlinks own none). */
  sizeDelta: number;
}

export interface FsDiffSummary {
  added: number;
  removed: number;
  changed: number;
  /** Same metadata, content unknown: neither side had proof of its bytes. */
  notCompared: number;
  unchanged: number;
  /** Regular-file bytes of B minus those of A. */
  sizeDelta: number;
  addedBytes: number;
  removedBytes: number;
  /** Changed paths per kind of change (a path can count under several). */
  byChange: Record<FileChangeKind, number>;
}

export interface FsDiff {
  /** Every path that is not provably unchanged, in A's order and then B's. */
  rows: FileDiffRow[];
  summary: FsDiffSummary;
}

type Kind = 'file' | 'directory' | 'symlink' | 'device' | 'fifo' | 'other';

/** A hardlink is a regular file that shares another's inode: the same kind to a person reading `ls`. */
function kindOf(type: TarEntryType): Kind {
  switch (type) {
    case 'file':
    case 'hardlink':
      return 'file';
    case 'char-device':
    case 'block-device':
      return 'device';
    default:
      return type;
  }
}

/** The entry holding a file's bytes: itself, or for a hardlink the file it links to (if known). */
function contentOf(file: DiffableFile): DiffableEntry | undefined {
  if (file.entry.type === 'file') return file.entry;
  return file.linked?.entry;
}

/** Bytes a path adds to the filesystem: a regular file's size; links, directories and devices own none. */
function ownBytes(file: DiffableFile): number {
  return file.entry.type === 'file' ? file.entry.size : 0;
}

function sameBytes(
  x: DiffableEntry,
  xLayer: number,
  y: DiffableEntry,
  yLayer: number,
  a: readonly (string | undefined)[] | undefined,
  b: readonly (string | undefined)[] | undefined,
): boolean {
  if (x === y) return true;
  const xId = a?.[xLayer];
  return xId !== undefined && xId === b?.[yLayer] && x.dataOffset !== undefined && x.dataOffset === y.dataOffset;
}

type Verdict = { changes: FileChangeKind[]; compared: boolean };

const UNCHANGED: Verdict = { changes: [], compared: true };

/** What differs between two entries for the same path. */
function compareFiles(x: DiffableFile, y: DiffableFile, a: FsSide, b: FsSide): Verdict {
  const ex = x.entry;
  const ey = y.entry;
  const linkedSame =
    x.linked === undefined
      ? y.linked === undefined
      : y.linked !== undefined &&
        sameBytes(x.linked.entry, x.linked.layerIndex, y.linked.entry, y.linked.layerIndex, a.layerIds, b.layerIds);
  if (linkedSame && sameBytes(ex, x.layerIndex, ey, y.layerIndex, a.layerIds, b.layerIds)) return UNCHANGED;
  const kind = kindOf(ex.type);
  if (kind !== kindOf(ey.type)) return { changes: ['type'], compared: true };
  const changes: FileChangeKind[] = [];
  const cx = kind === 'file' ? contentOf(x) : undefined;
  const cy = kind === 'file' ? contentOf(y) : undefined;
  if (cx && cy && cx.size !== cy.size) changes.push('size');
  if ((ex.mode & 0o7777) !== (ey.mode & 0o7777)) changes.push('mode');
  if (ex.uid !== ey.uid || ex.gid !== ey.gid) changes.push('owner');
  if ((kind === 'symlink' || ex.type === 'hardlink' || ey.type === 'hardlink') && (ex.type !== ey.type || ex.linkTarget !== ey.linkTarget))
    changes.push('link');
  if (kind === 'device' && (ex.type !== ey.type || ex.devMajor !== ey.devMajor || ex.devMinor !== ey.devMinor)) changes.push('device');
  if (kind !== 'file') return { changes, compared: true };
  if (!cx || !cy) return { changes, compared: false };
  if (cx.size !== cy.size || cx.size === 0) return { changes, compared: true };
  const cxLayer = x.linked && ex.type === 'hardlink' ? x.linked.layerIndex : x.layerIndex;
  const cyLayer = y.linked && ey.type === 'hardlink' ? y.linked.layerIndex : y.layerIndex;
  if (sameBytes(cx, cxLayer, cy, cyLayer, a.layerIds, b.layerIds)) return { changes, compared: true };
  if (cx.contentDigest === undefined || cy.contentDigest === undefined) return { changes, compared: false };
  if (cx.contentDigest !== cy.contentDigest) changes.push('content');
  return { changes, compared: true };
}

function emptySummary(): FsDiffSummary {
  return {
    added: 0,
    removed: 0,
    changed: 0,
    notCompared: 0,
    unchanged: 0,
    sizeDelta: 0,
    addedBytes: 0,
    removedBytes: 0,
    byChange: { type: 0, size: 0, mode: 0, owner: 0, link: 0, device: 0, content: 0 },
  };
}

/** Compares two merged filesystems. */
export function diffFilesystems(a: FsSide, b: FsSide): FsDiff {
  const rows: FileDiffRow[] = [];
  const summary = emptySummary();
  for (const [path, x] of a.files) {
    const y = b.files.get(path);
    const bytesA = ownBytes(x);
    summary.sizeDelta -= bytesA;
    if (y === undefined) {
      rows.push({ path, status: 'removed', changes: [], a: x, sizeDelta: -bytesA });
      summary.removed++;
      summary.removedBytes += bytesA;
      continue;
    }
    const bytesB = ownBytes(y);
    summary.sizeDelta += bytesB;
    const verdict = compareFiles(x, y, a, b);
    if (verdict.changes.length > 0) {
      rows.push({ path, status: 'changed', changes: verdict.changes, a: x, b: y, sizeDelta: bytesB - bytesA });
      summary.changed++;
      for (const change of verdict.changes) summary.byChange[change]++;
    } else if (!verdict.compared) {
      rows.push({ path, status: 'not-compared', changes: [], a: x, b: y, sizeDelta: bytesB - bytesA });
      summary.notCompared++;
    } else {
      summary.unchanged++;
    }
  }
  for (const [path, y] of b.files) {
    if (a.files.has(path)) continue;
    const bytesB = ownBytes(y);
    rows.push({ path, status: 'added', changes: [], b: y, sizeDelta: bytesB });
    summary.added++;
    summary.addedBytes += bytesB;
    summary.sizeDelta += bytesB;
  }
  return { rows, summary };
}
