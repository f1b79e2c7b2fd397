/**
 * The cross-check of one artifact against the image it was found for: its manifest is fetched
 * (verified, by digest), the plan picks the one document that names the image, and that
 * document (under GLANCE_LAYER_LIMIT) is fetched and read. Unverified bytes are never read.
 */
import { useQuery } from '@tanstack/react-query';
import type { CrossCheck, Target } from '../../oci/supply/cross-check';
import { checkPlan, crossCheckByPlan } from '../../oci/supply/glance';
import { jsonBlobQuery } from '../../lib/queries/blob-query';
import { type ManifestResult, manifestQuery } from '../../lib/queries/manifest-query';
import type { RepositoryName } from '../../lib/view-urls';

export interface ArtifactCheck {
  check?: CrossCheck;
  pending: boolean;
  /** Layers of the artifact, once its manifest is read (for predicate types). */
  manifest?: ManifestResult;
}

const failed = (note: string): CrossCheck => ({ status: 'unchecked', what: 'subject', found: [], note });

export function useArtifactCheck(repo: RepositoryName, digest: string, target: Target): ArtifactCheck {
  const manifest = useQuery(manifestQuery({ ...repo, digest }));
  const document = manifest.data?.document;
  const trusted = manifest.data?.fetched.verification.trusted ?? false;
  const plan = document?.kind === 'manifest' && trusted ? checkPlan(document) : undefined;
  const layer = plan && 'layer' in plan && plan.kind !== 'too-large' ? plan.layer : undefined;
  const blob = useQuery({
    ...jsonBlobQuery(repo, layer?.digest ?? '', { mediaType: layer?.mediaType, size: layer?.size }),
    enabled: layer !== undefined,
  });
  if (manifest.isError)
    return { pending: false, check: failed(`Not compared: the artifact could not be fetched (${manifest.error.message}).`) };
  if (manifest.data && !trusted)
    return {
      pending: false,
      manifest: manifest.data,
      check: {
        status: 'mismatch',
        what: 'manifest digest',
        found: [],
        note: 'The artifact’s manifest failed verification: nothing in it can be trusted.',
      },
    };
  if (manifest.data && document?.kind !== 'manifest')
    return { pending: false, manifest: manifest.data, check: failed('Not compared: the artifact is not an image manifest.') };
  if (!plan) return { pending: true };
  if (!layer) return { pending: false, manifest: manifest.data, check: crossCheckByPlan(plan, undefined, target) };
  if (blob.isError)
    return {
      pending: false,
      manifest: manifest.data,
      check: failed(`Not compared: its document could not be fetched (${blob.error.message}).`),
    };
  if (!blob.data) return { pending: true, manifest: manifest.data };
  if (!blob.data.verification.trusted)
    return {
      pending: false,
      manifest: manifest.data,
      check: {
        status: 'mismatch',
        what: 'document digest',
        found: [],
        note: 'Its document failed verification: what it says cannot be trusted.',
      },
    };
  return { pending: false, manifest: manifest.data, check: crossCheckByPlan(plan, blob.data.json, target) };
}
