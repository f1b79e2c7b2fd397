/**
 * A manifest or index, fetched and verified, then read into its typed form. By digest it is
 * kept forever; by tag it is looked at again after a short while because tags move.
 */
import { queryOptions } from '@tanstack/react-query';
import { type RegistryDocument, readRegistryDocument } from '../../oci/spec/manifest';
import type { ImageReference } from '../../oci/spec/reference';
import { immutable, mutable, registryKeys } from '../query-keys';
import { registryClient } from '../registry';
import { withRetryReports } from '../retry-progress';
import type { DescriptorHints } from '../view-urls';
import type { CallOptions } from '../../oci/registry/transport';
import type { FetchedDocument } from '../../oci/registry/document';

export interface ManifestResult {
  fetched: FetchedDocument;
  document: RegistryDocument;
}

export async function fetchManifest(ref: ImageReference, hints: DescriptorHints, call: CallOptions = {}): Promise<ManifestResult> {
  const fetched = await registryClient.fetchManifest(ref, { size: hints.size, mediaType: hints.mediaType }, call);
  const document: RegistryDocument =
    fetched.json === undefined
      ? { kind: 'unknown', problems: [`The manifest is not valid JSON: ${fetched.parseError ?? 'unknown error'}`] }
      : readRegistryDocument(fetched.json, fetched.contentType);
  return { fetched, document };
}

export function manifestQuery(ref: ImageReference, hints: DescriptorHints = {}) {
  const reference = ref.digest ?? `tag:${ref.tag ?? 'latest'}`;
  return queryOptions({
    queryKey: registryKeys.manifest(ref, reference, hints),
    queryFn: (context) => withRetryReports(context, (call) => fetchManifest(ref, hints, call)),
    ...(ref.digest ? immutable : mutable),
  });
}
