/**
 * Fuzz battery for the proxy's header policy (header-policy.ts) on generated header sets:
 * - towards the registry, only the four allowlisted browser headers pass, unchanged, plus the
 *   proxy's own `accept-encoding: identity` and user agent: no cookie, credential or forwarding
 *   header, whatever its case or value;
 * - towards the browser, only CORS and the allowlisted registry headers pass, unchanged; a
 *   WWW-Authenticate that is not purely Bearer challenges is dropped (a browser would answer it
 *   with a login dialog on our origin); Content-Length is dropped when the body was re-encoded;
 * - header values the Fetch standard forbids (CR, LF, NUL) never get that far: Headers refuses them.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itFuzzes } from '../src/test-support/fuzz.ts';
import {
  CORS_HEADERS,
  FORWARDED_REQUEST_HEADERS,
  FORWARDED_RESPONSE_HEADERS,
  USER_AGENT,
  browserResponseHeaders,
  upstreamRequestHeaders,
} from './header-policy.ts';
import { parseAuthChallenges } from './www-authenticate.ts';

const mixedCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((up) => [...name].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));

const REQUEST_NAMES = [
  ...FORWARDED_REQUEST_HEADERS,
  'cookie',
  'authorization',
  'x-ociscope-registry-authorization',
  'x-forwarded-for',
  'forwarded',
  'origin',
  'referer',
  'proxy-authorization',
  'host-ish',
  'accept-encoding',
  'user-agent',
  'x-custom',
];
const RESPONSE_NAMES = [
  ...FORWARDED_RESPONSE_HEADERS,
  'set-cookie',
  'location',
  'server',
  'x-powered-by',
  'content-encoding',
  'strict-transport-security',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'refresh',
];

/** Header values the Fetch standard allows: no CR, LF or NUL, no leading or trailing whitespace. */
const value = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...'abcXYZ019 ;,=/"\\-_.:\t+*'.split('')), maxLength: 40 }),
    fc.constantFrom(
      'identity',
      'gzip',
      'br',
      ' gzip ',
      'Bearer realm="https://r/t"',
      'Basic realm="x"',
      'Bearer realm="r", Basic realm="x"',
      'Negotiate',
      'bearer realm=r,bearer realm=s',
    ),
  )
  .map((v) => v.trim());

/** Name and value pairs, appended in order (repeated names combine, as on the wire). */
const headerPairs = (names: readonly string[]) => fc.array(fc.tuple(fc.constantFrom(...names).chain(mixedCase), value), { maxLength: 12 });

function headersOf(pairs: readonly [string, string][]): Headers {
  const headers = new Headers();
  for (const [name, v] of pairs) headers.append(name, v);
  return headers;
}

/** Setting a header trims its value, so a combined value with an empty last part loses a space. */
const asSet = (v: string | null) => (v === null ? null : v.trim());

describe('header policy on generated headers', () => {
  itFuzzes('header policy: browser to registry', { runs: 1000 }, () =>
    fc.property(headerPairs(REQUEST_NAMES), (pairs) => {
      const browser = headersOf(pairs);
      const sent = upstreamRequestHeaders(browser);
      const names = [...sent.keys()];
      for (const name of names) expect([...FORWARDED_REQUEST_HEADERS, 'accept-encoding', 'user-agent']).toContain(name);
      for (const name of FORWARDED_REQUEST_HEADERS) expect(sent.get(name)).toBe(asSet(browser.get(name)));
      expect(sent.get('accept-encoding')).toBe('identity');
      expect(sent.get('user-agent')).toBe(USER_AGENT);
    }),
  );

  itFuzzes('header policy: registry to browser', { runs: 1000 }, () =>
    fc.property(headerPairs(RESPONSE_NAMES), (pairs) => {
      const upstream = headersOf(pairs);
      const shown = browserResponseHeaders(upstream);
      const allowed = new Set([...Object.keys(CORS_HEADERS).map((n) => n.toLowerCase()), ...FORWARDED_RESPONSE_HEADERS]);
      for (const name of shown.keys()) expect(allowed.has(name), name).toBe(true);
      for (const [name, v] of Object.entries(CORS_HEADERS)) expect(shown.get(name)).toBe(v);
      const challenge = upstream.get('www-authenticate');
      const challenges = challenge === null ? [] : parseAuthChallenges(challenge);
      const onlyBearer = challenges.length > 0 && challenges.every((c) => c.scheme === 'bearer');
      expect(shown.get('www-authenticate')).toBe(onlyBearer ? asSet(challenge) : null);
      const encoding = upstream.get('content-encoding');
      const reencoded = encoding !== null && encoding.trim().toLowerCase() !== 'identity';
      expect(shown.get('content-length')).toBe(reencoded ? null : asSet(upstream.get('content-length')));
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        if (name !== 'www-authenticate' && name !== 'content-length') expect(shown.get(name)).toBe(asSet(upstream.get(name)));
      }
    }),
  );

  itFuzzes('header policy: forbidden values', { runs: 300 }, () =>
    fc.property(
      fc.constantFrom(...REQUEST_NAMES, ...RESPONSE_NAMES),
      value,
      fc.constantFrom('\r\n', '\n', '\r', '\u0000'),
      fc.nat(),
      (name, v, bad, at) => {
        const k = at % (v.length + 1);
        expect(() => new Headers([[name, `x${v.slice(0, k)}${bad}${v.slice(k)}x`]])).toThrow(TypeError);
      },
    ),
  );
});
