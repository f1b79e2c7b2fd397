/**
 * The layer passes a sizes view needs, through the shared pass store: a pass another view made
 * (or the browser's store of verified layers) is reused, so only layers never read are fetched.
 * Passes start after commit, in manifest order; the analysis runs once every pass is done.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { type LayerScan, allScansVersion, layerScan, subscribeToAllScans } from '../../lib/layer-pass-store';
import { layerTrust } from '../../lib/layer-trust';
import type { RepositoryName } from '../../lib/view-urls';
import { type SizeAnalysis, analyzeSizes } from '../../oci/sizes/size-analysis';

/** A layer to read: what its descriptor says. */
export interface PassLayer {
  digest: string;
  mediaType?: string;
  size?: number;
}

export interface LayerPasses {
  scans: LayerScan[];
  allDone: boolean;
  /** A pass failed or a digest or diff_id did not match: the analysis is untrusted. */
  untrusted: boolean;
  analysis?: SizeAnalysis;
}

/** `layers` must keep its identity across renders (memoise it): the analysis is keyed on it. */
export function useLayerPasses(repo: RepositoryName, layers: readonly PassLayer[], diffIds?: readonly string[]): LayerPasses {
  const scans = useMemo(
    () => layers.map((l) => layerScan({ repo, digest: l.digest, mediaType: l.mediaType, size: l.size })),
    [repo, layers],
  );
  useSyncExternalStore(subscribeToAllScans, allScansVersion);
  useEffect(() => scans.forEach((scan) => scan.start()), [scans]);
  const allDone = scans.every((s) => s.getSnapshot().status === 'done');
  const analysis = useMemo(() => (allDone ? analyzeSizes(scans.map((s) => s.entries)) : undefined), [allDone, scans]);
  const untrusted = scans.some((s, i) => layerTrust(s.getSnapshot(), diffIds?.[i]).failed);
  return { scans, allDone, untrusted, analysis };
}
