/** Every tag of a repository, all pages followed. Tags come and go, so this goes stale. */
import { queryOptions } from '@tanstack/react-query';
import { mutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { RepositoryName } from '../view-urls';

export function tagsQuery(repo: RepositoryName) {
  return queryOptions({
    queryKey: registryKeys.tags(repo),
    queryFn: (context) => withRetryReports(context, (call) => registryClient.listTags(repo, call)),
    ...mutable,
  });
}

/** Every repository a registry's catalog lists (`/v2/_catalog`), all pages followed; goes stale too. */
export function catalogQuery(registry: string) {
  return queryOptions({
    // '_catalog' can be no repository's name (names start with a letter or digit), so no key collides.
    queryKey: [...registryKeys.all, registry, '_catalog'] as const,
    queryFn: (context) => withRetryReports(context, (call) => registryClient.listCatalog(registry, call)),
    ...mutable,
  });
}
