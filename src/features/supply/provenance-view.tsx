/**
 * SLSA provenance, v0.2 or v1, read into who built it, how, from what and when. Image
 * dependencies link back into ociscope, pinned to their digest; git sources link to the commit
 * on their forge; parameters are shown as JSON text.
 */
import { useMemo } from 'react';
import { Link } from 'react-router';
import { formatReference } from '../../oci/spec/reference';
import { type Material, readProvenance } from '../../oci/supply/slsa';
import { createRegistryLinker } from '../../lib/json-links';
import { type RepositoryName, imageUrl } from '../../lib/view-urls';
import { JsonView } from '../../ui/json-view';
import { MaybeLink } from './external-link';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';

function MaterialCell({ material }: { material: Material }) {
  if (material.image) {
    return (
      <Link to={imageUrl(material.image)} data-testid="material-image-link">
        {formatReference(material.image)}
      </Link>
    );
  }
  return <MaybeLink text={material.uri ?? material.name} />;
}

function digestText(set: Record<string, string>): string {
  return Object.entries(set)
    .map(([alg, hex]) => `${alg}:${hex}`)
    .join(' ');
}

function yesNo(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? 'yes' : 'no';
}

export function ProvenanceView({ predicate, predicateType, repo }: { predicate: unknown; predicateType: string; repo: RepositoryName }) {
  const provenance = useMemo(() => readProvenance(predicate, predicateType), [predicate, predicateType]);
  const linker = useMemo(() => createRegistryLinker(repo), [repo]);
  if (!('version' in provenance)) return <ProblemNotes problems={provenance.problems} />;
  const source = provenance.source;
  return (
    <section className="supply-section" data-testid="provenance">
      <h4>SLSA provenance {provenance.version}</h4>
      <FactsTable
        testId="provenance-facts"
        facts={[
          ['Builder', provenance.builderId ? <MaybeLink text={provenance.builderId} /> : undefined],
          ['Build type', provenance.buildType ? <MaybeLink text={provenance.buildType} /> : undefined],
          ['Source', source?.uri ? <MaybeLink text={source.uri} /> : undefined],
          [
            'Commit',
            source?.source?.commitUrl ? (
              <MaybeLink text={source.source.commitUrl} />
            ) : source && Object.keys(source.digestSet).length > 0 ? (
              digestText(source.digestSet)
            ) : undefined,
          ],
          ['Entry point', source?.entryPoint],
          [
            'VCS (BuildKit hint, not verified)',
            provenance.vcs ? [provenance.vcs.source, provenance.vcs.revision].filter(Boolean).join(' @ ') : undefined,
          ],
          ['Invocation', provenance.invocationId],
          ['Started', provenance.startedOn],
          ['Finished', provenance.finishedOn],
          ['Hermetic', yesNo(provenance.hermetic)],
          ['Reproducible', yesNo(provenance.reproducible)],
          [
            'Complete',
            provenance.completeness
              ? Object.entries(provenance.completeness)
                  .map(([k, v]) => `${k}: ${v ? 'yes' : 'no'}`)
                  .join(', ')
              : undefined,
          ],
        ]}
      />
      <ProblemNotes problems={provenance.problems} />
      {provenance.materials.length > 0 && (
        <table className="grid" data-testid="materials">
          <caption className="small muted">{provenance.version === 'v1' ? 'Resolved dependencies' : 'Materials'}</caption>
          <thead>
            <tr>
              <th>Dependency</th>
              <th>Digest</th>
            </tr>
          </thead>
          <tbody>
            {provenance.materials.map((m, i) => (
              <tr key={i} data-testid="material">
                <td>
                  <MaterialCell material={m} />
                  {m.source?.commitUrl && (
                    <div className="small">
                      <MaybeLink text={m.source.commitUrl} />
                    </div>
                  )}
                </td>
                <td>
                  <code>{digestText(m.digestSet)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {provenance.parameters !== undefined && (
        <details>
          <summary>Parameters</summary>
          <JsonView text={JSON.stringify(provenance.parameters, null, 2)} linker={linker} />
        </details>
      )}
      {provenance.environment !== undefined && (
        <details>
          <summary>{provenance.version === 'v1' ? 'Internal parameters' : 'Environment'}</summary>
          <JsonView text={JSON.stringify(provenance.environment, null, 2)} linker={linker} />
        </details>
      )}
    </section>
  );
}
