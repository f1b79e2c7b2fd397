/**
 * Fuzz battery for the WWW-Authenticate parser, against a model of the RFC 9110 challenge
 * grammar (§11.6.1, §11.2–11.3; quoted-string §5.6.4):
 * - challenge lists generated from the grammar (schemes and parameter names in any case, token
 *   and quoted-string values with commas, quotes and backslashes, token68 forms, optional
 *   whitespace and empty list elements) parse to exactly the modelled challenges;
 * - a list followed by a malformed tail keeps every complete challenge before it;
 * - arbitrary text, long or hostile, never makes it throw, and whatever it returns satisfies the
 *   grammar: lowercase token schemes and parameter names, string values.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itFuzzes } from '../src/test-support/fuzz.ts';
import { parseAuthChallenges, type AuthChallenge } from './www-authenticate.ts';

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));

const token = chars(TCHARS, 1, 10);
const letters = chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 1, 8);
/** qdtext and quoted-pair content: any visible ASCII, space and tab, here biased to the hard ones. */
const quotedContent = fc.oneof(
  chars(' \t!#$%&()*+,-./:;<=>?@[]^_`{|}~abcXYZ019', 0, 16),
  chars('"\\,= ', 0, 8),
  fc.constantFrom('https://auth.docker.io/token', 'repository:library/alpine:pull,push', 'registry.docker.io'),
);

interface ParamModel {
  name: string;
  value: string;
  quoted: boolean;
}
interface ChallengeModel {
  scheme: string;
  params: ParamModel[];
  token68?: string;
}

// A parameter name is a token, but one ending in '=' chars is read as token68 by lookahead, as
// the grammar allows; names here are letters, digits and the token characters that are not '='.
const param: fc.Arbitrary<ParamModel> = fc.oneof(
  fc.record({ name: letters, value: token, quoted: fc.constant(false) }),
  fc.record({
    name: fc.oneof(letters, fc.constantFrom('realm', 'service', 'scope', 'error', 'Realm')),
    value: quotedContent,
    quoted: fc.constant(true),
  }),
);
const token68 = fc.tuple(chars('abcXYZ0189-._~+/', 1, 20), chars('=', 0, 2)).map((p) => p.join(''));
const challenge: fc.Arbitrary<ChallengeModel> = fc.oneof(
  fc.record({ scheme: letters, params: fc.array(param, { minLength: 1, maxLength: 4 }) }),
  fc.record({ scheme: letters, params: fc.constant<ParamModel[]>([]), token68 }),
  fc.record({ scheme: letters, params: fc.constant<ParamModel[]>([]) }),
);
const ows = chars(' \t', 0, 2);

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const header = fc
  .tuple(
    fc.array(challenge, { minLength: 1, maxLength: 4 }),
    fc.array(ows, { minLength: 1, maxLength: 8 }),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  )
  .map(([challenges, spaces, empties]) => {
    let k = 0;
    const sp = () => spaces[k++ % spaces.length]!;
    const comma = () => `${sp()},${sp()}${empties[k % empties.length] ? `,${sp()}` : ''}`;
    const text = challenges
      .map((c) => {
        if (c.token68 !== undefined) return `${c.scheme} ${c.token68}`;
        if (c.params.length === 0) return c.scheme;
        return `${c.scheme} ${c.params.map((p) => `${p.name}${sp()}=${sp()}${p.quoted ? quote(p.value) : p.value}`).join(comma())}`;
      })
      .join(comma());
    return { challenges, text };
  });

function simplify(challenges: readonly AuthChallenge[]) {
  return challenges.map((c) => ({ scheme: c.scheme, params: [...c.params], token68: c.token68 }));
}

function modelled(challenges: readonly ChallengeModel[]) {
  return challenges.map((c) => {
    const params = new Map<string, string>();
    for (const p of c.params) if (!params.has(p.name.toLowerCase())) params.set(p.name.toLowerCase(), p.value);
    return { scheme: c.scheme.toLowerCase(), params: [...params], token68: c.token68 };
  });
}

const SCHEME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

describe('parseAuthChallenges on generated headers', () => {
  itFuzzes('www-authenticate: grammar-built challenge lists', { runs: 1000 }, () =>
    fc.property(header, ({ challenges, text }) => {
      expect(simplify(parseAuthChallenges(text))).toEqual(modelled(challenges));
    }),
  );

  itFuzzes('www-authenticate: a malformed tail', { runs: 1000 }, () =>
    fc.property(
      header,
      fc.constantFrom(', "', ',=x', ', Bearer realm="unterminated', ', Bearer realm=a b', ', @', ',\u0000'),
      ({ challenges, text }, tail) => {
        const parsed = simplify(parseAuthChallenges(text + tail));
        expect(parsed.slice(0, challenges.length)).toEqual(modelled(challenges));
      },
    ),
  );

  itFuzzes('www-authenticate: arbitrary text', { runs: 1000 }, () =>
    fc.property(
      fc.oneof(
        fc.string({ unit: fc.constantFrom(...' \t,="\\=abcBearer/+~.:@\u0000\r\n\u00ff'.split('')), maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 100 }),
        fc.integer({ min: 1, max: 2_000 }).map((n) => `Bearer ${'a=b,'.repeat(n)}`),
        fc.integer({ min: 1, max: 2_000 }).map((n) => `${'Basic,'.repeat(n)}"`),
        fc.integer({ min: 1, max: 8_000 }).map((n) => `Bearer realm="${'\\'.repeat(n)}`),
      ),
      (text) => {
        // Plain checks: a header of thousands of parameters would mean thousands of expect calls.
        for (const c of parseAuthChallenges(text)) {
          const bad =
            !SCHEME.test(c.scheme) ||
            [...c.params].some(([name, value]) => !SCHEME.test(name) || typeof value !== 'string') ||
            (c.token68 !== undefined && !/^[A-Za-z0-9\-._~+/]+=*$/.test(c.token68));
          if (bad) throw new Error(`a challenge outside the grammar: ${JSON.stringify({ ...c, params: [...c.params] })}`);
        }
      },
    ),
  );
});
