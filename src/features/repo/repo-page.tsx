/**
 * `/?repo=REPO`: every tag of a repository (all pages of the tag list), filterable, each linking
 * to the image it names.
 */
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { formatRepository } from '../../oci/spec/reference';
import { tagsQuery } from '../../lib/queries/tags-query';
import { useRetryProgress } from '../../lib/retry-progress';
import { type RepositoryName, imageUrl } from '../../lib/view-urls';
import { DocumentHeader } from '../../ui/document-header';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { countOf, groupDigits } from '../../ui/format';

/** Rendering more rows than this at once makes typing in the filter lag; the filter narrows. */
const MAX_ROWS = 2000;

export function RepoPage({ repo }: { repo: RepositoryName }) {
  const options = tagsQuery(repo);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const matches = useMemo(() => {
    const tags = query.data?.tags ?? [];
    const needle = deferred.trim().toLowerCase();
    return needle ? tags.filter((t) => t.toLowerCase().includes(needle)) : tags;
  }, [query.data, deferred]);

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
          {query.data.stoppedEarly && <p className="warning">{query.data.stoppedEarly}</p>}
          <input
            type="search"
            className="filter"
            aria-label="Filter tags"
            placeholder="filter tags"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          {filter && (
            <p className="muted" data-testid="match-count">
              {groupDigits(matches.length)} matching
            </p>
          )}
          <ul className="tags" data-testid="tags">
            {matches.slice(0, MAX_ROWS).map((tag) => (
              <li key={tag}>
                <Link to={imageUrl({ ...repo, tag })}>{tag}</Link>
              </li>
            ))}
          </ul>
          {matches.length > MAX_ROWS && (
            <p className="muted">{groupDigits(matches.length - MAX_ROWS)} more: narrow the filter to see them.</p>
          )}
        </section>
      )}
    </article>
  );
}
