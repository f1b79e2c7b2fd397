/**
 * An in-toto Statement: its subjects with their digests, the cross-check against the image it
 * was reached from, the predicate type linked to its spec, and the predicate read by its type
 * (SLSA provenance, SPDX, CycloneDX) or shown as JSON.
 */
import { useMemo } from 'react';
import { checkStatementSubject, readStatement } from '../../oci/supply/in-toto';
import { predicateInfo } from '../../oci/supply/predicate-types';
import { createRegistryLinker } from '../../lib/json-links';
import { JsonView } from '../../ui/json-view';
import { CheckLine } from './check-line';
import type { DecodeContext } from './decode-context';
import { MaybeLink } from './external-link';
import { ProblemNotes } from './problem-notes';
import { ProvenanceView } from './provenance-view';
import { SbomView } from './sbom-view';
import { readCycloneDx } from '../../oci/supply/cyclonedx';
import { readSpdx } from '../../oci/supply/spdx';

function Predicate({
  predicateType,
  predicate,
  context,
}: {
  predicateType: string | undefined;
  predicate: unknown;
  context: DecodeContext;
}) {
  const info = predicateInfo(predicateType);
  const linker = useMemo(() => createRegistryLinker(context.repo), [context.repo]);
  const sbom = useMemo(
    () => (info.kind === 'spdx' ? readSpdx(predicate) : info.kind === 'cyclonedx' ? readCycloneDx(predicate) : undefined),
    [info.kind, predicate],
  );
  if (info.kind === 'provenance' && predicateType)
    return <ProvenanceView predicate={predicate} predicateType={predicateType} repo={context.repo} />;
  if (sbom) return <SbomView sbom={sbom} />;
  return (
    <section className="supply-section">
      <h4>Predicate</h4>
      <JsonView text={JSON.stringify(predicate ?? null, null, 2)} linker={linker} />
    </section>
  );
}

export function StatementView({ json, context }: { json: unknown; context: DecodeContext }) {
  const statement = useMemo(() => readStatement(json), [json]);
  const cross = checkStatementSubject(statement, context.target);
  const info = predicateInfo(statement.predicateType);
  return (
    <section className="supply-section" data-testid="statement" data-predicate-kind={info.kind}>
      <h3>in-toto statement {statement.version !== 'unknown' && <span className="muted small">{statement.version}</span>}</h3>
      <CheckLine status={cross.status} title="About this image" note={cross.note} testId="cross-check" />
      <p>
        Predicate: <strong>{info.name}</strong> (<MaybeLink text={statement.predicateType} />)
        {info.specUrl && info.specUrl !== statement.predicateType && (
          <>
            {' '}
            — <MaybeLink text={info.specUrl} />
          </>
        )}
      </p>
      <table className="grid" data-testid="statement-subjects">
        <thead>
          <tr>
            <th>Subject</th>
            <th>Digests</th>
          </tr>
        </thead>
        <tbody>
          {statement.subjects.map((s, i) => (
            <tr key={i} data-testid="statement-subject">
              <td>{s.name ?? s.uri ?? <span className="muted">–</span>}</td>
              <td>
                {s.digests.map((d) => (
                  <div key={d}>
                    <code className={context.target?.digest === d ? 'supply-match' : undefined}>{d}</code>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ProblemNotes problems={statement.problems} />
      <Predicate predicateType={statement.predicateType} predicate={statement.predicate} context={context} />
    </section>
  );
}
