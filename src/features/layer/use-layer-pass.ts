/** Subscribes a component to a layer pass (started on first use, shared after). */
import { useSyncExternalStore } from 'react';
import { type LayerScanTarget, layerScan } from '../../lib/layer-pass-store';

export function useLayerScan(target: LayerScanTarget) {
  const scan = layerScan(target);
  const state = useSyncExternalStore(scan.subscribe, scan.getSnapshot);
  return { scan, state };
}
