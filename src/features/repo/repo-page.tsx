/**
 * `/?repo=REPO`: every tag of a repository (all pages of the tag list), filterable and sortable
 * by name or by date, with each visible tag's digest, kind, platforms, created date and size
 * read as it scrolls into view. Tags sharing a digest are marked; two ticked tags open the
 * comparison. A registry's rate limit pauses the reading, and the page says so.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { sortTags, tagsSharingDigests, type TagOrder } from '../../oci/registry/tag-details';
import { formatRepository } from '../../oci/spec/reference';
import { tagDetailQuery, tagsQuery, useKnownTagRows } from '../../lib/queries/tags-query';
import { useRetryProgress } from '../../lib/retry-progress';
import { compareUrl, type RepositoryName } from '../../lib/view-urls';
import { DocumentHeader } from '../../ui/document-header';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { countOf, groupDigits } from '../../ui/format';
import { RateLimitNote } from './rate-limit-note';
import { TagTable } from './tag-table';
import { FilterInput } from '../../ui/filter-input';

/** Sorting by date needs every tag's date: it reads them all (through the same gate). */
function useAllDates(repo: RepositoryName, tags: string[], enabled: boolean): { read: number; total: number } {
  return useQueries({
    queries: tags.map((tag) => ({ ...tagDetailQuery(repo, tag), enabled })),
    combine: (results) => ({ read: results.filter((r) => r.isSuccess || r.isError).length, total: results.length }),
  });
}

function SortChoice({ order, onChange }: { order: TagOrder; onChange: (order: TagOrder) => void }) {
  return (
    <fieldset className="sort-choice" data-testid="tag-sort">
      <legend>Sort</legend>
      {(['name', 'date'] as const).map((o) => (
        <label key={o}>
          <input type="radio" name="tag-order" value={o} checked={order === o} onChange={() => onChange(o)} /> by {o}
        </label>
      ))}
    </fieldset>
  );
}

export function RepoPage({ repo }: { repo: RepositoryName }) {
  const options = tagsQuery(repo);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const [filter, setFilter] = useState('');
  const [order, setOrder] = useState<TagOrder>('name');
  const [selected, setSelected] = useState<string[]>([]);
  const deferred = useDeferredValue(filter);
  const known = useKnownTagRows(repo);
  const matches = useMemo(() => {
    const tags = query.data?.tags ?? [];
    const needle = deferred.trim().toLowerCase();
    return needle ? tags.filter((t) => t.toLowerCase().includes(needle)) : tags;
  }, [query.data, deferred]);
  const dates = useAllDates(repo, matches, order === 'date');
  const ordered = useMemo(() => sortTags(matches, order, known), [matches, order, known]);
  const shared = useMemo(() => tagsSharingDigests(known.values()), [known]);
  const toggle = (tag: string) =>
    setSelected((current) => (current.includes(tag) ? current.filter((t) => t !== tag) : [...current, tag].slice(-2)));

  return (
    <article className="document" data-testid="repo-page">
      <DocumentHeader context="Repository" title={formatRepository(repo)} />
      {query.isPending && !retrying && (
        <p className="loading" role="status">
          Listing tags…
        </p>
      )}
      {query.isFetching && retrying && <RetryNotice progress={retrying} />}
      {query.isError && <ErrorPanel error={query.error} />}
      {query.data && (
        <section>
          <p data-testid="tag-count">
            {countOf(query.data.tags.length, 'tag')}
            <span className="muted"> in {countOf(query.data.pages, 'page')}</span>
          </p>
          {query.data.stoppedEarly && (
            <p className="warning" role="alert" data-testid="tags-incomplete">
              {query.data.stoppedEarly}{' '}
              {query.data.interruptedBy && (
                <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
                  Read the list again
                </button>
              )}
            </p>
          )}
          <div className="listing-tools">
            <FilterInput label="Filter tags" placeholder="filter tags" value={filter} onChange={setFilter} />
            <SortChoice order={order} onChange={setOrder} />
            {selected.length === 2 ? (
              <Link data-testid="compare-tags" to={compareUrl({ ...repo, tag: selected[0]! }, { ...repo, tag: selected[1]! })}>
                Compare {selected[0]} with {selected[1]}
              </Link>
            ) : (
              <span className="muted">tick two tags to compare them</span>
            )}
          </div>
          {filter && (
            <p className="muted" data-testid="match-count">
              {groupDigits(matches.length)} matching
            </p>
          )}
          {order === 'date' && dates.read < dates.total && (
            <p className="muted" role="status" data-testid="date-progress">
              Reading every tag’s date to sort them: {groupDigits(dates.read)} of {groupDigits(dates.total)}; tags without one yet are
              listed after the dated ones.
            </p>
          )}
          <RateLimitNote registry={repo.registry} />
          <TagTable repo={repo} tags={ordered} shared={shared} selected={new Set(selected)} onToggle={toggle} />
        </section>
      )}
    </article>
  );
}
