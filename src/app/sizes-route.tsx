/**
 * `/sizes/REPO@MANIFEST` and `/size/REPO@LAYER` (explore.ggcr.dev's forms, read by fs-params.ts):
 * the sizes views, with the layer explorer's pass progress handed in (features do not import
 * each other). Loaded on first use, with d3-hierarchy.
 */
import { useSyncExternalStore } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { ScanProgress } from '../features/layer/scan-progress';
import { ImageSizesPage, LayerSizesPage } from '../features/sizes/sizes-page';
import type { LayerScan } from '../lib/layer-pass-store';
import { formatRepository } from '../oci/spec/reference';
import { parseFsView } from './fs-params';
import { InvalidLinkPanel } from './invalid-link';

function PassProgress({ scan }: { scan: LayerScan }) {
  const state = useSyncExternalStore(scan.subscribe, scan.getSnapshot);
  return <ScanProgress state={state} onCancel={() => scan.cancel()} onRestart={() => scan.restart()} />;
}

export function SizesRoute() {
  const location = useLocation();
  const [params] = useSearchParams();
  const view = parseFsView(location.pathname, params);
  if (view.kind === 'invalid') {
    return <InvalidLinkPanel title="Not a valid sizes link" input={view.input} message={view.message} />;
  }
  const { repo, digest, context } = view;
  const key = `${formatRepository(repo)}@${digest}`;
  return view.form === 'size' ? (
    <LayerSizesPage key={key} repo={repo} digest={digest} context={context} Progress={PassProgress} />
  ) : (
    <ImageSizesPage key={key} repo={repo} digest={digest} context={context} Progress={PassProgress} />
  );
}
