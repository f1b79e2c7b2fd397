/**
 * Test-only PKI: a CA and a Fulcio-style leaf made in-process with @peculiar/x509 and WebCrypto,
 * so certificate and signature tests need no files. The e2e seed makes its own with openssl.
 */
import { loadX509 } from './x509-loader';

export const FULCIO_ISSUER = 'https://token.actions.githubusercontent.com';
export const FULCIO_REPOSITORY = 'https://github.com/acme/app';
export const FULCIO_WORKFLOW_SHA = '0123456789abcdef0123456789abcdef01234567';

export interface TestPki {
  caPem: string;
  leafPem: string;
  leafDer: Uint8Array;
  caDer: Uint8Array;
  leafKey: CryptoKeyPair;
  otherKey: CryptoKeyPair;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function makeTestPki(): Promise<TestPki> {
  const { x509, asn1 } = await loadX509();
  const [caKey, leafKey, otherKey] = await Promise.all([
    crypto.subtle.generateKey(EC, true, ['sign', 'verify']),
    crypto.subtle.generateKey(EC, true, ['sign', 'verify']),
    crypto.subtle.generateKey(EC, true, ['sign', 'verify']),
  ]);
  const notBefore = new Date('2024-01-01T00:00:00Z');
  const notAfter = new Date('2034-01-01T00:00:00Z');
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=ociscope test CA, O=ociscope',
    notBefore,
    notAfter,
    keys: caKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const utf8 = (value: string) => new asn1.Utf8String({ value }).toBER();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'O=sigstore.dev',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: leafKey.publicKey,
    signingKey: caKey.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'url', value: `${FULCIO_REPOSITORY}/.github/workflows/release.yml@refs/heads/main` },
      ]),
      new x509.Extension('1.3.6.1.4.1.57264.1.1', false, new TextEncoder().encode(FULCIO_ISSUER)),
      new x509.Extension('1.3.6.1.4.1.57264.1.3', false, new TextEncoder().encode(FULCIO_WORKFLOW_SHA)),
      new x509.Extension('1.3.6.1.4.1.57264.1.8', false, utf8(FULCIO_ISSUER)),
      new x509.Extension('1.3.6.1.4.1.57264.1.12', false, utf8(FULCIO_REPOSITORY)),
    ],
  });
  return {
    caPem: ca.toString('pem'),
    leafPem: leaf.toString('pem'),
    leafDer: new Uint8Array(leaf.rawData),
    caDer: new Uint8Array(ca.rawData),
    leafKey,
    otherKey,
  };
}

/** An ECDSA P-256/SHA-256 signature in DER, as cosign writes it. */
export async function signDer(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const { x509 } = await loadX509();
  const raw = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data.slice().buffer as ArrayBuffer);
  return new Uint8Array(new x509.AsnEcSignatureFormatter().toAsnSignature(EC, raw)!);
}

/** An ECDSA P-256/SHA-256 signature as r‖s, as JWS ES256 and COSE write it. */
export async function signRaw(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data.slice().buffer as ArrayBuffer));
}
