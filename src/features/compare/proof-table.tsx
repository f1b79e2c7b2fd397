/**
 * The proofs behind a comparison, one row per document and a column per side: verified in this
 * browser, not verified against an expected digest, or a mismatch (loud, with the first reason).
 * Each document's own page has the full verification panel.
 */
import type { FetchedDocument } from '../../oci/registry/document';
import { documentProofState } from '../../ui/document-proof';
import { ProofBadge, ProofMark } from '../../ui/proof-mark';
import { Digest } from '../../ui/digest-value';

export interface ProofRow {
  what: string;
  a?: FetchedDocument;
  b?: FetchedDocument;
  errorA?: unknown;
  errorB?: unknown;
}

function ProofCell({ document, error, testId }: { document?: FetchedDocument; error?: unknown; testId: string }) {
  if (error) {
    return (
      <td className="proof mismatch" data-testid={testId} data-status="error">
        <ProofMark state="mismatch" /> could not be read: {error instanceof Error ? error.message : String(error)}
      </td>
    );
  }
  if (!document) {
    return (
      <td className="proof pending" data-testid={testId} data-status="pending">
        fetching…
      </td>
    );
  }
  const status = documentProofState(document.verification);
  return (
    <td className={`proof ${status}`} data-testid={testId} data-status={status}>
      <ProofBadge state={status} /> <Digest value={document.verification.computed} />
      {status === 'mismatch' && <div className="small">{document.verification.notes[0]}</div>}
    </td>
  );
}

export function ProofTable({ rows }: { rows: ProofRow[] }) {
  return (
    <table className="grid compare-grid proofs" data-testid="proofs">
      <thead>
        <tr>
          <th>Document</th>
          <th>A</th>
          <th>B</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.what} data-testid="proof-row" data-what={row.what}>
            <th scope="row">{row.what}</th>
            <ProofCell document={row.a} error={row.errorA} testId="proof-a" />
            <ProofCell document={row.b} error={row.errorB} testId="proof-b" />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
