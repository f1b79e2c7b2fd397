/**
 * The blob page's content for everything that is not an image config: the bytes fetched and
 * verified (supply-blob-query.ts), the proof, and the decoded view inside the trust frame. The
 * manifest the blob was reached from supplies its descriptor (cosign's signature annotations)
 * and its `subject`, the image a cross-check compares with; a `for` digest in the link is the
 * fallback when the manifest names none (BuildKit attestations, cosign tags).
 */
import { useQuery } from '@tanstack/react-query';
import type { RegistryDocument } from '../../oci/spec/manifest';
import type { Target } from '../../oci/supply/cross-check';
import { manifestQuery } from '../../lib/queries/manifest-query';
import { useRetryProgress } from '../../lib/retry-progress';
import type { DescriptorHints, RepositoryName } from '../../lib/view-urls';
import { ErrorPanel, RetryNotice } from '../../ui/error-panel';
import { TrustedContent } from '../../ui/trusted-content';
import { DocumentProof } from '../../ui/document-proof';
import { DecodedBlob } from './decoded-blob';
import { supplyBlobQuery } from './queries/supply-blob-query';

export interface SupplyBlobProps {
  repo: RepositoryName;
  digest: string;
  hints: DescriptorHints;
  /** The manifest the blob was reached from. */
  from?: string;
  /** The image this blob is said to be about, from the link (`for=`). */
  about?: string;
}

/** The subject of the manifest we came from wins over the link: it is inside verified bytes. */
export function targetOf(document: RegistryDocument | undefined, forDigest: string | undefined): Target | undefined {
  const subject = document && 'subject' in document ? document.subject : undefined;
  if (subject?.digestValid) return { digest: subject.digest, source: 'the subject of the manifest this came from' };
  if (forDigest) return { digest: forDigest, source: 'the image this page was opened from' };
  return undefined;
}

export function SupplyBlob({ repo, digest, hints, from, about }: SupplyBlobProps) {
  const options = supplyBlobQuery(repo, digest, hints);
  const query = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  const manifest = useQuery({ ...manifestQuery({ ...repo, digest: from ?? '' }), enabled: Boolean(from) });
  if (query.isPending)
    return retrying ? (
      <RetryNotice progress={retrying} />
    ) : (
      <p className="loading" role="status">
        Fetching and verifying…
      </p>
    );
  if (query.isError) return <ErrorPanel error={query.error} />;
  const document = manifest.data?.document;
  const layer = document?.kind === 'manifest' ? document.layers.find((l) => l.digest === digest) : undefined;
  const trusted = query.data.verification.trusted && (manifest.data?.fetched.verification.trusted ?? true);
  return (
    <>
      <DocumentProof verification={query.data.verification} what="blob" />
      <TrustedContent trusted={trusted}>
        <DecodedBlob
          bytes={query.data.bytes}
          context={{ repo, digest, mediaType: hints.mediaType ?? layer?.mediaType, layer, target: targetOf(document, about) }}
        />
      </TrustedContent>
    </>
  );
}
