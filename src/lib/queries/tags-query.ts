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
