import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeJson, encodeBase64Url } from './base64';

const text = (r: ReturnType<typeof decodeBase64>) => (r.ok ? new TextDecoder().decode(r.bytes) : r.problem);

describe('decodeBase64', () => {
  it.each([
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['aGVs\nbG8=', 'hello'],
    ['-_8', new TextDecoder().decode(new Uint8Array([0xfb, 0xff]))],
    ['', ''],
  ])('decodes %j', (input, expected) => {
    expect(text(decodeBase64(input))).toBe(expected);
  });

  it.each([
    ['aGVs*G8=', 'unexpected "*" at character 5'],
    ['a', 'cannot encode whole bytes'],
    ['aGVsbG8===', 'unexpected "="'],
  ])('refuses %j with where it broke', (input, message) => {
    const result = decodeBase64(input, 'The payload');
    expect(result.ok).toBe(false);
    expect(text(result)).toContain('The payload is not base64');
    expect(text(result)).toContain(message);
  });

  it('round-trips base64url without padding', () => {
    const bytes = new Uint8Array([0, 250, 251, 255, 1]);
    const encoded = encodeBase64Url(bytes);
    expect(encoded).not.toMatch(/[=+/]/);
    const back = decodeBase64(encoded);
    expect(back.ok && [...back.bytes]).toEqual([...bytes]);
  });
});

describe('decodeJson', () => {
  it('names a payload that is not JSON, keeping its text', () => {
    const result = decodeJson(new TextEncoder().encode('<html>'), 'The payload');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(/^The payload is not JSON/);
    expect(!result.ok && result.text).toBe('<html>');
  });

  it('names bytes that are not UTF-8', () => {
    const result = decodeJson(new Uint8Array([0xff, 0xfe]), 'The payload');
    expect(!result.ok && result.problem).toBe('The payload is not UTF-8 text.');
  });
});
