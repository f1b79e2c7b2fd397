/**
 * A directory of a layer or of the merged image: breadcrumbs, a search over every path, sorting
 * by name or size, and a virtualised list that stays smooth at 100,000 entries.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { type FileIndex, type FileNode, type SortKey, sortNodes } from '../../oci/fs/file-tree';
import { VirtualRows } from '../../ui/virtual-rows';
import { FileRow } from './file-row';
import { countOf } from '../../ui/format';
import { FilterInput } from '../../ui/filter-input';

const SEARCH_LIMIT = 2000;

/** Where a path links to; in the merged view a file links into the layer that holds it (`node`). */
export type HrefFor = (path: string, isDir: boolean, node?: FileNode) => string;

function Breadcrumbs({ path, hrefFor }: { path: string; hrefFor: HrefFor }) {
  const parts = path ? path.split('/') : [];
  return (
    <nav className="breadcrumbs" aria-label="Path" data-testid="breadcrumbs">
      <Link to={hrefFor('', true)}>/</Link>
      {parts.map((part, i) => {
        const prefix = parts.slice(0, i + 1).join('/');
        return i === parts.length - 1 ? (
          <span key={prefix}>{part}/</span>
        ) : (
          <Link key={prefix} to={hrefFor(prefix, true)}>
            {part}/
          </Link>
        );
      })}
    </nav>
  );
}

export function DirectoryListing({
  index,
  version,
  dir,
  hrefFor,
  merged = false,
}: {
  index: FileIndex;
  version: number;
  dir: string;
  hrefFor: HrefFor;
  merged?: boolean;
}) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const deferredQuery = useDeferredValue(query.trim());
  const found = useMemo(() => {
    if (!deferredQuery) return undefined;
    const started = performance.now();
    const nodes = index.search(deferredQuery, SEARCH_LIMIT);
    return { nodes, ms: performance.now() - started };
    // version: the index mutates in place while the layer streams.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new version is a changed index
  }, [index, version, deferredQuery]);
  const rows = useMemo(
    () => sortNodes(found ? found.nodes : index.list(dir === '' ? '.' : dir), sort, sort === 'size'),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new version is a changed index
    [found, index, version, dir, sort],
  );
  const href = (node: FileNode) => hrefFor(node.path, node.isDir, node);

  return (
    <section className="listing" data-testid="listing">
      <Breadcrumbs path={dir} hrefFor={hrefFor} />
      <div className="listing-tools">
        <FilterInput label="Search paths" placeholder="search every path in this listing" value={query} onChange={setQuery} />
        <label>
          sort by{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)} aria-label="Sort by">
            <option value="name">name</option>
            <option value="size">size (largest first)</option>
          </select>
        </label>
        {found && (
          <span className="muted" data-testid="search-summary">
            {found.nodes.length >= SEARCH_LIMIT ? `first ${SEARCH_LIMIT} matches` : countOf(found.nodes.length, 'match', 'matches')} in{' '}
            {found.ms.toFixed(1)} ms
          </span>
        )}
      </div>
      <div className="file-row file-header" aria-hidden="true">
        <span>mode</span>
        <span>uid:gid</span>
        <span className="size">size</span>
        <span>modified (UTC)</span>
        <span>{merged ? 'layer' : ''}</span>
        <span>name</span>
      </div>
      {rows.length === 0 ? (
        <p className="muted" data-testid="empty-listing">
          {found ? 'Nothing matches.' : 'This directory is empty so far.'}
        </p>
      ) : (
        <VirtualRows
          count={rows.length}
          rowHeight={24}
          testId="file-list"
          renderRow={(i) => <FileRow node={rows[i]!} href={href(rows[i]!)} showPath={Boolean(found)} merged={merged} />}
        />
      )}
    </section>
  );
}
