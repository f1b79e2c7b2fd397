/**
 * Property battery for the reference parser against an oracle built from the
 * distribution/reference grammar (reference.go's EBNF) and Docker's normalisation rules,
 * written apart from the parser:
 * - references generated from the grammar parse to what the oracle predicts (Docker Hub names
 *   gain `docker.io/library/`, `index.docker.io` becomes `docker.io`, a missing tag is `latest`),
 *   and round-trip: parse → format → parse gives the same reference, format is idempotent;
 * - each targeted mutation of a valid reference, breaking one rule of the grammar, is rejected
 *   with that rule named;
 * - random edits of valid references either parse to something the grammar accepts, or are
 *   rejected with a named rule; nothing else is ever thrown.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itFuzzes } from '../../test-support/fuzz';
import {
  InvalidReferenceError,
  formatReference,
  parseReference,
  parseRepository,
  type ImageReference,
  type ReferenceRule,
} from './reference';

/** A reference as the grammar builds it: `[domain "/"] path [":" tag] ["@" digest]`. */
interface Model {
  domain?: string;
  path: string[];
  tag?: string;
  digest?: string;
}

const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
const mixed = `${lower}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const word = `${mixed}_`;
const hex = '0123456789abcdef';

const charsOf = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/** `domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/` */
const domainComponent = fc.oneof(
  charsOf(mixed, 1, 8),
  fc.tuple(charsOf(mixed, 1, 4), charsOf('-', 1, 3), charsOf(mixed, 1, 4)).map((parts) => parts.join('')),
);
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.constantFrom('0', '05000', '5000'));
/** `domain := host [":" port-number]`, host a domain name, IPv4, `[IPv6]`, or the names Docker special-cases. */
const domain = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.array(domainComponent, { minLength: 1, maxLength: 4 }).map((c) => c.join('.')) },
      { weight: 1, arbitrary: fc.constantFrom('localhost', 'docker.io', 'index.docker.io', 'ghcr.io', 'registry-1.docker.io') },
      { weight: 1, arbitrary: fc.ipV4() },
      {
        weight: 1,
        arbitrary: fc.array(charsOf('0123456789abcdefABCDEF', 0, 4), { minLength: 3, maxLength: 8 }).map((g) => `[${g.join(':')}]`),
      },
    ),
    fc.option(port, { nil: undefined }),
  )
  .map(([host, p]) => (p === undefined ? host : `${host}:${p}`));

/** `path-component := alpha-numeric [separator alpha-numeric]*`, `separator := /[_.]|__|[-]*\/` */
const separator = fc.oneof(fc.constantFrom('.', '_', '__'), charsOf('-', 1, 3));
const pathComponent = fc
  .tuple(charsOf(lower, 1, 8), fc.array(fc.tuple(separator, charsOf(lower, 1, 6)), { maxLength: 3 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const longComponent = fc.integer({ min: 60, max: 130 }).map((n) => 'n'.repeat(n));
const path = fc.array(fc.oneof({ weight: 9, arbitrary: pathComponent }, { weight: 1, arbitrary: longComponent }), {
  minLength: 1,
  maxLength: 4,
});

/** `tag := /[\w][\w.-]{0,127}/` */
const tag = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(charsOf(word, 1, 1), charsOf(`${word}.-`, 0, 12)).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.tuple(charsOf(word, 1, 1), charsOf(`${word}.-`, 127, 127)).map((p) => p.join('')) },
);
/** The digests the verifier can check: sha256 and sha512, lowercase hex of their exact length. */
const digest = fc.oneof(
  charsOf(hex, 64, 64).map((h) => `sha256:${h}`),
  charsOf(hex, 128, 128).map((h) => `sha512:${h}`),
);

const model: fc.Arbitrary<Model> = fc.record({ domain, path, tag, digest }, { requiredKeys: ['path'] });

function text(m: Model): string {
  return `${m.domain === undefined ? '' : `${m.domain}/`}${m.path.join('/')}${m.tag === undefined ? '' : `:${m.tag}`}${
    m.digest === undefined ? '' : `@${m.digest}`
  }`;
}

const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

type Expected = { ok: true; ref: ImageReference } | { ok: false; rule: ReferenceRule };

/**
 * What Docker makes of a grammar-built reference (distribution/reference `ParseNormalizedNamed`,
 * `splitDockerDomain`), with ociscope's documented differences: a first component read as a host
 * that breaks the host grammar is refused, and `name:tag@digest` keeps its tag.
 */
function oracle(m: Model): Expected {
  const name = m.domain === undefined ? m.path.join('/') : `${m.domain}/${m.path.join('/')}`;
  if (/^[a-f0-9]{64}$/.test(text(m))) return { ok: false, rule: 'hex-id' };
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost = slash >= 0 && (first === 'localhost' || /[.:]/.test(first) || first !== first.toLowerCase());
  let registry = 'docker.io';
  let repository = name;
  if (isHost) {
    if (!HOST.test(first)) return { ok: false, rule: 'host-format' };
    registry = first === 'index.docker.io' ? 'docker.io' : first;
    repository = name.slice(slash + 1);
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (repository.length > 255) return { ok: false, rule: 'name-too-long' };
  const ref: ImageReference = { registry, repository };
  if (m.tag !== undefined) ref.tag = m.tag;
  if (m.digest !== undefined) ref.digest = m.digest;
  if (ref.tag === undefined && ref.digest === undefined) ref.tag = 'latest';
  return { ok: true, ref };
}

function outcome(input: string): Expected {
  try {
    return { ok: true, ref: parseReference(input) };
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
    expect(error.input).toBe(input);
    expect(error.message.length).toBeGreaterThan(0);
    return { ok: false, rule: error.rule };
  }
}

function expectRoundTrip(ref: ImageReference): void {
  const formatted = formatReference(ref);
  const again = parseReference(formatted);
  expect(again).toEqual(ref);
  expect(formatReference(again)).toBe(formatted);
}

/** A valid model whose references the oracle accepts, so a mutation is the only thing wrong. */
const acceptedModel = model.filter((m) => oracle(m).ok);

/** One rule broken on purpose: the mutated text and the rule the parser must name. */
type Mutation = { input: string; rule: ReferenceRule };

const mutation: fc.Arbitrary<Mutation> = fc.tuple(acceptedModel, fc.nat(), fc.nat()).chain(([m, i, j]) => {
  const name = (path: string[], d = m.domain) => ({ ...m, domain: d, path });
  /** A path component that is a path component whatever else is done: not the host candidate. */
  const pathIndex = m.domain === undefined && m.path.length > 1 ? 1 + (i % (m.path.length - 1)) : i % m.path.length;
  const withComponent = (value: string) => m.path.map((c, k) => (k === pathIndex ? value : c));
  const component = m.path[pathIndex]!;
  const cut = 1 + (j % component.length);
  const mutations: Mutation[] = [
    { input: text(name(withComponent(component.toUpperCase() + 'X'))), rule: 'uppercase' },
    { input: text(name(withComponent(`${component.slice(0, cut)}..${component.slice(cut)}x`))), rule: 'path-component' },
    { input: text(name(withComponent(`${component}-`))), rule: 'path-component' },
    { input: text(name(withComponent(`_${component}`))), rule: 'path-component' },
    { input: text(name(withComponent(`${component}___x`))), rule: 'path-component' },
    // With a host in front, so that the new "/" cannot make a first component read as one.
    {
      input: text(name([...m.path.slice(0, pathIndex + 1), '', ...m.path.slice(pathIndex + 1)], m.domain ?? 'registry.example')),
      rule: 'empty-component',
    },
    { input: text(name([...m.path, ''], m.domain ?? 'registry.example')), rule: 'empty-component' },
    { input: `${text({ ...m, tag: undefined, digest: undefined })}:${['.', '-'][j % 2]}${m.tag ?? 'v1'}`, rule: 'tag-format' },
    { input: `${text({ ...m, tag: undefined, digest: undefined })}:v${'!+~$'[j % 4]}1`, rule: 'tag-format' },
    { input: `${text({ ...m, tag: undefined, digest: undefined })}:`, rule: 'tag-format' },
    { input: `${text({ ...m, tag: undefined, digest: undefined })}:v${'1'.repeat(128 + (j % 40))}`, rule: 'tag-too-long' },
    { input: `${text({ ...m, digest: undefined })}@sha256:${'a'.repeat(63 - (j % 32))}`, rule: 'digest-length' },
    { input: `${text({ ...m, digest: undefined })}@sha512:${'b'.repeat(64)}`, rule: 'digest-length' },
    { input: `${text({ ...m, digest: undefined })}@sha256:${'A'.repeat(64)}`, rule: 'digest-format' },
    { input: `${text({ ...m, digest: undefined })}@sha256:`, rule: 'digest-format' },
    {
      input: `${text({ ...m, digest: undefined })}@${['sha384', 'md5', 'blake3', 'sha256+b64'][j % 4]}:${'c'.repeat(64)}`,
      rule: 'digest-algorithm',
    },
    { input: `${text({ ...m, digest: undefined })}@`, rule: 'digest-format' },
    { input: `${text({ ...m, digest: undefined })}@sha256:${'d'.repeat(64)}@sha256:${'d'.repeat(64)}`, rule: 'multiple-digests' },
    { input: text(name([...m.path, ...Array.from({ length: 3 }, () => 'x'.repeat(90))])), rule: 'name-too-long' },
    { input: `${text(m).slice(0, cut)} ${text(m).slice(cut)}`, rule: 'whitespace' },
    { input: `${['https://', 'http://', 'docker://', 'oci://'][j % 4]}${text(m)}`, rule: 'url-scheme' },
    { input: ['', ' ', '\t\n', '  \r\n '][j % 4]!, rule: 'empty' },
    // Lowercased: capitals anywhere before the path would be named first.
    { input: `/${text(m).toLowerCase()}`, rule: 'empty-component' },
    { input: text(name(m.path, `host-.example:${j % 100}`)), rule: 'host-format' },
    { input: text(name(m.path, `localhost:p${j % 100}`)), rule: 'host-format' },
  ];
  return fc.constantFrom(...mutations);
});

/** Random edits: characters that matter to the grammar, put anywhere. */
const edit = fc.tuple(
  acceptedModel,
  fc.array(
    fc.record({
      at: fc.nat(),
      op: fc.constantFrom('insert', 'delete', 'replace'),
      char: fc.constantFrom(...'/:@.-_A Z0aé\u0000\n%[]\\#?'.split(''), '__', '//', '::', 'sha256:'),
    }),
    { minLength: 1, maxLength: 4 },
  ),
);

function applyEdits(input: string, edits: readonly { at: number; op: string; char: string }[]): string {
  let out = input;
  for (const { at, op, char } of edits) {
    const k = out.length === 0 ? 0 : at % (out.length + 1);
    if (op === 'insert') out = out.slice(0, k) + char + out.slice(k);
    else if (op === 'delete') out = out.slice(0, k) + out.slice(k + 1);
    else out = out.slice(0, k) + char + out.slice(k + 1);
  }
  return out;
}

/** The grammar, as one anchored expression over a canonical reference (host always present). */
const CANONICAL = new RegExp(
  `^(${HOST.source.slice(1, -1)})/([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)` +
    '(?::[\\w][\\w.-]{0,127})?(?:@(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}))?$',
);

const RULES: readonly ReferenceRule[] = [
  'empty',
  'url-scheme',
  'whitespace',
  'missing-name',
  'host-format',
  'empty-component',
  'path-component',
  'multiple-digests',
  'uppercase',
  'name-too-long',
  'tag-format',
  'tag-too-long',
  'digest-format',
  'digest-algorithm',
  'digest-length',
  'hex-id',
];

describe('parseReference against the distribution/reference grammar', () => {
  itFuzzes('reference: grammar-built references', { runs: 3000 }, () =>
    fc.property(model, fc.constantFrom('', ' ', '\t', '\n '), (m, pad) => {
      const expected = oracle(m);
      expect(outcome(pad + text(m) + pad)).toEqual(expected);
      if (!expected.ok) return;
      expectRoundTrip(expected.ref);
      const { tag, digest, ...repository } = expected.ref;
      if (m.tag === undefined && m.digest === undefined) expect(parseRepository(text(m))).toEqual(repository);
      else expect(() => parseRepository(text(m))).toThrow(expect.objectContaining({ rule: 'has-tag-or-digest' }));
      void tag;
      void digest;
    }),
  );

  itFuzzes('reference: one rule broken', { runs: 3000 }, () =>
    fc.property(mutation, ({ input, rule }) => {
      expect(outcome(input)).toEqual({ ok: false, rule });
    }),
  );

  itFuzzes('reference: random edits', { runs: 3000 }, () =>
    fc.property(edit, ([m, edits]) => {
      const result = outcome(applyEdits(text(m), edits));
      if (!result.ok) {
        expect(RULES).toContain(result.rule);
        return;
      }
      const match = CANONICAL.exec(formatReference(result.ref));
      expect(match, formatReference(result.ref)).not.toBeNull();
      expect(result.ref.repository.length).toBeLessThanOrEqual(255);
      expectRoundTrip(result.ref);
    }),
  );
});
