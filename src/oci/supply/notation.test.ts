import { Token, Type, encode } from 'cborg';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64Url } from './base64';
import { checkNotationTarget, readJwsEnvelope } from './notation';
import { readCoseEnvelope } from './notation-cose';
import { readCertificatesDer } from './certificate';
import { verifySignature } from './signature';
import { type TestPki, makeTestPki, signRaw } from './test-pki';

const digest = `sha256:${'a'.repeat(64)}`;
const target = { digest, source: 'the signature’s subject' };
const payloadBytes = new TextEncoder().encode(
  JSON.stringify({
    targetArtifact: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 42, annotations: { 'io.example.build': '7' } },
  }),
);
const header = {
  alg: 'ES256',
  cty: 'application/vnd.cncf.notary.payload.v1+json',
  crit: ['io.cncf.notary.signingScheme'],
  'io.cncf.notary.signingScheme': 'notary.x509',
  'io.cncf.notary.signingTime': '2024-03-01T10:00:00Z',
};

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

async function jws(headerValue: object = header, payload = payloadBytes) {
  const protectedText = encodeBase64Url(new TextEncoder().encode(JSON.stringify(headerValue)));
  const payloadText = encodeBase64Url(payload);
  const sig = await signRaw(pki.leafKey.privateKey, new TextEncoder().encode(`${protectedText}.${payloadText}`));
  return {
    payload: payloadText,
    protected: protectedText,
    header: {
      x5c: [Buffer.from(pki.leafDer).toString('base64'), Buffer.from(pki.caDer).toString('base64')],
      'io.cncf.notary.signingAgent': 'notation/1.2.0',
    },
    signature: encodeBase64Url(sig),
  };
}

async function check(s: ReturnType<typeof readJwsEnvelope>) {
  const leaf = (await readCertificatesDer(s.certificateChain)).certificates[0]!;
  return verifySignature({
    key: { spki: leaf.spki, source: 'the signing certificate’s key' },
    signature: s.signature!,
    data: s.signedBytes!,
    dataName: 'the JWS signing input',
    ecdsaEncoding: 'raw',
    declaredAlgorithm: s.algorithm,
  });
}

describe('readJwsEnvelope', () => {
  it('decodes headers, signing time, chain and target, and the signature verifies', async () => {
    const s = readJwsEnvelope(await jws());
    expect(s.problems).toEqual([]);
    expect(s).toMatchObject({
      algorithm: 'ES256',
      signingScheme: 'notary.x509',
      signingTime: '2024-03-01T10:00:00Z',
      signingAgent: 'notation/1.2.0',
    });
    expect(s.certificateChain).toHaveLength(2);
    expect(s.targetAnnotations).toEqual({ 'io.example.build': '7' });
    expect(checkNotationTarget(s, target).status).toBe('match');
    expect((await check(s)).status).toBe('match');
  });

  it('detects a payload swapped after signing', async () => {
    const envelope = await jws();
    const other = encodeBase64Url(
      new TextEncoder().encode(JSON.stringify({ targetArtifact: { mediaType: 'x', digest: `sha256:${'b'.repeat(64)}`, size: 1 } })),
    );
    const s = readJwsEnvelope({ ...envelope, payload: other });
    expect(checkNotationTarget(s, target).status).toBe('mismatch');
    expect((await check(s)).status).toBe('mismatch');
  });

  it.each([
    [{ ...header, cty: 'text/plain' }, 'not application/vnd.cncf.notary.payload.v1+json'],
    [{ ...header, crit: [] }, 'not listed as critical'],
    [{ ...header, 'io.cncf.notary.signingTime': undefined }, 'requires io.cncf.notary.signingTime'],
  ])('reports header rule %#', async (h, message) => {
    expect(readJwsEnvelope(await jws(h)).problems.join(' ')).toContain(message);
  });

  it('refuses what is not a flattened JWS', () => {
    expect(readJwsEnvelope({ payload: 'x' }).problems[0]).toContain('not a flattened JWS');
  });
});

describe('readCoseEnvelope', () => {
  async function cose(payload = payloadBytes) {
    // Notation writes times as CBOR tag 1 (epoch seconds); cborg encodes Dates only when told how.
    const epoch = { Date: (d: Date) => [new Token(Type.tag, 1), new Token(Type.uint, d.getTime() / 1000)] };
    const protectedBytes = encode(
      new Map<unknown, unknown>([
        [1, -7],
        [2, ['io.cncf.notary.signingScheme']],
        [3, 'application/vnd.cncf.notary.payload.v1+json'],
        ['io.cncf.notary.signingScheme', 'notary.x509'],
        ['io.cncf.notary.signingTime', new Date('2024-03-01T10:00:00Z')],
      ]),
      { typeEncoders: epoch },
    );
    const toBeSigned = encode(['Signature1', protectedBytes, new Uint8Array(0), payloadBytes]);
    const signature = await signRaw(pki.leafKey.privateKey, toBeSigned);
    const unprotected = new Map<unknown, unknown>([
      [33, [pki.leafDer, pki.caDer]],
      ['io.cncf.notary.signingAgent', 'notation/1.2.0'],
    ]);
    // Tag 18 (COSE_Sign1) around the 4-element array: 0xd2 then the array.
    const body = encode([protectedBytes, unprotected, payload, signature]);
    return new Uint8Array([0xd2, ...body]);
  }

  it('decodes a COSE_Sign1 envelope and its signature verifies over the Sig_structure', async () => {
    const s = await readCoseEnvelope(await cose());
    expect(s.problems).toEqual([]);
    expect(s).toMatchObject({
      envelope: 'COSE',
      algorithm: 'ES256',
      signingScheme: 'notary.x509',
      signingTime: '2024-03-01T10:00:00.000Z',
      signingAgent: 'notation/1.2.0',
    });
    expect(checkNotationTarget(s, target).status).toBe('match');
    expect((await check(s)).status).toBe('match');
  });

  it('detects a swapped payload', async () => {
    const swapped = new TextEncoder().encode(JSON.stringify({ targetArtifact: { mediaType: 'x', digest, size: 1 } }));
    expect((await check(await readCoseEnvelope(await cose(swapped)))).status).toBe('mismatch');
  });

  it.each([
    [new Uint8Array([0xff, 0x00]), 'not valid CBOR'],
    [encode([1, 2, 3, 4]), 'not a tagged COSE_Sign1'],
  ])('reports %#', async (bytes, message) => {
    expect((await readCoseEnvelope(bytes)).problems[0]).toContain(message);
  });
});
