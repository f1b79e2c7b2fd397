/**
 * One side of a comparison, as it was received: the reference, what it resolved to, whether its
 * bytes were verified, and what the document is. A side that could not be read says why in the
 * error panel's specific words while the other side's card still shows.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { formatBytes } from '../../ui/format';
import type { ManifestResult } from '../../lib/queries/manifest-query';
import { imageByDigestUrl, imageUrl } from '../../lib/view-urls';
import type { RetryProgress } from '../../oci/registry/retry';
import { isAttestation } from '../../oci/spec/descriptor';
import { type RegistryDocument, totalSize } from '../../oci/spec/manifest';
import { describeMediaType } from '../../oci/spec/media-types';
import { type ImageReference, formatReference } from '../../oci/spec/reference';
import { CopyButton } from '../../ui/copy-button';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { documentProofState } from '../../ui/document-proof';
import { ProofMark } from '../../ui/proof-mark';

/** Which reference of the link a piece of the page is about: `compare=` is A, `with=` is B. */
export type Side = 'A' | 'B';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "3 platforms, 1 attestation" or "4 layers, 31.2 MiB": what the document holds, in a few words. */
export function documentFacts(document: RegistryDocument): string {
  if (document.kind === 'index') {
    const attestations = document.manifests.filter(isAttestation).length;
    const entries = document.manifests.length - attestations;
    return [plural(entries, 'entry', 'entries'), attestations > 0 && plural(attestations, 'attestation')].filter(Boolean).join(', ');
  }
  if (document.kind === 'manifest') {
    const bytes = totalSize(document.layers) + (document.config && Number.isFinite(document.config.size) ? document.config.size : 0);
    return `${plural(document.layers.length, 'layer')}, ${formatBytes(bytes)}${document.artifactType ? ` · artifact ${document.artifactType}` : ''}`;
  }
  return document.kind === 'schema1' ? 'Docker schema 1 (deprecated)' : 'not a document ociscope can read';
}

const headlines = {
  verified: 'verified in your browser',
  unverified: 'not verified against an expected digest',
  mismatch: 'MISMATCH — content untrusted',
} as const;

export function SideCard({
  side,
  reference,
  query,
  retrying,
}: {
  side: Side;
  reference: ImageReference;
  query: UseQueryResult<ManifestResult>;
  retrying: RetryProgress | undefined;
}) {
  const data = query.data;
  const status = data ? documentProofState(data.fetched.verification) : undefined;
  return (
    <section
      className={`compare-side ${status ?? ''}`}
      data-testid={`side-${side}`}
      data-status={status ?? (query.isError ? 'error' : 'pending')}
    >
      <p className="compare-side-label">
        <span className="side-tag">{side}</span> <Link to={imageUrl(reference)}>{formatReference(reference)}</Link>
      </p>
      {query.isPending && !retrying && (
        <p className="loading" role="status">
          Fetching and verifying…
        </p>
      )}
      {query.isFetching && retrying && <RetryNotice progress={retrying} />}
      {query.isError && <ErrorPanel error={query.error} />}
      {data && status && (
        <>
          <p className="kind" data-testid={`side-${side}-kind`}>
            {describeMediaType(data.document.mediaType ?? data.fetched.contentType)} · {documentFacts(data.document)}
          </p>
          <p className="compare-digest">
            {data.fetched.fetchedBy === 'tag' ? 'resolved to ' : ''}
            <Link to={imageByDigestUrl(reference, data.fetched.digest)} data-testid={`side-${side}-digest`}>
              <code>{data.fetched.digest}</code>
            </Link>{' '}
            <CopyButton text={data.fetched.digest} what="digest" />
          </p>
          <p className={`compare-proof ${status}`} data-testid={`side-${side}-verification`} data-status={status}>
            <span className={`badge ${status}`}>
              <ProofMark state={status} /> {headlines[status]}
            </span>{' '}
            {status === 'verified'
              ? `${data.fetched.verification.receivedSize.toLocaleString('en-US')} bytes hash to the expected digest.`
              : status === 'unverified'
                ? 'The registry named no digest to check against; the computed digest above identifies what was received.'
                : (data.fetched.verification.notes[0] ?? 'A check failed.')}{' '}
            <Link to={imageUrl(reference)}>See the proof</Link>
          </p>
        </>
      )}
    </section>
  );
}
