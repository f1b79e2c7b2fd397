/**
 * Query keys from general to specific (registry → repository → document), so that a whole
 * registry or repository can be invalidated at once. Digest-addressed keys name immutable
 * content; tag keys name something that moves.
 */
import type { RepositoryName } from './view-urls';

export const registryKeys = {
  all: ['registry'] as const,
  repository: (repo: RepositoryName) => [...registryKeys.all, repo.registry, repo.repository] as const,
  manifest: (repo: RepositoryName, reference: string, hints: object) =>
    [...registryKeys.repository(repo), 'manifest', reference, hints] as const,
  blob: (repo: RepositoryName, digest: string, hints: object) => [...registryKeys.repository(repo), 'blob', digest, hints] as const,
  tags: (repo: RepositoryName) => [...registryKeys.repository(repo), 'tags'] as const,
  referrers: (repo: RepositoryName, digest: string, artifactType: string | undefined) =>
    [...registryKeys.repository(repo), 'referrers', digest, artifactType ?? ''] as const,
};

/** Content addressed by digest never changes: keep it for the life of the page. */
export const immutable = { staleTime: Infinity, gcTime: Infinity } as const;
/** A tag can be moved at any time; look again after a short while. */
export const mutable = { staleTime: 30_000, gcTime: 5 * 60_000 } as const;
