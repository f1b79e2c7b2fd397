/**
 * Where a link should have gone, when its digest names something the link's form does not show
 * (an index opened as a filesystem, a config opened as a layer, a layer opened as a document):
 * what the digest is, how that was found out, and the view that shows it, one click away. Also
 * the probe both link forms without `mt` wait on while that is found out.
 */
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { digestTargetQuery, type ResolvedTarget } from '../lib/queries/digest-target-query';
import { useRetryProgress } from '../lib/retry-progress';
import type { RepositoryName } from '../lib/view-urls';
import { ErrorPanel, RetryNotice } from '../ui/error-panel';

export interface PointerLink {
  to: string;
  label: string;
}

export function DigestPointer({
  title,
  what,
  links,
  children,
}: {
  title: string;
  what: string;
  links: PointerLink[];
  children?: ReactNode;
}) {
  return (
    <article className="document" data-testid="digest-pointer" data-target={what}>
      <h2>{title}</h2>
      {children}
      <ul data-testid="pointer-links">
        {links.map((link) => (
          <li key={link.to}>
            <Link to={link.to}>{link.label}</Link>
          </li>
        ))}
      </ul>
    </article>
  );
}

/**
 * Finds out what a digest names (digest-target-query.ts), saying so while it does — and why it
 * waits when the registry asked for a retry — then renders `children` with the answer.
 */
export function DigestTargetProbe({
  repo,
  digest,
  children,
}: {
  repo: RepositoryName;
  digest: string;
  children: (resolved: ResolvedTarget) => ReactNode;
}) {
  const options = digestTargetQuery(repo, digest);
  const probe = useQuery(options);
  const retrying = useRetryProgress(options.queryKey);
  if (probe.isPending)
    return retrying ? (
      <RetryNotice progress={retrying} />
    ) : (
      <p className="loading" role="status">
        Finding out what {digest.slice(0, 19)} is…
      </p>
    );
  if (probe.isError) return <ErrorPanel error={probe.error} />;
  return <>{children(probe.data)}</>;
}
