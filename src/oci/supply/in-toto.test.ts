import { describe, expect, it } from 'vitest';
import { checkStatementSubject, readStatement } from './in-toto';
import { predicateInfo } from './predicate-types';

const image = `sha256:${'a'.repeat(64)}`;
const other = `sha256:${'b'.repeat(64)}`;
const statement = (digests: Array<Record<string, string>>, type = 'https://in-toto.io/Statement/v0.1') => ({
  _type: type,
  subject: digests.map((digest, i) => ({ name: `s${i}`, digest })),
  predicateType: 'https://slsa.dev/provenance/v0.2',
  predicate: {},
});
const target = { digest: image, source: 'the image you came from' };

describe('readStatement', () => {
  it.each([
    ['https://in-toto.io/Statement/v0.1', 'v0.1'],
    ['https://in-toto.io/Statement/v1', 'v1'],
  ])('reads %s', (type, version) => {
    const s = readStatement(statement([{ sha256: 'A'.repeat(64) }], type));
    expect(s.version).toBe(version);
    expect(s.problems).toEqual([]);
    expect(s.subjects[0]!.digests).toEqual([image]);
  });

  it('says a document without _type is not a statement', () => {
    expect(readStatement({ subject: [] }).problems[0]).toContain('no _type');
  });

  it('reports a subject without digests', () => {
    expect(readStatement({ ...statement([]), subject: [{ name: 'x' }] }).problems).toContain('subject[0] names no digest.');
  });
});

describe('checkStatementSubject', () => {
  it.each([
    ['one subject is the image', [{ sha256: 'a'.repeat(64) }], 'match'],
    ['the image among others', [{ sha256: 'b'.repeat(64) }, { sha256: 'a'.repeat(64) }], 'match'],
    ['another image', [{ sha256: 'b'.repeat(64) }], 'mismatch'],
    ['only sha512 digests', [{ sha512: 'c'.repeat(128) }], 'unchecked'],
    ['no subjects', [], 'unchecked'],
  ])('%s → %s', (_name, digests, status) => {
    expect(checkStatementSubject(readStatement(statement(digests)), target).status).toBe(status);
  });

  it('names both digests when they differ', () => {
    const check = checkStatementSubject(readStatement(statement([{ sha256: 'b'.repeat(64) }])), target);
    expect(check.note).toContain(other);
    expect(check.note).toContain(image);
    expect(check.note).toContain('about another image');
  });

  it('is unchecked without an image to compare with', () => {
    expect(checkStatementSubject(readStatement(statement([{ sha256: 'a'.repeat(64) }])), undefined).status).toBe('unchecked');
  });
});

describe('predicateInfo', () => {
  it.each([
    ['https://slsa.dev/provenance/v0.2', 'provenance'],
    ['https://slsa.dev/provenance/v1', 'provenance'],
    ['https://spdx.dev/Document', 'spdx'],
    ['https://spdx.dev/Document/v2.3', 'spdx'],
    ['https://cyclonedx.org/bom/v1.5', 'cyclonedx'],
    ['https://example.com/custom', 'other'],
  ])('%s is %s', (type, kind) => {
    expect(predicateInfo(type).kind).toBe(kind);
  });
});
