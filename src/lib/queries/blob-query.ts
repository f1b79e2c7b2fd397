/** A JSON blob (config, attestation, artifact) fetched by digest and verified; immutable. */
import { queryOptions } from '@tanstack/react-query';
import { immutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { DescriptorHints, RepositoryName } from '../view-urls';

export function jsonBlobQuery(repo: RepositoryName, digest: string, hints: DescriptorHints = {}) {
  return queryOptions({
    queryKey: registryKeys.blob(repo, digest, hints),
    queryFn: (context) =>
      withRetryReports(context, (call) =>
        registryClient.fetchJsonBlob(repo, digest, { size: hints.size, mediaType: hints.mediaType }, call),
      ),
    ...immutable,
  });
}
