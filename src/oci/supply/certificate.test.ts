import { beforeAll, describe, expect, it } from 'vitest';
import { checkChainLinks, readCertificatesDer, readCertificatesPem } from './certificate';
import { FULCIO_ISSUER, FULCIO_REPOSITORY, FULCIO_WORKFLOW_SHA, type TestPki, makeTestPki } from './test-pki';

let pki: TestPki;
beforeAll(async () => {
  pki = await makeTestPki();
});

describe('readCertificatesPem', () => {
  it('summarises a Fulcio-style leaf: identity, validity, key, extensions by name', async () => {
    const { certificates, problems } = await readCertificatesPem(pki.leafPem);
    expect(problems).toEqual([]);
    const leaf = certificates[0]!;
    expect(leaf.subject).toBe('O=sigstore.dev');
    expect(leaf.issuer).toBe('CN=ociscope test CA, O=ociscope');
    expect(leaf.notBefore.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(leaf.identities).toEqual([{ type: 'url', value: `${FULCIO_REPOSITORY}/.github/workflows/release.yml@refs/heads/main` }]);
    expect(leaf.keyAlgorithm).toBe('ECDSA P-256');
    expect(leaf.isCa).toBe(false);
    expect(leaf.fulcio.map((e) => [e.name, e.value])).toEqual([
      ['OIDC issuer (v1)', FULCIO_ISSUER],
      ['GitHub workflow SHA', FULCIO_WORKFLOW_SHA],
      ['OIDC issuer', FULCIO_ISSUER],
      ['Source repository URI', FULCIO_REPOSITORY],
    ]);
    expect(leaf.sha256Fingerprint).toMatch(/^[a-f0-9]{64}$/);
  });

  it('reads every block of a chain', async () => {
    const { certificates } = await readCertificatesPem(`${pki.leafPem}\n${pki.caPem}`);
    expect(certificates.map((c) => c.isCa)).toEqual([false, true]);
  });

  it.each([
    ['no PEM block', 'hello', 'is not PEM'],
    ['garbage inside the block', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'does not parse as X.509'],
    ['broken base64', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----', 'not valid base64'],
  ])('reports %s', async (_name, pem, message) => {
    const { certificates, problems } = await readCertificatesPem(pem);
    expect(certificates).toEqual([]);
    expect(problems.join(' ')).toContain(message);
  });
});

describe('checkChainLinks', () => {
  it('checks each link and leaves the root unproven', async () => {
    const { certificates } = await readCertificatesDer([pki.leafDer, pki.caDer]);
    const links = await checkChainLinks(certificates);
    expect(links.map((l) => l.status)).toEqual(['match', 'unchecked']);
    expect(links[1]!.note).toContain('not compared with any trusted root');
  });

  it('finds a broken link', async () => {
    const { certificates } = await readCertificatesDer([pki.caDer, pki.leafDer]);
    expect((await checkChainLinks(certificates))[0]!.status).toBe('mismatch');
  });
});
