import { describe, expect, it } from 'vitest';
import { parseAuthChallenges } from './www-authenticate.ts';

const simplify = (header: string) =>
  parseAuthChallenges(header).map((challenge) => ({
    scheme: challenge.scheme,
    params: Object.fromEntries(challenge.params),
    ...(challenge.token68 === undefined ? {} : { token68: challenge.token68 }),
  }));

describe('parseAuthChallenges', () => {
  it('reads a Docker Hub Bearer challenge', () => {
    expect(
      simplify('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        },
      },
    ]);
  });

  it('keeps commas inside quoted strings', () => {
    expect(simplify('Bearer realm="https://r/t",scope="repository:a:pull,push"')[0]?.params).toEqual({
      realm: 'https://r/t',
      scope: 'repository:a:pull,push',
    });
  });

  it('undoes backslash escapes in quoted strings', () => {
    expect(simplify('Bearer realm="https://r/t?a=\\"b\\"\\\\"')[0]?.params['realm']).toBe('https://r/t?a="b"\\');
  });

  it('lowercases scheme and parameter names, not values', () => {
    expect(simplify('BEARER Realm="https://R/T", SERVICE=Reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://R/T', service: 'Reg' } },
    ]);
  });

  it('accepts token values, whitespace around "=" and empty list elements', () => {
    expect(simplify('Bearer realm = "https://r/t" , , service=reg,error=invalid_token')[0]?.params).toEqual({
      realm: 'https://r/t',
      service: 'reg',
      error: 'invalid_token',
    });
  });

  it('splits several challenges in one header', () => {
    expect(simplify('Basic realm="Registry Realm", Bearer realm="https://r/t",service="s"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } },
    ]);
  });

  it('splits combined header lines as Headers#get joins them', () => {
    const headers = new Headers();
    headers.append('WWW-Authenticate', 'Bearer realm="https://r/t"');
    headers.append('WWW-Authenticate', 'Basic realm="x"');
    expect(simplify(headers.get('www-authenticate')!).map((c) => c.scheme)).toEqual(['bearer', 'basic']);
  });

  it('reads token68 challenges and parameterless schemes', () => {
    expect(simplify('Negotiate abc/+==, Basic, Bearer realm="r"')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc/+==' },
      { scheme: 'basic', params: {} },
      { scheme: 'bearer', params: { realm: 'r' } },
    ]);
  });

  it('keeps the first of a repeated parameter', () => {
    expect(simplify('Bearer realm="a", realm="b"')[0]?.params['realm']).toBe('a');
  });

  it('drops a challenge with an unterminated quoted string but keeps those before it', () => {
    expect(simplify('Basic realm="x", Bearer realm="https://r/t')).toEqual([{ scheme: 'basic', params: { realm: 'x' } }]);
  });

  it('stops at junk after a parameter value', () => {
    expect(simplify('Bearer realm="a" junk')).toEqual([]);
  });

  it('returns nothing for an empty header', () => {
    expect(simplify('')).toEqual([]);
  });
});
