/**
 * What an analysis looks like on screen, for an image or one layer: the summary, the treemap
 * zoomed into `?dir=` (so back and forward zoom out and in, and a zoomed view can be shared), a
 * breadcrumb to zoom out, the legend and the wasted files.
 */
import { useSearchParams } from 'react-router';
import type { SizeAnalysis } from '../../oci/sizes/size-analysis';
import { Breadcrumbs, type Crumb } from '../../ui/breadcrumbs';
import { DuplicateList, LayerLegend, SizesSummary, TopWasted, type LayerHref } from './sizes-summary';
import { SizeTreemap } from './size-treemap';
import './sizes.css';

function crumbsOf(dir: string, hrefOf: (dir: string) => string): Crumb[] {
  const parts = dir === '.' ? [] : dir.split('/');
  return [
    { label: '/', to: hrefOf('.'), kind: 'path' },
    ...parts.map((label, i) => ({ label, to: hrefOf(parts.slice(0, i + 1).join('/')), kind: 'path' })),
  ];
}

export function SizesView({
  analysis,
  layerHref,
  zoomHref,
}: {
  analysis: SizeAnalysis;
  layerHref: LayerHref;
  /** The URL of this view zoomed into `dir` ('.' for the whole). */
  zoomHref: (dir: string) => string;
}) {
  const [params, setParams] = useSearchParams();
  const asked = params.get('dir') ?? '.';
  const focus = analysis.tree.get(asked);
  const zoom = (dir: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (dir === '.') next.delete('dir');
      else next.set('dir', dir);
      return next;
    });
  return (
    <section className="sizes" data-testid="sizes-view">
      <SizesSummary analysis={analysis} />
      <h3>Where the bytes are</h3>
      <Breadcrumbs crumbs={crumbsOf(focus?.isDir ? asked : '.', zoomHref)} />
      {focus?.isDir ? (
        <SizeTreemap focus={focus} onZoom={zoom} />
      ) : (
        <p className="error-panel" role="alert" data-testid="no-such-dir">
          /{asked} is not a directory of this filesystem.
        </p>
      )}
      <LayerLegend analysis={analysis} layerHref={layerHref} />
      <TopWasted analysis={analysis} layerHref={layerHref} />
      <DuplicateList analysis={analysis} layerHref={layerHref} />
    </section>
  );
}
