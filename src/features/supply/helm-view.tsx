/**
 * A Helm chart's metadata (the OCI config blob, Chart.yaml as JSON): name, version, app version,
 * what it is, who keeps it, what it depends on. URLs link only when http(s).
 */
import { useMemo } from 'react';
import { readChartMetadata } from '../../oci/supply/helm';
import { MaybeLink } from './external-link';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';

export function HelmChartView({ json }: { json: unknown }) {
  const chart = useMemo(() => readChartMetadata(json), [json]);
  return (
    <section className="supply-section" data-testid="helm-chart">
      <h3>
        Helm chart {chart.name} <span className="muted">{chart.version}</span>
      </h3>
      <FactsTable
        facts={[
          ['Description', chart.description],
          ['App version', chart.appVersion],
          ['Chart API', chart.apiVersion],
          ['Type', chart.type],
          ['Kubernetes', chart.kubeVersion],
          ['Home', chart.home ? <MaybeLink text={chart.home} /> : undefined],
          [
            'Sources',
            chart.sources.length > 0
              ? chart.sources.map((s) => (
                  <div key={s}>
                    <MaybeLink text={s} />
                  </div>
                ))
              : undefined,
          ],
          ['Keywords', chart.keywords.length > 0 ? chart.keywords.join(', ') : undefined],
          [
            'Maintainers',
            chart.maintainers.length > 0
              ? chart.maintainers.map((m, i) => (
                  <div key={i}>
                    {[m.name, m.email].filter(Boolean).join(' ')} {m.url && <MaybeLink text={m.url} />}
                  </div>
                ))
              : undefined,
          ],
          ['Deprecated', chart.deprecated ? 'yes' : undefined],
        ]}
      />
      {chart.dependencies.length > 0 && (
        <table className="grid" data-testid="helm-dependencies">
          <caption className="small muted">Dependencies</caption>
          <thead>
            <tr>
              <th>Chart</th>
              <th>Version</th>
              <th>Repository</th>
            </tr>
          </thead>
          <tbody>
            {chart.dependencies.map((d, i) => (
              <tr key={i}>
                <td>{d.name}</td>
                <td>{d.version}</td>
                <td>
                  <MaybeLink text={d.repository} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemNotes problems={chart.problems} />
    </section>
  );
}
