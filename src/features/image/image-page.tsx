/**
 * `/?image=REF`: the document a reference resolves to — an index with its platforms or a
 * manifest with its config and layers — beside its JSON, under its proof of integrity.
 */
import { imageTitle, useDocumentTitle } from '../../ui/document-title';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { Link } from 'react-router';
import { type ImageReference, formatReference, formatRepository } from '../../oci/spec/reference';
import type { RegistryDocument } from '../../oci/spec/manifest';
import { describeMediaType } from '../../oci/spec/media-types';
import { manifestQuery } from '../../lib/queries/manifest-query';
import { createRegistryLinker } from '../../lib/json-links';
import { useRetryProgress } from '../../lib/retry-progress';
import { type DescriptorHints, referrersUrl, repoUrl } from '../../lib/view-urls';
import { AnnotationsTable } from '../../ui/annotations-table';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { JsonView } from '../../ui/json-view';
import { ProblemsList } from '../../ui/problems-list';
import { SectionBoundary } from '../../ui/section-boundary';
import { DocumentHeader } from '../../ui/document-header';
import { TrustedContent } from '../../ui/trusted-content';
import { DocumentProof } from '../../ui/document-proof';
import { IndexTable } from './index-table';
import { ManifestTables } from './manifest-tables';
import { ResolvedTag } from './resolved-tag';

/** What the proof calls the document: "image index", "manifest". */
function documentNoun(kind: 'index' | 'manifest' | 'schema1' | 'unknown'): string {
  return kind === 'index' ? 'image index' : kind === 'manifest' ? 'manifest' : kind === 'schema1' ? 'schema 1 manifest' : 'document';
}

/** What the app adds to an image page about its supply chain (src/features/supply, composed in src/app). */
export type SupplySlot = (page: { digest: string; document: RegistryDocument; about?: string }) => ReactNode;

/**
 * `tools` renders what the app adds under the header once the document is read (the "Compare
 * with…" control), `supply` its supply chain: features do not import each other, so the app
 * hands them in.
 */
export function ImagePage({
  reference,
  hints,
  tools,
  about,
  supply,
}: {
  reference: ImageReference;
  hints: DescriptorHints;
  tools?: (document: RegistryDocument) => ReactNode;
  /** `for=`: the image this artifact was opened from. */
  about?: string;
  supply?: SupplySlot;
}) {
  const options = manifestQuery(reference, hints);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const digest = query.data?.fetched.digest;
  const linker = useMemo(() => createRegistryLinker(reference, digest), [reference, digest]);
  useDocumentTitle([imageTitle(reference)]);

  return (
    <article className="document" data-testid="image-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(reference)}>{formatRepository(reference)}</Link>
            {(query.data?.document.kind === 'index' || query.data?.document.kind === 'manifest') && (
              <>
                {' · '}
                <Link to={referrersUrl(reference, query.data.fetched.digest)} data-testid="referrers-link">
                  Referrers
                </Link>
              </>
            )}
          </>
        }
        title={formatReference(reference)}
        kind={
          query.data &&
          describeMediaType(
            query.data.fetched.json && query.data.document.mediaType ? query.data.document.mediaType : query.data.fetched.contentType,
          )
        }
        kindTestId="document-kind"
      />
      {query.isPending && !retrying && (
        <p className="loading" role="status">
          Fetching and verifying…
        </p>
      )}
      {query.isFetching && retrying && <RetryNotice progress={retrying} />}
      {query.isError && <ErrorPanel error={query.error} />}
      {query.data && (
        <>
          <ResolvedTag ref={reference} fetched={query.data.fetched} />
          {tools?.(query.data.document)}
          <DocumentProof verification={query.data.fetched.verification} what={documentNoun(query.data.document.kind)} />
          <TrustedContent trusted={query.data.fetched.verification.trusted}>
            <ProblemsList problems={query.data.document.problems} />
            {supply && (query.data.document.kind === 'index' || query.data.document.kind === 'manifest') && (
              <SectionBoundary name="The supply chain">
                {supply({ digest: query.data.fetched.digest, document: query.data.document, about })}
              </SectionBoundary>
            )}
            <div className="columns">
              <div className="tables">
                <SectionBoundary name="The tables">
                  {query.data.document.kind === 'index' && <IndexTable repo={reference} index={query.data.document} />}
                  {query.data.document.kind === 'manifest' && (
                    <ManifestTables repo={reference} manifest={query.data.document} digest={query.data.fetched.digest} about={about} />
                  )}
                  {query.data.document.kind === 'schema1' && (
                    <p className="warning">Docker schema 1 manifests are deprecated; ociscope shows them as JSON only.</p>
                  )}
                  {'annotations' in query.data.document && (
                    <AnnotationsTable title="Annotations" entries={query.data.document.annotations} testId="annotations" />
                  )}
                </SectionBoundary>
              </div>
              <SectionBoundary name="The JSON">
                <JsonView text={query.data.fetched.text} linker={linker} />
              </SectionBoundary>
            </div>
          </TrustedContent>
        </>
      )}
    </article>
  );
}
