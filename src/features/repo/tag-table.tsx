/**
 * The tags of a repository as a virtualised table: only the rows on screen exist, and only they
 * ask for their details (tags-query.ts: a HEAD for the digest, the manifest by digest, the
 * config for the date), a few at a time. Tags sharing a digest are marked with the others'
 * names; a checkbox per row picks two tags to compare.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { isRegistryError } from '../../oci/registry/errors';
import { tagDetailQuery, type TagRow } from '../../lib/queries/tags-query';
import { imageUrl, imageByDigestUrl, type RepositoryName } from '../../lib/view-urls';
import { DateText } from '../../ui/date-text';
import { abbreviateDigest } from '../../ui/format';
import { SizeText } from '../../ui/size-text';
import { VirtualRows } from '../../ui/virtual-rows';

export const TAG_ROW_HEIGHT = 30;

const KIND_LABEL: Record<TagRow['kind'], string> = {
  index: 'index',
  manifest: 'manifest',
  artifact: 'artifact',
  schema1: 'schema 1',
  unknown: 'unknown',
};

export interface TagTableProps {
  repo: RepositoryName;
  tags: string[];
  /** Digest → every known tag pointing at it, when two or more do. */
  shared: ReadonlyMap<string, string[]>;
  selected: ReadonlySet<string>;
  onToggle: (tag: string) => void;
}

function SharedMark({ row, shared }: { row: TagRow; shared: ReadonlyMap<string, string[]> }) {
  const others = (shared.get(row.digest) ?? []).filter((t) => t !== row.tag);
  if (others.length === 0) return null;
  const names = others.slice(0, 3).join(', ') + (others.length > 3 ? ` +${others.length - 3}` : '');
  return (
    <span className="shared-digest" data-testid="shared-digest" title={`Same digest as ${others.join(', ')}`}>
      = {names}
    </span>
  );
}

function DetailCells({ repo, tag, shared }: { repo: RepositoryName; tag: string; shared: ReadonlyMap<string, string[]> }) {
  const query = useQuery(tagDetailQuery(repo, tag));
  if (query.isPending)
    return (
      <span className="tag-cell muted" data-testid="tag-detail-pending">
        …
      </span>
    );
  if (query.isError) {
    const message = isRegistryError(query.error) ? query.error.message : String(query.error);
    return (
      <span className="tag-cell warning" data-testid="tag-detail-error" title={message}>
        {message}
      </span>
    );
  }
  return <DetailView repo={repo} row={query.data} shared={shared} />;
}

function DetailView({ repo, row, shared }: { repo: RepositoryName; row: TagRow; shared: ReadonlyMap<string, string[]> }) {
  return (
    <>
      <span className="tag-cell" data-testid="tag-digest" data-digest={row.digest}>
        <Link to={imageByDigestUrl(repo, row.digest)} title={row.digest}>
          {abbreviateDigest(row.digest)}
        </Link>{' '}
        {!row.trusted && (
          <span className="warning" title="A document of this tag did not verify; open it to see which check failed.">
            unverified
          </span>
        )}
        <SharedMark row={row} shared={shared} />
      </span>
      <span className="tag-cell" data-testid="tag-kind" title={row.artifactType}>
        {KIND_LABEL[row.kind]}
      </span>
      <span className="tag-cell" data-testid="tag-platforms" title={row.platforms.join(', ')}>
        {row.platforms.length > 2 ? `${row.platforms.slice(0, 2).join(', ')} +${row.platforms.length - 2}` : row.platforms.join(', ')}
      </span>
      <span className="tag-cell" data-testid="tag-created" title={row.createdFrom ? `from the ${row.createdFrom}` : 'no date given'}>
        {row.created ? <DateText value={row.created} /> : <span className="muted">—</span>}
      </span>
      <span className="tag-cell num" data-testid="tag-size">
        {row.size !== undefined ? <SizeText bytes={row.size} /> : <span className="muted">per platform</span>}
      </span>
    </>
  );
}

export function TagTable({ repo, tags, shared, selected, onToggle }: TagTableProps) {
  return (
    <div className="tag-table">
      <div className="tag-grid tag-head" aria-hidden="true">
        <span />
        <span>Tag</span>
        <span>Digest</span>
        <span>Kind</span>
        <span>Platforms</span>
        <span>Created</span>
        <span className="num">Size</span>
      </div>
      <VirtualRows
        count={tags.length}
        rowHeight={TAG_ROW_HEIGHT}
        testId="tags"
        className="tag-rows"
        maxHeight={`min(70vh, ${tags.length * TAG_ROW_HEIGHT + 2}px)`}
        renderRow={(i) => {
          const tag = tags[i]!;
          return (
            <div className="tag-grid" data-testid="tag-row" data-tag={tag}>
              <input type="checkbox" aria-label={`Select ${tag}`} checked={selected.has(tag)} onChange={() => onToggle(tag)} />
              <span className="tag-cell">
                <Link to={imageUrl({ ...repo, tag })}>{tag}</Link>
              </span>
              <DetailCells repo={repo} tag={tag} shared={shared} />
            </div>
          );
        }}
      />
    </div>
  );
}
