import { describe, expect, it } from 'vitest';
import {
  BUNDLE_ANNOTATION,
  CERTIFICATE_ANNOTATION,
  SIGNATURE_ANNOTATION,
  checkSignedDigest,
  readCosignAnnotations,
  readRekorBundle,
  readSimpleSigning,
} from './cosign';

const digest = `sha256:${'a'.repeat(64)}`;
const payload = (image: Record<string, string>, type = 'cosign container image signature') => ({
  critical: { identity: { 'docker-reference': 'registry.example/app' }, image, type },
  optional: { creator: 'ci' },
});
const target = { digest, source: 'the image this signature was found for' };

describe('readSimpleSigning', () => {
  it('reads the signed digest, identity and claims', () => {
    const p = readSimpleSigning(payload({ 'docker-manifest-digest': digest }));
    expect(p).toMatchObject({ manifestDigest: digest, dockerReference: 'registry.example/app', optional: { creator: 'ci' }, problems: [] });
  });

  it('accepts the capitalised spelling of cosign’s own spec', () => {
    expect(readSimpleSigning(payload({ 'Docker-manifest-digest': digest })).manifestDigest).toBe(digest);
  });

  it.each([
    [{}, 'no "critical" section'],
    [payload({}), 'docker-manifest-digest is missing'],
    [payload({ 'docker-manifest-digest': digest }, 'atomic container signature'), 'not "cosign container image signature"'],
  ])('reports %#', (json, message) => {
    expect(readSimpleSigning(json).problems.join(' ')).toContain(message);
  });
});

describe('checkSignedDigest', () => {
  it.each([
    [digest, 'match'],
    [`sha256:${'b'.repeat(64)}`, 'mismatch'],
  ])('%s → %s', (signed, status) => {
    expect(checkSignedDigest(readSimpleSigning(payload({ 'docker-manifest-digest': signed })), target).status).toBe(status);
  });

  it('is unchecked when the payload names nothing', () => {
    expect(checkSignedDigest(readSimpleSigning(payload({})), target).status).toBe('unchecked');
  });
});

const body = Buffer.from(JSON.stringify({ kind: 'hashedrekord', apiVersion: '0.0.1', spec: {} })).toString('base64');

describe('readRekorBundle', () => {
  it('reads log index, integrated time as a date, log id and the entry kind', () => {
    const b = readRekorBundle(
      JSON.stringify({ SignedEntryTimestamp: 'MEUC', Payload: { body, integratedTime: 1624396085, logIndex: 5179, logID: 'c0d2' } }),
    );
    expect(b).toMatchObject({ logIndex: 5179, logId: 'c0d2', kind: 'hashedrekord', problems: [] });
    expect(b.integratedTime?.toISOString()).toBe('2021-06-22T21:08:05.000Z');
  });

  it.each([
    ['{', 'is not JSON'],
    ['{}', 'no Payload object'],
    [JSON.stringify({ Payload: { body: '!!', integratedTime: 'x', logIndex: 1 } }), 'Payload.body is not base64'],
  ])('reports %j', (text, message) => {
    expect(readRekorBundle(text).problems.join(' ')).toContain(message);
  });
});

describe('readCosignAnnotations', () => {
  it('decodes the signature and keeps certificate and bundle', () => {
    const m = readCosignAnnotations({
      [SIGNATURE_ANNOTATION]: Buffer.from('sig').toString('base64'),
      [CERTIFICATE_ANNOTATION]: '-----BEGIN CERTIFICATE-----',
      [BUNDLE_ANNOTATION]: JSON.stringify({ Payload: { integratedTime: 1, logIndex: 2 } }),
    });
    expect(new TextDecoder().decode(m.signature)).toBe('sig');
    expect(m.certificatePem).toBe('-----BEGIN CERTIFICATE-----');
    expect(m.bundle?.logIndex).toBe(2);
  });

  it('reports a signature annotation that is not base64', () => {
    expect(readCosignAnnotations({ [SIGNATURE_ANNOTATION]: 'not base64!' }).problems[0]).toContain('is not base64');
  });
});
