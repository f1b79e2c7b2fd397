/**
 * `/?blob=REPO@DIGEST`: a config or other JSON blob, verified, with a readable summary for image
 * configs. Layers and other binary blobs are not JSON; they are described and offered for a
 * verified download here (blob-download.tsx), and browsed in the layer explorer.
 */
import { imageTitle, useDocumentTitle } from '../../ui/document-title';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { Link } from 'react-router';
import { readImageConfig } from '../../oci/spec/image-config';
import { describeMediaType, kindOf } from '../../oci/spec/media-types';
import { formatRepository } from '../../oci/spec/reference';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { manifestQuery } from '../../lib/queries/manifest-query';
import { createRegistryLinker } from '../../lib/json-links';
import { useRetryProgress } from '../../lib/retry-progress';
import { type DescriptorHints, type RepositoryName, imageByDigestUrl, repoUrl } from '../../lib/view-urls';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { JsonView } from '../../ui/json-view';
import { SectionBoundary } from '../../ui/section-boundary';
import { SizeText } from '../../ui/size-text';
import { DocumentHeader } from '../../ui/document-header';
import { TrustedContent } from '../../ui/trusted-content';
import { DocumentProof } from '../../ui/document-proof';
import { BlobDownload } from './blob-download';
import { ConfigSummary } from './config-summary';
import { HistoryTable } from './history-table';
import { MAX_DOCUMENT_BYTES } from '../../oci/spec/limits';

interface BlobPageProps {
  repo: RepositoryName;
  digest: string;
  hints: DescriptorHints;
  from?: string;
  /** `for=`: the image this document was opened from, for cross-checks. */
  about?: string;
  /**
   * Shows a document that is neither an image config nor an image layer (signatures, SBOMs,
   * attestations, artifact files) decoded by type; composed by the app from src/features/supply.
   */
  documentSlot?: (blob: { repo: RepositoryName; digest: string; hints: DescriptorHints; from?: string; about?: string }) => ReactNode;
}

function BinaryBlob({ repo, digest, hints }: BlobPageProps) {
  return (
    <section className="binary-blob" data-testid="binary-blob">
      <p>
        This blob ({describeMediaType(hints.mediaType)}
        {hints.size !== undefined && (
          <>
            , <SizeText bytes={hints.size} />
          </>
        )}
        ) is not a JSON document, so it is not shown here.
      </p>
      <BlobDownload
        repo={repo}
        digest={digest}
        {...(hints.mediaType === undefined ? {} : { mediaType: hints.mediaType })}
        {...(hints.size === undefined ? {} : { size: hints.size })}
      />
    </section>
  );
}

function JsonBlob({ repo, digest, hints, from }: BlobPageProps) {
  const options = jsonBlobQuery(repo, digest, hints);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const manifest = useQuery({ ...manifestQuery({ ...repo, digest: from ?? '' }), enabled: Boolean(from) });
  const linker = useMemo(() => createRegistryLinker(repo), [repo]);
  if (query.isPending)
    return retrying ? (
      <RetryNotice progress={retrying} />
    ) : (
      <p className="loading" role="status">
        Fetching and verifying…
      </p>
    );
  if (query.isError) return <ErrorPanel error={query.error} />;
  const fetched = query.data;
  const config =
    kindOf(hints.mediaType) === 'config' || (hints.mediaType === undefined && isConfigLike(fetched.json))
      ? readImageConfig(fetched.json)
      : undefined;
  const layers = manifest.data?.document.kind === 'manifest' ? manifest.data.document.layers : undefined;
  return (
    <>
      <DocumentProof verification={fetched.verification} what={config ? 'config' : 'blob'} />
      <TrustedContent trusted={fetched.verification.trusted}>
        <div className="columns">
          {config && (
            <div className="tables">
              <SectionBoundary name="The config summary">
                <ConfigSummary config={config} imageId={fetched.verification.computed} />
                <HistoryTable config={config} layers={layers} />
              </SectionBoundary>
            </div>
          )}
          <SectionBoundary name="The JSON">
            <JsonView text={fetched.text} linker={linker} />
          </SectionBoundary>
        </div>
      </TrustedContent>
    </>
  );
}

function isConfigLike(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'rootfs' in json && ('architecture' in json || 'os' in json);
}

export function BlobPage(props: BlobPageProps) {
  const { repo, digest, hints, from } = props;
  const kind = kindOf(hints.mediaType);
  useDocumentTitle([kind === 'config' ? 'config' : kind === 'layer' ? 'layer' : 'blob', imageTitle({ ...repo, digest })]);
  const binary = kind === 'layer' || (kind === 'other' && hints.mediaType !== undefined) || (hints.size ?? 0) > MAX_DOCUMENT_BYTES;
  // Image configs keep their summary; image layers their download; any other blob is a document.
  const document = props.documentSlot && hints.mediaType !== undefined && kind !== 'config' && kind !== 'layer';
  return (
    <article className="document" data-testid="blob-page">
      <DocumentHeader
        context={
          <>
            <Link to={repoUrl(repo)}>{formatRepository(repo)}</Link>
            {from && (
              <>
                {' · from manifest '}
                <Link to={imageByDigestUrl(repo, from)}>{from.slice(0, 19)}</Link>
              </>
            )}
          </>
        }
        title={`${formatRepository(repo)}@${digest}`}
        kind={hints.mediaType ? describeMediaType(hints.mediaType) : 'blob (the link names no media type)'}
      />
      {document ? (
        <>
          {props.documentSlot!({ repo, digest, hints, from, about: props.about })}
          <BlobDownload
            repo={repo}
            digest={digest}
            {...(hints.mediaType === undefined ? {} : { mediaType: hints.mediaType })}
            {...(hints.size === undefined ? {} : { size: hints.size })}
          />
        </>
      ) : binary ? (
        <BinaryBlob {...props} />
      ) : (
        <JsonBlob {...props} />
      )}
    </article>
  );
}
