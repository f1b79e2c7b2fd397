/**
 * `/?referrers=REPO@DIGEST`: what refers to a manifest — signatures, SBOMs, attestations —
 * with where each was found and the proof for the list (distribution-spec "Listing
 * Referrers"; image-spec manifest.md `subject`). An optional `artifactType` narrows it.
 */
import { imageTitle, useDocumentTitle } from '../../ui/document-title';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { formatRepository } from '../../oci/spec/reference';
import { referrersQuery } from '../../lib/queries/referrers-query';
import { useRetryProgress } from '../../lib/retry-progress';
import { imageByDigestUrl, referrersUrl, type RepositoryName, repoUrl } from '../../lib/view-urls';
import { DocumentHeader } from '../../ui/document-header';
import { Digest } from '../../ui/digest-value';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { TrustedContent } from '../../ui/trusted-content';
import { ListingSource } from './listing-source';
import { ReferrersTable } from './referrers-table';

export function ReferrersPage({ repo, digest, artifactType }: { repo: RepositoryName; digest: string; artifactType?: string }) {
  const options = referrersQuery(repo, digest, artifactType);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const list = query.data;
  useDocumentTitle(['referrers', imageTitle({ ...repo, digest })]);

  return (
    <article className="document" data-testid="referrers-page">
      <DocumentHeader
        context={<Link to={repoUrl(repo)}>{formatRepository(repo)}</Link>}
        title={`${formatRepository(repo)}@${digest}`}
        kind="Referrers"
      />
      <p>
        Subject: <Digest value={digest} full to={imageByDigestUrl(repo, digest)} linkTestId="subject-link" />
      </p>
      {artifactType && (
        <p data-testid="referrers-filter">
          Only artifact type <code>{artifactType}</code>
          {list?.filter && (
            <span className="muted">
              {' '}
              (filtered by {list.filter.appliedBy === 'registry' ? 'the registry' : 'ociscope: the registry did not'})
            </span>
          )}
          . <Link to={referrersUrl(repo, digest)}>Show all</Link>
        </p>
      )}
      {query.isPending && !retrying && (
        <p className="loading" role="status">
          Looking for referrers…
        </p>
      )}
      {query.isFetching && retrying && <RetryNotice progress={retrying} />}
      {query.isError && <ErrorPanel error={query.error} />}
      {list && (
        <>
          <ListingSource list={list} />
          <TrustedContent trusted={list.trusted}>
            <section>
              <h3>
                Referrers <span className="count">{list.referrers.length}</span>
              </h3>
              {list.referrers.length === 0 ? (
                <p className="muted" data-testid="no-referrers">
                  No referrers: nothing in this repository names this manifest as its subject
                  {list.cosign.length > 0 ? ', and no cosign tag exists for it' : ''}.
                </p>
              ) : (
                <ReferrersTable repo={repo} subject={digest} referrers={list.referrers} />
              )}
            </section>
          </TrustedContent>
        </>
      )}
    </article>
  );
}
