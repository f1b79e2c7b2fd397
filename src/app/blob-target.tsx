/**
 * `?blob=REPO@DIGEST` without `mt` (explore.ggcr.dev links to layers this way too): the blob's
 * first bytes say whether it is a document, which the blob page shows, or a layer archive,
 * whose files are one link away. The blob page itself stays as it was for links with `mt`.
 */
import type { ReactNode } from 'react';
import { BlobDownload } from '../features/blob/blob-download';
import type { ResolvedTarget } from '../lib/queries/digest-target-query';
import { fsUrl, imageByDigestUrl, type DescriptorHints, type RepositoryName } from '../lib/view-urls';
import { formatRepository } from '../oci/spec/reference';
import { SizeText } from '../ui/size-text';
import { DigestPointer, DigestTargetProbe } from './digest-pointer';

export function BlobTarget({
  repo,
  digest,
  children,
}: {
  repo: RepositoryName;
  digest: string;
  /** The blob page, given the size the registry reported. */
  children: (hints: DescriptorHints) => ReactNode;
}) {
  return (
    <DigestTargetProbe repo={repo} digest={digest}>
      {(resolved) => <BlobTargetView repo={repo} digest={digest} resolved={resolved} blobPage={children} />}
    </DigestTargetProbe>
  );
}

function BlobTargetView({
  repo,
  digest,
  resolved: { target, size },
  blobPage,
}: {
  repo: RepositoryName;
  digest: string;
  resolved: ResolvedTarget;
  blobPage: (hints: DescriptorHints) => ReactNode;
}) {
  const name = `${formatRepository(repo)}@${digest}`;
  if (target.kind === 'layer') {
    return (
      <DigestPointer title="A layer archive" what="layer" links={[{ to: fsUrl(repo, digest, '', { size }), label: 'Browse its files' }]}>
        <p>
          <code>{name}</code> is a {target.sniffed === 'tar' ? 'tar archive' : `${target.sniffed}-compressed stream`}
          {size !== undefined && (
            <>
              {' '}
              of <SizeText bytes={size} />
            </>
          )}
          , not a JSON document.
        </p>
        <BlobDownload repo={repo} digest={digest} {...(size === undefined ? {} : { size })} />
      </DigestPointer>
    );
  }
  if (target.kind === 'manifest' || target.kind === 'index') {
    return (
      <DigestPointer
        title={target.kind === 'index' ? 'An image index' : 'An image manifest'}
        what={target.kind}
        links={[{ to: imageByDigestUrl(repo, digest, { mediaType: target.mediaType, size }), label: `Open the ${target.kind}` }]}
      >
        <p>
          <code>{name}</code> is served by the manifests endpoint; its page verifies it there and shows what it holds.
        </p>
      </DigestPointer>
    );
  }
  // A document's own mediaType field is no descriptor's claim, so only the size is passed on.
  return <>{blobPage({ size })}</>;
}
