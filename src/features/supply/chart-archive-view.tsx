/**
 * A chart archive (or any archive layer of an artifact): Helm charts get Chart.yaml and
 * values.yaml shown here; every archive links to the layer explorer to browse its files, which
 * verifies it again as it lists them.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { readChartArchive } from '../../oci/supply/chart-archive';
import { HELM_CHART } from '../../oci/supply/helm';
import { essence } from '../../oci/spec/media-types';
import { fsUrl } from '../../lib/view-urls';
import type { DecodeContext } from './decode-context';
import { ProblemNotes } from './problem-notes';
import { YamlView } from './yaml-view';

export function ArchiveView({ bytes, context }: { bytes: Uint8Array; context: DecodeContext }) {
  const isChart = essence(context.mediaType ?? '') === HELM_CHART;
  const chart = useQuery({
    queryKey: ['supply', 'chart', context.digest],
    queryFn: () => readChartArchive(bytes),
    enabled: isChart,
    staleTime: Infinity,
    retry: false,
  });
  return (
    <section className="supply-section" data-testid="archive-view">
      <p>
        An archive.{' '}
        <Link
          to={fsUrl(context.repo, context.digest, '', { mediaType: context.mediaType, size: bytes.length })}
          data-testid="browse-archive"
        >
          Browse its files
        </Link>
        {chart.data && ` (${chart.data.files.length} files)`}.
      </p>
      {chart.data && (
        <>
          <ProblemNotes problems={chart.data.problems} />
          {chart.data.chartYaml !== undefined && (
            <YamlView text={chart.data.chartYaml} id={`${context.digest}#Chart.yaml`} title="Chart.yaml" />
          )}
          {chart.data.valuesYaml !== undefined && (
            <YamlView text={chart.data.valuesYaml} id={`${context.digest}#values.yaml`} title="values.yaml" />
          )}
        </>
      )}
    </section>
  );
}
