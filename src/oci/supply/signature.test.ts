import { beforeAll, describe, expect, it } from 'vitest';
import { readCertificatesPem } from './certificate';
import { preAuthEncoding } from './dsse';
import { publicKeyFromPem, verifySignature } from './signature';
import { type TestPki, makeTestPki, signDer, signRaw } from './test-pki';

let pki: TestPki;
let spki: Uint8Array;
const payload = new TextEncoder().encode('{"critical":{}}');
beforeAll(async () => {
  pki = await makeTestPki();
  spki = (await readCertificatesPem(pki.leafPem)).certificates[0]!.spki;
});

const request = (signature: Uint8Array, data: Uint8Array = payload, encoding: 'der' | 'raw' = 'der') => ({
  key: { spki, source: 'the certificate’s key' },
  signature,
  data,
  dataName: 'the payload',
  ecdsaEncoding: encoding,
});

describe('verifySignature', () => {
  it('accepts a DER ECDSA signature over the payload', async () => {
    const check = await verifySignature(request(await signDer(pki.leafKey.privateKey, payload)));
    expect(check).toMatchObject({ status: 'match', algorithm: 'ECDSA P-256 with SHA-256' });
    expect(check.note).toContain('valid for the certificate’s key');
  });

  it('accepts a DSSE signature over the PAE and refuses it over the bare payload', async () => {
    const pae = preAuthEncoding('application/vnd.in-toto+json', payload);
    const sig = await signDer(pki.leafKey.privateKey, pae);
    expect((await verifySignature(request(sig, pae))).status).toBe('match');
    expect((await verifySignature(request(sig, payload))).status).toBe('mismatch');
  });

  it('refuses a tampered payload', async () => {
    const sig = await signDer(pki.leafKey.privateKey, payload);
    const check = await verifySignature(request(sig, new TextEncoder().encode('{"critical":{"x":1}}')));
    expect(check.status).toBe('mismatch');
    expect(check.note).toContain('does not verify');
  });

  it('refuses a signature made by another key', async () => {
    expect((await verifySignature(request(await signDer(pki.otherKey.privateKey, payload)))).status).toBe('mismatch');
  });

  it('refuses bytes that are not a DER signature', async () => {
    const check = await verifySignature(request(new Uint8Array([1, 2, 3])));
    expect(check.status).toBe('mismatch');
    expect(check.note).toContain('not a DER-encoded ECDSA signature');
  });

  it('checks raw r‖s signatures against the declared JOSE algorithm', async () => {
    const sig = await signRaw(pki.leafKey.privateKey, payload);
    expect((await verifySignature({ ...request(sig, payload, 'raw'), declaredAlgorithm: 'ES256' })).status).toBe('match');
    const substituted = await verifySignature({ ...request(sig, payload, 'raw'), declaredAlgorithm: 'PS256' });
    expect(substituted.status).toBe('mismatch');
    expect(substituted.note).toContain('algorithm substitution');
    expect((await verifySignature({ ...request(sig, payload, 'raw'), declaredAlgorithm: 'HS256' })).status).toBe('unchecked');
  });

  it('says a key it cannot read is unchecked, not invalid', async () => {
    const check = await verifySignature({
      ...request(new Uint8Array(64)),
      key: { spki: new Uint8Array([1, 2, 3]), source: 'the key you pasted' },
    });
    expect(check.status).toBe('unchecked');
    expect(check.note).toContain('the key you pasted is not a public key');
  });
});

describe('publicKeyFromPem', () => {
  it('reads a PUBLIC KEY block and a certificate', async () => {
    const spkiDer = new Uint8Array(await crypto.subtle.exportKey('spki', pki.leafKey.publicKey));
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(spkiDer).toString('base64')}\n-----END PUBLIC KEY-----`;
    const fromKey = await publicKeyFromPem(pem);
    expect(fromKey.ok && [...fromKey.spki]).toEqual([...spkiDer]);
    const fromCert = await publicKeyFromPem(pki.leafPem);
    expect(fromCert.ok && [...fromCert.spki]).toEqual([...spkiDer]);
  });

  it.each([
    ['plain text', 'Paste a PEM block'],
    ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'does not parse'],
  ])('refuses %j', async (pem, message) => {
    const result = await publicKeyFromPem(pem);
    expect(!result.ok && result.problem).toContain(message);
  });
});
