/**
 * A YAML blob (compose files, Chart.yaml, values.yaml): parsed on first use to say whether it is
 * valid YAML, and shown as its own text — the parsed value is never rendered as markup.
 */
import { useQuery } from '@tanstack/react-query';
import { parseYaml } from '../../oci/supply/helm';
import { ProblemNotes } from './problem-notes';
import { TextView } from './text-view';

export function YamlView({ text, id, title }: { text: string; id: string; title?: string }) {
  const parsed = useQuery({ queryKey: ['supply', 'yaml', id], queryFn: () => parseYaml(text), staleTime: Infinity, retry: false });
  return (
    <section className="supply-section" data-testid="yaml-view">
      {title && <h4>{title}</h4>}
      {parsed.data && !parsed.data.ok && <ProblemNotes problems={[parsed.data.problem]} />}
      <TextView text={text} />
    </section>
  );
}
