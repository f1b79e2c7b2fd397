import { describe, expect, it } from 'vitest';
import { preAuthEncoding, readDsseEnvelope } from './dsse';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('preAuthEncoding', () => {
  it('follows the DSSE protocol test vector shape, lengths in bytes', () => {
    const pae = new TextDecoder().decode(preAuthEncoding('http://example.com/HelloWorld', new TextEncoder().encode('hello world')));
    expect(pae).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const pae = new TextDecoder().decode(preAuthEncoding('typé', new TextEncoder().encode('é')));
    expect(pae).toBe('DSSEv1 5 typé 2 é');
  });
});

describe('readDsseEnvelope', () => {
  it('decodes the payload and each signature', () => {
    const env = readDsseEnvelope({
      payloadType: 'application/vnd.in-toto+json',
      payload: b64('{"a":1}'),
      signatures: [{ keyid: 'k1', sig: b64('sig') }, { sig: b64('two') }],
    });
    expect(env.problems).toEqual([]);
    expect(new TextDecoder().decode(env.payload)).toBe('{"a":1}');
    expect(env.signatures.map((s) => [s.keyid, s.sig?.length])).toEqual([
      ['k1', 3],
      [undefined, 3],
    ]);
  });

  it.each([
    [{ payload: b64('x'), signatures: [{ sig: b64('s') }] }, 'no payloadType'],
    [{ payloadType: 't', payload: '%%%', signatures: [{ sig: b64('s') }] }, 'The payload is not base64'],
    [{ payloadType: 't', payload: b64('x') }, 'no signatures array'],
    [{ payloadType: 't', payload: b64('x'), signatures: [] }, 'carries no signature'],
    ['not an object', 'not a JSON object'],
  ])('reports what is wrong with %j', (input, message) => {
    const env = readDsseEnvelope(input);
    expect(env.problems.join(' ')).toContain(message);
  });

  it('reports a signature that is not base64 on that signature', () => {
    const env = readDsseEnvelope({ payloadType: 't', payload: b64('x'), signatures: [{ sig: '!!' }] });
    expect(env.signatures[0]!.sig).toBeUndefined();
    expect(env.signatures[0]!.problems[0]).toContain('signatures[0].sig is not base64');
  });
});
