/**
 * Which layer passes a filesystem comparison needs. A blob is content-addressed, so a layer both
 * images list by digest is one pass, whichever repository or registry each image lives in: B's
 * copy is read through A's pass. Within one image a repeated layer is one pass too.
 */
import type { LayerScanTarget } from '../../lib/layer-pass-store';
import type { RepositoryName } from '../../lib/view-urls';
import type { Descriptor } from '../../oci/spec/descriptor';

export interface LayerPlan {
  /** One target per layer of A, in manifest order. */
  a: LayerScanTarget[];
  /** One target per layer of B; layers A also has point at A's target. */
  b: LayerScanTarget[];
  /** Every distinct pass, A's first. */
  distinct: LayerScanTarget[];
  /** Layers of B read through A's pass. */
  sharedCount: number;
}

function targetOf(repo: RepositoryName, layer: Descriptor): LayerScanTarget {
  return { repo, digest: layer.digest, mediaType: layer.mediaType, size: Number.isFinite(layer.size) ? layer.size : undefined };
}

export function planLayerPasses(
  a: { repo: RepositoryName; layers: readonly Descriptor[] },
  b: { repo: RepositoryName; layers: readonly Descriptor[] },
): LayerPlan {
  const byDigest = new Map<string, LayerScanTarget>();
  const distinct: LayerScanTarget[] = [];
  const take = (repo: RepositoryName, layer: Descriptor): LayerScanTarget => {
    let target = byDigest.get(layer.digest);
    if (target === undefined) {
      target = targetOf(repo, layer);
      byDigest.set(layer.digest, target);
      distinct.push(target);
    }
    return target;
  };
  const planA = a.layers.map((layer) => take(a.repo, layer));
  const inA = new Set(a.layers.map((layer) => layer.digest));
  const planB = b.layers.map((layer) => take(b.repo, layer));
  return { a: planA, b: planB, distinct, sharedCount: b.layers.filter((layer) => inA.has(layer.digest)).length };
}
