/**
 * "Check the signature": with the certificate's key when the document carries one, or a public
 * key the person pastes (PEM). Says exactly what was checked (this key signed these bytes) and
 * what was not (that the certificate chains to a trusted root, that the log holds the entry).
 */
import { useState } from 'react';
import type { EcdsaEncoding, SignatureRequest } from '../../oci/supply/signature';
import { publicKeyFromPem } from '../../oci/supply/signature';
import { CheckLine } from './check-line';
import { useSignatureCheck } from './use-decoded';

export interface SignatureMaterial {
  /** Names this signature for caching: document digest and position. */
  id: string;
  signature?: Uint8Array;
  data?: Uint8Array;
  dataName: string;
  ecdsaEncoding: EcdsaEncoding;
  declaredAlgorithm?: string;
  /** The embedded certificate's key, when there is one. */
  certificateSpki?: Uint8Array;
  /** What the check does not cover, shown after the result. */
  notChecked: string;
}

function PastedKey({ onKey }: { onKey: (spki: Uint8Array) => void }) {
  const [pem, setPem] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = async () => {
    const result = await publicKeyFromPem(pem);
    if (result.ok) {
      setProblem(undefined);
      onKey(result.spki);
    } else setProblem(result.problem);
  };
  return (
    <form
      className="supply-section"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        Check with a public key (PEM)
        <textarea value={pem} onChange={(e) => setPem(e.target.value)} rows={4} cols={64} data-testid="pasted-key" spellCheck={false} />
      </label>
      <button type="submit">Check with this key</button>
      {problem && <p className="warning">{problem}</p>}
    </form>
  );
}

export function SignatureCheckPanel({ material }: { material: SignatureMaterial }) {
  const [pasted, setPasted] = useState<Uint8Array>();
  const spki = pasted ?? material.certificateSpki;
  const request: SignatureRequest | undefined =
    spki && material.signature && material.data
      ? {
          key: { spki, source: pasted ? 'the key you pasted' : 'the certificate’s key' },
          signature: material.signature,
          data: material.data,
          dataName: material.dataName,
          ecdsaEncoding: material.ecdsaEncoding,
          declaredAlgorithm: material.declaredAlgorithm,
        }
      : undefined;
  const check = useSignatureCheck(material.id, request);
  return (
    <section className="supply-section" data-testid="signature-check">
      <h4>Signature check</h4>
      {!material.signature ? (
        <CheckLine status="unchecked" title="Signature" note="Not checked: there is no signature to check." />
      ) : !spki ? (
        <CheckLine
          status="unchecked"
          title="Signature"
          note="Not checked: no certificate came with it. Paste the signer’s public key to check it."
        />
      ) : check.data ? (
        <>
          <CheckLine status={check.data.status} title="Signature" note={check.data.note} testId="signature-result" />
          {check.data.status === 'match' && (
            <p className="small muted" data-testid="not-checked">
              {material.notChecked}
            </p>
          )}
        </>
      ) : (
        <p className="loading" role="status">
          Checking the signature…
        </p>
      )}
      <PastedKey onKey={setPasted} />
    </section>
  );
}
