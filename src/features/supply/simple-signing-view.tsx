/**
 * A cosign signature layer: the simple-signing payload (which manifest it signs, cross-checked
 * with the image it was found for), the signature, certificate, chain and Rekor bundle from the
 * layer's annotations, and the signature checked over the payload bytes with the certificate's
 * key (sigstore/cosign specs/SIGNATURE_SPEC.md).
 */
import { Link } from 'react-router';
import { checkSignedDigest, readCosignAnnotations, readSimpleSigning } from '../../oci/supply/cosign';
import { imageByDigestUrl } from '../../lib/view-urls';
import { CertificateChain } from './certificate-panel';
import { CheckLine } from './check-line';
import type { DecodeContext } from './decode-context';
import { FactsTable } from './facts-table';
import { ProblemNotes } from './problem-notes';
import { RekorBundleFacts } from './rekor-bundle';
import { SignatureCheckPanel } from './signature-check';
import { useCertificatesPem } from './use-decoded';

const NOT_CHECKED =
  'Checked: the signature over these payload bytes, with the certificate’s key. Not checked: that the certificate chains to a Sigstore (Fulcio) root, that the Rekor entry is in the log, or that the identity is one you trust.';

export function SimpleSigningView({ json, bytes, context }: { json: unknown; bytes: Uint8Array; context: DecodeContext }) {
  const payload = readSimpleSigning(json);
  const material = readCosignAnnotations(context.layer?.annotations);
  const certificate = useCertificatesPem(material.certificatePem, 'certificate');
  const chain = useCertificatesPem(material.chainPem, 'chain');
  const cross = checkSignedDigest(payload, context.target);
  const leaf = certificate.data?.certificates[0];
  return (
    <section className="supply-section" data-testid="simple-signing">
      <h3>cosign signature</h3>
      <CheckLine status={cross.status} title="Signed manifest" note={cross.note} testId="cross-check" />
      <FactsTable
        facts={[
          [
            'Signs manifest',
            payload.manifestDigest && /^sha(256|512):[a-f0-9]+$/.test(payload.manifestDigest) ? (
              <Link to={imageByDigestUrl(context.repo, payload.manifestDigest)}>
                <code>{payload.manifestDigest}</code>
              </Link>
            ) : (
              payload.manifestDigest
            ),
          ],
          ['Identity (docker-reference)', payload.dockerReference],
          ['Type', payload.type],
          ['Claims (optional)', payload.optional ? <code>{JSON.stringify(payload.optional)}</code> : undefined],
          ['Signature', material.signature ? `${material.signature.length} bytes (base64 in the layer’s annotation)` : undefined],
        ]}
      />
      <ProblemNotes
        problems={[...payload.problems, ...material.problems, ...(certificate.data?.problems ?? []), ...(chain.data?.problems ?? [])]}
      />
      {!context.layer && (
        <p className="muted small">Open this blob from its signature manifest to see the signature and certificate in its annotations.</p>
      )}
      {leaf && <CertificateChain certificates={[leaf, ...(chain.data?.certificates ?? [])]} title="Signing certificate" />}
      {material.bundle && <RekorBundleFacts bundle={material.bundle} />}
      {context.layer && (
        <SignatureCheckPanel
          material={{
            id: `${context.digest}#cosign`,
            signature: material.signature,
            data: bytes,
            dataName: 'the payload bytes',
            ecdsaEncoding: 'der',
            certificateSpki: leaf?.spki,
            notChecked: NOT_CHECKED,
          }}
        />
      )}
    </section>
  );
}
