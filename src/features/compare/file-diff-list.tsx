/**
 * The paths that differ between two filesystems, filtered (by kind of difference, by a substring,
 * by directory) and sorted (by path, by how many bytes moved, by kind), in a virtualised list that
 * stays smooth when two unrelated images differ in 100,000 paths. Each row opens the path in
 * either image's merged filesystem.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { formatBytes } from '../../ui/format';
import { fsUrl } from '../../lib/view-urls';
import { comparePaths } from '../../oci/compare/directory-deltas';
import type { DiffableFile, FileChangeKind, FileDiffRow, FileStatus } from '../../oci/compare/fs-diff';
import { modeString } from '../../oci/fs/file-mode';
import { VirtualRows } from '../../ui/virtual-rows';
import { SignedBytes } from './diff-pieces';
import type { ManifestPlace } from './manifest-diff-section';

export type FileSort = 'path' | 'size' | 'status';

const STATUSES: FileStatus[] = ['added', 'removed', 'changed', 'not-compared'];

export const fileStatusText: Record<FileStatus, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  'not-compared': 'not compared',
};

const changeText: Record<FileChangeKind, string> = {
  type: 'type',
  size: 'size',
  mode: 'mode',
  owner: 'owner',
  link: 'link target',
  device: 'device',
  content: 'content',
};

const STATUS_ORDER: Record<FileStatus, number> = { changed: 0, added: 1, removed: 2, 'not-compared': 3 };

function isDirectory(row: FileDiffRow): boolean {
  return (row.b ?? row.a)!.entry.type === 'directory';
}

function facts(file: DiffableFile | undefined): string {
  if (!file) return '';
  const e = file.entry;
  const target = e.linkTarget !== undefined ? ` → ${e.linkTarget}` : '';
  const size = e.type === 'file' ? ` ${formatBytes(e.size)}` : '';
  return `${modeString(e.type, e.mode)} ${e.uid}:${e.gid}${size}${target}`;
}

export function sortRows(rows: readonly FileDiffRow[], sort: FileSort): FileDiffRow[] {
  const sorted = [...rows];
  if (sort === 'path') sorted.sort((x, y) => comparePaths(x.path, y.path));
  else if (sort === 'size') sorted.sort((x, y) => Math.abs(y.sizeDelta) - Math.abs(x.sizeDelta) || comparePaths(x.path, y.path));
  else sorted.sort((x, y) => STATUS_ORDER[x.status] - STATUS_ORDER[y.status] || comparePaths(x.path, y.path));
  return sorted;
}

function FileDiffLine({ row, a, b }: { row: FileDiffRow; a: ManifestPlace; b: ManifestPlace }) {
  const dir = isDirectory(row);
  return (
    <div
      className={`file-diff-row status-${row.status}`}
      data-testid="file-diff-row"
      data-path={row.path}
      data-status={row.status}
      data-changes={row.changes.join(' ')}
    >
      <span className={`change ${row.status}`}>{fileStatusText[row.status]}</span>
      <span className="name" title={row.path}>
        /{row.path}
        {dir ? '/' : ''}
      </span>
      <span className="what">{row.status === 'changed' ? row.changes.map((c) => changeText[c]).join(', ') : ''}</span>
      <span className="facts" title={facts(row.a)}>
        {facts(row.a)}
      </span>
      <span className="facts" title={facts(row.b)}>
        {facts(row.b)}
      </span>
      <span className="num">{row.sizeDelta !== 0 && <SignedBytes bytes={row.sizeDelta} />}</span>
      <span className="links">
        {row.a && (
          <Link to={fsUrl(a.repo, a.digest, row.path, {}, dir)} data-testid="open-in-a">
            A
          </Link>
        )}{' '}
        {row.b && (
          <Link to={fsUrl(b.repo, b.digest, row.path, {}, dir)} data-testid="open-in-b">
            B
          </Link>
        )}
      </span>
    </div>
  );
}

export function FileDiffList({
  rows,
  a,
  b,
  dir,
  onClearDir,
}: {
  rows: readonly FileDiffRow[];
  a: ManifestPlace;
  b: ManifestPlace;
  dir: string;
  onClearDir: () => void;
}) {
  const [shown, setShown] = useState<Set<FileStatus>>(() => new Set(STATUSES));
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<FileSort>('path');
  const needle = useDeferredValue(query.trim().toLowerCase());
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const visible = useMemo(() => {
    const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
    return sorted.filter(
      (row) =>
        shown.has(row.status) &&
        (prefix === '' || row.path.startsWith(prefix) || row.path === dir) &&
        (needle === '' || row.path.toLowerCase().includes(needle)),
    );
  }, [sorted, shown, dir, needle]);
  const toggle = (status: FileStatus) => {
    const next = new Set(shown);
    if (next.has(status)) next.delete(status);
    else next.add(status);
    setShown(next);
  };
  const counts = useMemo(() => {
    const c: Record<FileStatus, number> = { added: 0, removed: 0, changed: 0, 'not-compared': 0 };
    for (const row of rows) c[row.status]++;
    return c;
  }, [rows]);
  if (rows.length === 0) {
    return (
      <p className="compare-note" data-testid="file-diff-none">
        No differences: every path is in both filesystems with the same type, mode, owner, size, link target and content.
      </p>
    );
  }
  return (
    <section data-testid="file-diff">
      <div className="listing-tools">
        {STATUSES.map((status) => (
          <label key={status}>
            <input type="checkbox" checked={shown.has(status)} onChange={() => toggle(status)} data-testid={`show-${status}`} />{' '}
            {fileStatusText[status]} <span className="count">{counts[status].toLocaleString('en-US')}</span>
          </label>
        ))}
        <input
          className="filter"
          type="search"
          placeholder="Filter paths"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Filter paths"
          data-testid="file-diff-filter"
        />
        <label>
          Sort{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as FileSort)} data-testid="file-diff-sort">
            <option value="path">by path</option>
            <option value="size">by bytes changed</option>
            <option value="status">by kind of change</option>
          </select>
        </label>
        {dir && dir !== '.' && (
          <span>
            in <code>/{dir}/</code>{' '}
            <button type="button" className="link-button" onClick={onClearDir} data-testid="clear-dir">
              all directories
            </button>
          </span>
        )}
      </div>
      <p className="muted" data-testid="file-diff-shown">
        {visible.length.toLocaleString('en-US')} of {rows.length.toLocaleString('en-US')} paths shown
      </p>
      <div className="file-diff-row file-diff-head" aria-hidden="true">
        <span />
        <span>path</span>
        <span>what differs</span>
        <span>A</span>
        <span>B</span>
        <span className="num">Δ bytes</span>
        <span>open in</span>
      </div>
      <VirtualRows
        count={visible.length}
        rowHeight={28}
        testId="file-diff-rows"
        renderRow={(i) => <FileDiffLine row={visible[i]!} a={a} b={b} />}
      />
    </section>
  );
}
