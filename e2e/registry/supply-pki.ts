/**
 * A signing identity made by openssl, as Sigstore's Fulcio would issue one: a CA, and an ECDSA
 * P-256 leaf whose SAN is a workflow URI and which carries Fulcio's extensions (sigstore/fulcio
 * docs/oid-info.md: .1 a raw string, .8 and .12 DER UTF8Strings). Signatures are made by
 * `openssl dgst -sha256 -sign`, DER-encoded as cosign writes them; JWS wants r‖s, which Node's
 * crypto produces from the same openssl key.
 */
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToCompletion } from '../support/processes.ts';

export const FULCIO_ISSUER = 'https://token.actions.githubusercontent.com';
export const FULCIO_REPOSITORY = 'https://github.com/ociscope/e2e';
export const SAN_URI = `${FULCIO_REPOSITORY}/.github/workflows/release.yml@refs/heads/main`;

export interface SupplyPki {
  caPem: string;
  leafPem: string;
  /** `openssl dgst -sha256 -sign` over the bytes: a DER ECDSA signature. */
  signDer(data: Uint8Array): Promise<Buffer>;
  /** The same key, r‖s encoding (JWS ES256). */
  signRaw(data: Uint8Array): Buffer;
  /** Certificates as base64 DER (JWS x5c). */
  leafDer: Buffer;
  caDer: Buffer;
}

const openssl = (dir: string, args: string[]) => runToCompletion('openssl', args, { cwd: dir });

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

export async function makeSupplyPki(workDir: string): Promise<SupplyPki> {
  const dir = join(workDir, 'pki');
  await mkdir(dir, { recursive: true });
  await Promise.all([
    openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']),
    openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key']),
  ]);
  await openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-subj',
    '/O=ociscope e2e/CN=ociscope e2e CA',
    '-days',
    '3650',
    '-out',
    'ca.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  await openssl(dir, ['req', '-new', '-key', 'leaf.key', '-subj', '/O=sigstore.dev', '-out', 'leaf.csr']);
  await writeFile(
    join(dir, 'leaf.ext'),
    [
      `subjectAltName=URI:${SAN_URI}`,
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=codeSigning',
      `1.3.6.1.4.1.57264.1.1=DER:${Buffer.from(FULCIO_ISSUER).toString('hex')}`,
      `1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:${FULCIO_ISSUER}`,
      `1.3.6.1.4.1.57264.1.12=ASN1:UTF8String:${FULCIO_REPOSITORY}`,
      '',
    ].join('\n'),
  );
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '2',
    '-days',
    '3650',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  ]);
  const [caPem, leafPem, leafKey] = await Promise.all(['ca.pem', 'leaf.pem', 'leaf.key'].map((f) => readFile(join(dir, f), 'utf8')));
  const key = createPrivateKey(leafKey!);
  let n = 0;
  return {
    caPem: caPem!,
    leafPem: leafPem!,
    leafDer: pemToDer(leafPem!),
    caDer: pemToDer(caPem!),
    async signDer(data) {
      const file = join(dir, `data-${n++}`);
      await writeFile(file, data);
      return openssl(dir, ['dgst', '-sha256', '-sign', 'leaf.key', file]);
    },
    signRaw: (data) => nodeSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }),
  };
}
