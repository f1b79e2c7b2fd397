/**
 * The referrers of a manifest (distribution-spec "Listing Referrers", with the tag schema and
 * cosign tags as fallbacks; src/oci/referrers.ts). Although asked for by digest, the answer is
 * not immutable: artifacts are pushed after their subject, so this goes stale like a tag.
 */
import { queryOptions } from '@tanstack/react-query';
import { listReferrers } from '../../oci/registry/referrers';
import { mutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { RepositoryName } from '../view-urls';

export function referrersQuery(repo: RepositoryName, digest: string, artifactType?: string) {
  return queryOptions({
    queryKey: registryKeys.referrers(repo, digest, artifactType),
    queryFn: (context) => withRetryReports(context, (call) => listReferrers(registryClient, repo, digest, { artifactType }, call)),
    ...mutable,
  });
}
