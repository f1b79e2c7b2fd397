/**
 * What a digest in a link names, for links that carry no `mt=` (digest-target.ts has the rules).
 * The blob's first bytes decide between an archive and a document; a document is read whole
 * and named by its type. A registry that keeps manifests apart from blobs (the blob endpoint
 * says 404 for a manifest's digest) is asked the manifests endpoint next — by a digest that is
 * then known not to be a blob, so its error is the answer. Content never changes: immutable.
 */
import { type QueryClient, queryOptions } from '@tanstack/react-query';
import { type DigestTarget, targetOfDocument, targetOfStart } from '../../oci/registry/digest-target';
import { isRegistryError } from '../../oci/registry/errors';
import type { CallOptions } from '../../oci/registry/transport';
import { MAX_DOCUMENT_BYTES } from '../../oci/spec/limits';
import { SNIFF_BYTES } from '../../oci/supply/sniff';
import { immutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { RepositoryName } from '../view-urls';
import { jsonBlobQuery } from './blob-query';
import { fetchManifest } from './manifest-query';

/** A digest's target and, when the registry said, the blob's size (for the size= hint). */
export interface ResolvedTarget {
  target: DigestTarget;
  size?: number;
}

async function resolveDigestTarget(client: QueryClient, repo: RepositoryName, digest: string, call: CallOptions): Promise<ResolvedTarget> {
  let start;
  try {
    start = await registryClient.fetchBlobStart(repo, digest, SNIFF_BYTES, call);
  } catch (error) {
    if (!isRegistryError(error) || error.detail.status !== 404) throw error;
    const manifest = await fetchManifest({ ...repo, digest }, {}, call);
    return { target: targetOfDocument(manifest.fetched.json), size: manifest.fetched.bytes.length };
  }
  const first = targetOfStart(start.bytes, start.complete);
  if (first !== 'json') return { target: first, size: start.totalSize };
  // Manifests and configs are capped far below this; a bigger JSON blob is some other document.
  if (start.totalSize !== undefined && start.totalSize > MAX_DOCUMENT_BYTES) return { target: { kind: 'document' }, size: start.totalSize };
  // Through the cache, under the key the blob page asks with ({ size }), so it is fetched once.
  const document = await client.fetchQuery(jsonBlobQuery(repo, digest, { size: start.totalSize }));
  return { target: targetOfDocument(document.json), size: start.totalSize ?? document.bytes.length };
}

export function digestTargetQuery(repo: RepositoryName, digest: string) {
  return queryOptions({
    queryKey: [...registryKeys.repository(repo), 'target', digest] as const,
    queryFn: (context) => withRetryReports(context, (call) => resolveDigestTarget(context.client, repo, digest, call)),
    ...immutable,
  });
}
