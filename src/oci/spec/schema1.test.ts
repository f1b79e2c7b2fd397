import { describe, expect, it } from 'vitest';
import { schema1SignedPayload } from './schema1';
import { sha256Hex } from '../../test-support/digest';

const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** Builds a signed manifest the way libtrust does: the payload's closing tail is cut off and the signatures spliced in. */
function signed(payload: string) {
  const cut = payload.lastIndexOf('\n}');
  const head = payload.slice(0, cut);
  const tail = payload.slice(cut);
  const protectedHeader = b64url(JSON.stringify({ formatLength: head.length, formatTail: b64url(tail), time: '2026-01-01T00:00:00Z' }));
  const text = `${head},\n   "signatures": [{"header": {"alg": "ES256"}, "signature": "x", "protected": "${protectedHeader}"}]${tail}`;
  return { bytes: new TextEncoder().encode(text), json: JSON.parse(text) as unknown };
}

describe('schema1SignedPayload', () => {
  it('rebuilds the payload the digest covers', () => {
    const payload = '{\n   "schemaVersion": 1,\n   "name": "team/app",\n   "tag": "v1"\n}';
    const { bytes, json } = signed(payload);
    const rebuilt = schema1SignedPayload(bytes, json)!;
    expect(new TextDecoder().decode(rebuilt)).toBe(payload);
    expect(sha256Hex(rebuilt)).toBe(sha256Hex(payload));
  });

  it.each([
    ['no signatures', { schemaVersion: 1 }],
    ['protected not base64url', { signatures: [{ protected: '!!!' }] }],
    ['header without formatLength', { signatures: [{ protected: b64url('{"formatTail":""}') }] }],
    ['formatLength beyond the document', { signatures: [{ protected: b64url('{"formatLength":99999,"formatTail":""}') }] }],
  ])('gives up cleanly on %s', (_what, json) => {
    expect(schema1SignedPayload(new TextEncoder().encode('{}'), json)).toBeUndefined();
  });
});
