/**
 * A Notation signature (JWS or COSE envelope): the protected headers decoded, signing scheme
 * and times, the signer's certificate chain, the signed target artifact cross-checked with the
 * image, and the signature checked with the leaf certificate's key under the declared algorithm.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type NotationSignature, checkNotationTarget, readJwsEnvelope } from '../../oci/supply/notation';
import { readCoseEnvelope } from '../../oci/supply/notation-cose';
import { CertificateChain } from './certificate-panel';
import { CheckLine } from './check-line';
import type { DecodeContext } from './decode-context';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';
import { SignatureCheckPanel } from './signature-check';
import { useCertificatesDer } from './use-decoded';

const NOT_CHECKED =
  'Checked: the signature over the signed bytes with the leaf certificate’s key, under the algorithm the envelope declares. Not checked: the chain against a Notation trust store, the trust policy, revocation, or a timestamp countersignature.';

function NotationSignatureView({ signature, context }: { signature: NotationSignature; context: DecodeContext }) {
  const chain = useCertificatesDer(signature.certificateChain, 'certificate');
  const cross = checkNotationTarget(signature, context.target);
  return (
    <section className="supply-section" data-testid="notation" data-envelope={signature.envelope}>
      <h3>Notation signature ({signature.envelope})</h3>
      <CheckLine status={cross.status} title="Signed artifact" note={cross.note} testId="cross-check" />
      <FactsTable
        facts={[
          ['Algorithm', signature.algorithm],
          ['Signing scheme', signature.signingScheme],
          ['Signing time', signature.signingTime ? `${signature.signingTime} (claimed by the signer, not a trusted timestamp)` : undefined],
          ['Authentic signing time', signature.authenticSigningTime],
          ['Expiry', signature.expiry],
          ['Critical headers', signature.critical.length > 0 ? signature.critical.join(', ') : undefined],
          ['Content type', signature.contentType],
          ['Signing agent', signature.signingAgent],
          ['Target', signature.targetArtifact ? <code>{signature.targetArtifact.digest}</code> : undefined],
          ['Target annotations', signature.targetAnnotations ? <code>{JSON.stringify(signature.targetAnnotations)}</code> : undefined],
        ]}
      />
      <details>
        <summary>Protected header</summary>
        <pre className="text-view">{JSON.stringify(signature.protectedHeader, null, 2)}</pre>
      </details>
      <ProblemNotes problems={[...signature.problems, ...(chain.data?.problems ?? [])]} />
      {chain.data && chain.data.certificates.length > 0 && (
        <CertificateChain certificates={chain.data.certificates} title="Certificate chain" />
      )}
      <SignatureCheckPanel
        material={{
          id: `${context.digest}#notation`,
          signature: signature.signature,
          data: signature.signedBytes,
          dataName: signature.envelope === 'JWS' ? 'the JWS signing input' : 'the COSE Sig_structure',
          ecdsaEncoding: 'raw',
          declaredAlgorithm: signature.algorithm,
          certificateSpki: chain.data?.certificates[0]?.spki,
          notChecked: NOT_CHECKED,
        }}
      />
    </section>
  );
}

export function JwsView({ json, context }: { json: unknown; context: DecodeContext }) {
  const signature = useMemo(() => readJwsEnvelope(json), [json]);
  return <NotationSignatureView signature={signature} context={context} />;
}

export function CoseView({ bytes, context }: { bytes: Uint8Array; context: DecodeContext }) {
  const decoded = useQuery({
    queryKey: ['supply', 'cose', context.digest],
    queryFn: () => readCoseEnvelope(bytes),
    staleTime: Infinity,
    retry: false,
  });
  if (!decoded.data)
    return (
      <p className="loading" role="status">
        Decoding the COSE envelope…
      </p>
    );
  return <NotationSignatureView signature={decoded.data} context={context} />;
}
