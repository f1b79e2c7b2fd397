/**
 * The numbers beside the picture: stored, present and wasted bytes, the efficiency score, what
 * is stored twice, one legend row per layer, and the largest wasted files with the layer that
 * added and the layer that removed each — each a link into that layer's files.
 */
import { Link } from 'react-router';
import type { SizeAnalysis } from '../../oci/sizes/size-analysis';
import { countOf, formatBytes } from '../../ui/format';
import { SizeText } from '../../ui/size-text';
import { layerColour, layerLabel } from './layer-colours';

/** Where a path of layer `i` opens in the layer explorer. */
export type LayerHref = (layerIndex: number, path: string, isDir: boolean) => string;

export function SizesSummary({ analysis }: { analysis: SizeAnalysis }) {
  const { duplicates } = analysis;
  return (
    <dl className="sizes-summary" data-testid="sizes-summary">
      <dt>Stored in the layers</dt>
      <dd data-testid="stored-bytes" data-bytes={analysis.stored}>
        <SizeText bytes={analysis.stored} />
      </dd>
      <dt>In the final filesystem</dt>
      <dd data-testid="present-bytes" data-bytes={analysis.present}>
        <SizeText bytes={analysis.present} />
      </dd>
      <dt>Wasted (overwritten or deleted by a later entry)</dt>
      <dd data-testid="wasted-bytes" data-bytes={analysis.wasted}>
        <SizeText bytes={analysis.wasted} /> in {countOf(analysis.wastedCount, 'file')}
      </dd>
      <dt>Efficiency (1 − wasted / stored)</dt>
      <dd data-testid="efficiency" data-value={analysis.efficiency}>
        {(analysis.efficiency * 100).toFixed(2)} %
      </dd>
      <dt>Stored by more than one layer (same content)</dt>
      <dd data-testid="duplicate-bytes" data-bytes={duplicates.extraBytes}>
        <SizeText bytes={duplicates.extraBytes} /> extra in {countOf(duplicates.groups.length, 'content')}
        {duplicates.unhashed > 0 && (
          <span className="muted"> ({countOf(duplicates.unhashed, 'file')} without a content digest not compared)</span>
        )}
      </dd>
    </dl>
  );
}

export function LayerLegend({ analysis, layerHref }: { analysis: SizeAnalysis; layerHref: LayerHref }) {
  return (
    <table className="grid layer-legend" data-testid="layer-legend">
      <thead>
        <tr>
          <th>Layer</th>
          <th className="num">Stored</th>
          <th className="num">Still present</th>
          <th className="num">Wasted later</th>
          <th className="num">Removes from below</th>
        </tr>
      </thead>
      <tbody>
        {analysis.layers.map((layer, i) => (
          <tr key={i} data-testid="legend-layer">
            <td>
              <span className="swatch" style={{ background: layerColour(i) }} aria-hidden="true" />{' '}
              <Link to={layerHref(i, '', true)}>{layerLabel(i)}</Link>
              {layer.whiteouts > 0 && <span className="muted"> · {countOf(layer.whiteouts, 'whiteout')}</span>}
            </td>
            <td className="num">
              <SizeText bytes={layer.stored} />
            </td>
            <td className="num">
              <SizeText bytes={layer.present} />
            </td>
            <td className="num">
              <SizeText bytes={layer.wasted} />
            </td>
            <td className="num">
              <SizeText bytes={layer.removes} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function TopWasted({ analysis, layerHref }: { analysis: SizeAnalysis; layerHref: LayerHref }) {
  if (analysis.topWasted.length === 0)
    return <p data-testid="no-waste">No layer overwrites or deletes a file of another: nothing is wasted.</p>;
  return (
    <section>
      <h3>Largest wasted files</h3>
      <table className="grid" data-testid="top-wasted">
        <thead>
          <tr>
            <th className="num">Size</th>
            <th>Path</th>
            <th>Added by</th>
            <th>Removed by</th>
          </tr>
        </thead>
        <tbody>
          {analysis.topWasted.map((w, i) => (
            <tr key={i} data-testid="wasted-row" data-path={w.path} data-added={w.addedBy} data-removed={w.removedBy}>
              <td className="num">
                <SizeText bytes={w.size} />
              </td>
              <td>
                <Link to={layerHref(w.addedBy, w.path, false)}>/{w.path}</Link>
              </td>
              <td>{layerLabel(w.addedBy)}</td>
              <td>
                <Link to={layerHref(w.removedBy, parentOf(w.path), true)}>{layerLabel(w.removedBy)}</Link> (
                {w.how === 'deleted' ? 'deleted' : 'overwritten'})
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function DuplicateList({ analysis, layerHref }: { analysis: SizeAnalysis; layerHref: LayerHref }) {
  const groups = analysis.duplicates.groups.slice(0, 20);
  if (groups.length === 0) return null;
  return (
    <details className="largest" data-testid="duplicates">
      <summary>Same content in several layers ({formatBytes(analysis.duplicates.extraBytes)} extra)</summary>
      <table className="grid">
        <tbody>
          {groups.map((g) => (
            <tr key={g.contentDigest}>
              <td className="num">
                <SizeText bytes={g.size} /> × {g.copies.length}
              </td>
              <td>
                {g.copies.map((c, i) => (
                  <span key={i}>
                    {i > 0 && ', '}
                    <Link to={layerHref(c.layerIndex, c.path, false)}>
                      {layerLabel(c.layerIndex)} /{c.path}
                    </Link>
                    {!c.present && <span className="muted"> (removed)</span>}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
