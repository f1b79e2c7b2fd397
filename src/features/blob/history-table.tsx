/**
 * The build history of an image joined to its layers: each step that made a layer sits beside
 * that layer's diff_id and, when the manifest is known, its compressed digest and size. Steps
 * that changed only metadata are marked empty.
 */
import type { Descriptor } from '../../oci/spec/descriptor';
import { type ImageConfig, joinHistory } from '../../oci/spec/image-config';
import { Digest } from '../../ui/digest-value';
import { SizeText } from '../../ui/size-text';
import { DateText } from '../../ui/date-text';

export function HistoryTable({ config, layers }: { config: ImageConfig; layers: Descriptor[] | undefined }) {
  const { rows, mismatch } = joinHistory(config);
  if (rows.length === 0) return <p className="muted">The config records no history.</p>;
  return (
    <section>
      <h3>History</h3>
      {mismatch && <p className="warning">{mismatch}</p>}
      <table className="grid history" data-testid="history">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Created</th>
            <th>Created by</th>
            <th>Layer</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const layer = row.layerIndex === undefined ? undefined : layers?.[row.layerIndex];
            const diffId = row.layerIndex === undefined ? undefined : config.diffIds[row.layerIndex];
            return (
              <tr key={i} data-testid="history-row" data-empty={row.layerIndex === undefined}>
                <td className="num">{i + 1}</td>
                <td>{row.entry.created ? <DateText value={row.entry.created} /> : ''}</td>
                <td>
                  <code className="created-by">{row.entry.createdBy ?? ''}</code>
                  {row.entry.comment && <div className="muted small">{row.entry.comment}</div>}
                </td>
                <td>
                  {row.layerIndex === undefined ? (
                    <span className="muted">empty layer</span>
                  ) : (
                    <>
                      layer {row.layerIndex + 1}
                      {layer && (
                        <>
                          {' · '}
                          <SizeText bytes={layer.size} /> <Digest value={layer.digest} />
                        </>
                      )}
                      {diffId && (
                        <div className="muted small">
                          diff_id <Digest value={diffId} />
                        </div>
                      )}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
