/** cosign's Rekor bundle annotation: where the signature was logged, and when the log says. */
import type { RekorBundle } from '../../oci/supply/cosign';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';

export function RekorBundleFacts({ bundle }: { bundle: RekorBundle }) {
  return (
    <section className="supply-section" data-testid="rekor-bundle">
      <h4>Transparency log (Rekor bundle)</h4>
      <FactsTable
        facts={[
          ['Log index', bundle.logIndex?.toLocaleString('en-US')],
          ['Integrated', bundle.integratedTime?.toISOString()],
          ['Log ID', bundle.logId ? <code>{bundle.logId}</code> : undefined],
          ['Entry kind', bundle.kind],
        ]}
      />
      <p className="small muted">The log’s signed entry timestamp is not verified here: it needs the log’s public key.</p>
      <ProblemNotes problems={bundle.problems} />
    </section>
  );
}
