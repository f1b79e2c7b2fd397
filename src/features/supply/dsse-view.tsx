/**
 * A DSSE envelope: its payloadType, each signature (keyid, length, and a check over the PAE with
 * the certificate that came with it or a pasted key), and the payload decoded and shown by its
 * type — an in-toto statement gets the statement view. The raw envelope stays one toggle away.
 */
import { useMemo } from 'react';
import { decodeJson } from '../../oci/supply/base64';
import { IN_TOTO_PAYLOAD_TYPE, preAuthEncoding, readDsseEnvelope } from '../../oci/supply/dsse';
import { readCosignAnnotations } from '../../oci/supply/cosign';
import type { DecodeContext } from './decode-context';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';
import { SignatureCheckPanel } from './signature-check';
import { StatementView } from './statement-view';
import { TextView } from './text-view';
import { useCertificatesPem } from './use-decoded';

const NOT_CHECKED =
  'Checked: the signature over the DSSE pre-authentication encoding of this payload and payloadType. Not checked: who owns the key (the certificate’s chain to a trusted root), or any transparency log entry.';

export function DsseView({ json, context }: { json: unknown; context: DecodeContext }) {
  const envelope = useMemo(() => readDsseEnvelope(json), [json]);
  const payload = useMemo(() => (envelope.payload ? decodeJson(envelope.payload, 'The payload') : undefined), [envelope.payload]);
  const pae = useMemo(() => (envelope.payload ? preAuthEncoding(envelope.payloadType, envelope.payload) : undefined), [envelope]);
  const material = readCosignAnnotations(context.layer?.annotations);
  const certificate = useCertificatesPem(material.certificatePem, 'certificate');
  const typeProblem =
    payload?.ok && envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE && typeof (payload.json as { _type?: unknown })?._type === 'string'
      ? [`The payload is an in-toto statement but payloadType is ${JSON.stringify(envelope.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}.`]
      : [];
  return (
    <section className="supply-section" data-testid="dsse">
      <h3>DSSE envelope</h3>
      <FactsTable
        facts={[
          ['payloadType', <code>{envelope.payloadType || '(none)'}</code>],
          ['Payload', envelope.payload ? `${envelope.payload.length.toLocaleString('en-US')} bytes` : undefined],
        ]}
      />
      <table className="grid" data-testid="dsse-signatures">
        <thead>
          <tr>
            <th>#</th>
            <th>keyid</th>
            <th className="num">Length</th>
          </tr>
        </thead>
        <tbody>
          {envelope.signatures.map((s, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>{s.keyid ?? <span className="muted">none</span>}</td>
              <td className="num">{s.sig ? `${s.sig.length} bytes` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ProblemNotes
        problems={[
          ...envelope.problems,
          ...envelope.signatures.flatMap((s) => s.problems),
          ...typeProblem,
          ...(certificate.data?.problems ?? []),
        ]}
      />
      {envelope.signatures.slice(0, 4).map((s, i) => (
        <SignatureCheckPanel
          key={i}
          material={{
            id: `${context.digest}#dsse${i}`,
            signature: s.sig,
            data: pae,
            dataName: 'the DSSE PAE of the payload',
            ecdsaEncoding: 'der',
            certificateSpki: certificate.data?.certificates[0]?.spki,
            notChecked: NOT_CHECKED,
          }}
        />
      ))}
      {payload && !payload.ok && (
        <>
          <ProblemNotes problems={[payload.problem]} testId="payload-problem" />
          {payload.text !== undefined && <TextView text={payload.text} />}
        </>
      )}
      {payload?.ok && <StatementView json={payload.json} context={context} />}
    </section>
  );
}
