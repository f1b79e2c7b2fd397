/**
 * Referrers of a referrer, for the referrers page's tree: a signature of an SBOM, an
 * attestation about a signature. Each level is its own referrers listing (API, tag schema,
 * cosign tags), fetched as the tree is drawn, up to MAX_DEPTH levels.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { referrersQuery } from '../../lib/queries/referrers-query';
import { type RepositoryName, imageByDigestUrl } from '../../lib/view-urls';

const MAX_DEPTH = 3;

export function ReferrerChildren({ repo, digest, depth = 1 }: { repo: RepositoryName; digest: string; depth?: number }) {
  const query = useQuery({ ...referrersQuery(repo, digest), enabled: depth <= MAX_DEPTH });
  const children = query.data?.referrers ?? [];
  if (depth > MAX_DEPTH || children.length === 0) return null;
  return (
    <ul className="referrer-tree" data-testid="referrer-children" data-depth={depth}>
      {children.map((child) => (
        <li key={child.descriptor.digest} data-testid="referrer-child" data-digest={child.descriptor.digest}>
          ↳{' '}
          <Link
            to={imageByDigestUrl(repo, child.descriptor.digest, { mediaType: child.descriptor.mediaType, size: child.descriptor.size })}
          >
            {child.artifactType ?? child.descriptor.mediaType ?? 'artifact'}
          </Link>{' '}
          <code className="small muted">{child.descriptor.digest.slice(0, 19)}</code>
          <ReferrerChildren repo={repo} digest={child.descriptor.digest} depth={depth + 1} />
        </li>
      ))}
    </ul>
  );
}
