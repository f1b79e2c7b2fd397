/**
 * The diff_id a layer must decompress to: `rootfs.diff_ids[i]` of the config of the manifest the
 * link came from. Both documents are digest-addressed, so they usually come from the cache.
 */
import { useQuery } from '@tanstack/react-query';
import { readImageConfig } from '../../oci/spec/image-config';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { manifestQuery } from '../../lib/queries/manifest-query';
import type { FsContext, RepositoryName } from '../../lib/view-urls';

export interface ExpectedDiffId {
  diffId?: string;
  /** Why there is none: no manifest in the link, still loading, or the documents disagree. */
  reason?: string;
  loading: boolean;
}

export function useExpectedDiffId(repo: RepositoryName, layerDigest: string, context: FsContext): ExpectedDiffId {
  const manifest = useQuery({ ...manifestQuery({ ...repo, digest: context.manifest ?? '' }), enabled: Boolean(context.manifest) });
  const document = manifest.data?.document;
  const config = document?.kind === 'manifest' ? document.config : undefined;
  const configQuery = useQuery({
    ...jsonBlobQuery(repo, config?.digest ?? '', { mediaType: config?.mediaType, size: config?.size }),
    enabled: Boolean(config?.digestValid),
  });
  if (!context.manifest) return { loading: false, reason: 'Opened without its manifest, so there is no diff_id to compare with.' };
  if (manifest.isPending || (config && configQuery.isPending)) return { loading: true };
  if (!document || document.kind !== 'manifest') return { loading: false, reason: 'The manifest in the link could not be read.' };
  const index = context.index ?? document.layers.findIndex((l) => l.digest === layerDigest);
  if (index < 0 || document.layers[index]?.digest !== layerDigest) {
    return { loading: false, reason: 'This layer is not at that position in the manifest.' };
  }
  if (!configQuery.data) return { loading: false, reason: 'The image config could not be fetched.' };
  if (!configQuery.data.verification.trusted)
    return { loading: false, reason: 'The image config failed verification, so its diff_ids cannot be trusted.' };
  const diffId = readImageConfig(configQuery.data.json)?.diffIds[index];
  return diffId ? { loading: false, diffId } : { loading: false, reason: `The config lists no diff_id for layer ${index + 1}.` };
}
