import { describe, expect, it } from 'vitest';
import { checkPlan, crossCheckByPlan, glanceKind } from './glance';

const image = `sha256:${'a'.repeat(64)}`;
const d = (mediaType: string, size = 100, annotations?: Record<string, string>) => ({
  mediaType,
  digest: `sha256:${'1'.repeat(64)}`,
  size,
  digestValid: true,
  annotations,
});
const manifest = (layers: ReturnType<typeof d>[], subject?: ReturnType<typeof d>) => ({
  kind: 'manifest' as const,
  layers,
  subject,
  problems: [],
});
const target = { digest: image, source: 'this image' };

describe('checkPlan', () => {
  it.each([
    [
      'a subject',
      manifest([d('application/vnd.cyclonedx+json')], { ...d('application/vnd.oci.image.manifest.v1+json'), digest: image }),
      'subject',
    ],
    ['a cosign signature', manifest([d('application/vnd.dev.cosign.simplesigning.v1+json')]), 'simple-signing'],
    ['a BuildKit attestation', manifest([d('application/vnd.in-toto+json')]), 'statement'],
    ['a cosign attestation', manifest([d('application/vnd.dsse.envelope.v1+json')]), 'dsse'],
    ['a 20 MB SBOM statement', manifest([d('application/vnd.in-toto+json', 20_000_000)]), 'too-large'],
    ['nothing that names the image', manifest([d('application/octet-stream')]), 'none'],
  ])('%s → %s', (_name, m, kind) => {
    expect(checkPlan(m).kind).toBe(kind);
  });
});

describe('crossCheckByPlan', () => {
  it('compares a DSSE envelope’s statement subject', () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'x', digest: { sha256: 'b'.repeat(64) } }],
      predicateType: 'p',
    };
    const envelope = {
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      signatures: [{ sig: 'AA==' }],
    };
    expect(crossCheckByPlan({ kind: 'dsse', layer: d('application/vnd.dsse.envelope.v1+json') }, envelope, target).status).toBe('mismatch');
  });

  it('compares a signed digest', () => {
    const payload = { critical: { image: { 'docker-manifest-digest': image }, type: 'cosign container image signature' } };
    expect(crossCheckByPlan({ kind: 'simple-signing', layer: d('x') }, payload, target).status).toBe('match');
  });
});

describe('glanceKind', () => {
  it.each([
    [{ cosignSuffix: 'sig' as const }, 'signature'],
    [{ artifactType: 'application/vnd.cncf.notary.signature' }, 'signature'],
    [{ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }, 'signature'],
    [{ artifactType: 'application/spdx+json' }, 'sbom'],
    [{ layers: [d('application/vnd.in-toto+json', 1, { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' })] }, 'provenance'],
    [{ layers: [d('application/vnd.in-toto+json', 1, { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' })] }, 'sbom'],
    [{ cosignSuffix: 'att' as const }, 'attestation'],
    [{ artifactType: 'application/vnd.example' }, 'other'],
  ])('%j → %s', (input, kind) => {
    expect(glanceKind(input)).toBe(kind);
  });
});
