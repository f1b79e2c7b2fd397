/**
 * `/?repo=REGISTRY` (explore.ggcr.dev's form for a registry alone): every repository its
 * catalog lists (`/v2/_catalog`, all pages), filterable, each linking to its tags. The catalog
 * is optional in the distribution API; registries that do not serve it get that said.
 */
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { catalogQuery } from '../../lib/queries/tags-query';
import { useRetryProgress } from '../../lib/retry-progress';
import { repoUrl } from '../../lib/view-urls';
import { DocumentHeader } from '../../ui/document-header';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { countOf, groupDigits } from '../../ui/format';
import { VirtualRows } from '../../ui/virtual-rows';
import { FilterInput } from '../../ui/filter-input';

const ROW_HEIGHT = 28;

export function CatalogPage({ registry }: { registry: string }) {
  const options = catalogQuery(registry);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const matches = useMemo(() => {
    const names = query.data?.tags ?? [];
    const needle = deferred.trim().toLowerCase();
    return needle ? names.filter((n) => n.includes(needle)) : names;
  }, [query.data, deferred]);

  return (
    <article className="document" data-testid="catalog-page">
      <DocumentHeader context="Registry catalog" title={registry} />
      {query.isPending && !retrying && (
        <p className="loading" role="status">
          Listing repositories…
        </p>
      )}
      {query.isFetching && retrying && <RetryNotice progress={retrying} />}
      {query.isError && (
        <>
          <ErrorPanel error={query.error} />
          <p className="muted">
            The catalog (<code>/v2/_catalog</code>) is optional: Docker Hub, ghcr.io and most public registries do not serve it. Open a
            repository by name instead, e.g. <code>?repo={registry}/NAME</code>.
          </p>
        </>
      )}
      {query.data && (
        <section>
          <p data-testid="repository-count">
            {countOf(query.data.tags.length, 'repository', 'repositories')}
            <span className="muted"> in {countOf(query.data.pages, 'page')}</span>
          </p>
          {query.data.stoppedEarly && <p className="warning">{query.data.stoppedEarly}</p>}
          <FilterInput label="Filter repositories" placeholder="filter repositories" value={filter} onChange={setFilter} />
          {filter && (
            <p className="muted" data-testid="match-count">
              {groupDigits(matches.length)} matching
            </p>
          )}
          <VirtualRows
            count={matches.length}
            rowHeight={ROW_HEIGHT}
            testId="repositories"
            renderRow={(i) => <Link to={repoUrl({ registry, repository: matches[i]! })}>{matches[i]}</Link>}
          />
        </section>
      )}
    </article>
  );
}
