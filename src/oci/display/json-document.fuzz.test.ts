/**
 * Fuzz battery for the JSON document reader. JSON.parse is the oracle for what is JSON (RFC 8259)
 * and for the values it holds; the reader must agree with it while keeping what JSON.parse
 * throws away:
 * - generated documents (nested objects and arrays, duplicate keys, every escape, lone
 *   surrogates, numbers spelled every legal way, including ones too big or too small for a
 *   double) parse to the values JSON.parse gives, the last duplicate winning as there, with
 *   duplicates reported, numbers kept as written, and the pretty-printed form reading back to the
 *   same tree;
 * - hostile documents (truncated, bytes flipped and decoded as the client decodes them, invalid
 *   UTF-8, stray characters, huge numbers, long strings) are accepted exactly when JSON.parse
 *   accepts them, and otherwise fail with a JsonSyntaxError at an offset inside the text;
 * - nesting deeper than MAX_DEPTH is refused with a JsonSyntaxError, never a stack overflow.
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { itFuzzes } from '../../test-support/fuzz';
import { JsonSyntaxError, MAX_DEPTH, duplicateKeys, parseJsonDocument, prettyLines, type JsonNode } from './json-document';

/** A JSON value as written: objects as entry lists so that keys can repeat. */
type Doc =
  | { t: 'object'; entries: [string, Doc][] }
  | { t: 'array'; items: Doc[] }
  | { t: 'string'; value: string; escapeAll: boolean }
  | { t: 'number'; raw: string }
  | { t: 'literal'; raw: 'true' | 'false' | 'null' };

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** RFC 8259 §6: `[ minus ] int [ frac ] [ exp ]`, with spellings JSON.stringify never writes. */
const numberRaw = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-'),
      fc.oneof(
        fc.constant('0'),
        fc.tuple(fc.constantFrom(...'123456789'), digits(0, 6)).map((p) => p.join('')),
      ),
      fc.option(
        digits(1, 6).map((d) => `.${d}`),
        { nil: '' },
      ),
      fc.option(
        fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 4)).map((p) => p.join('')),
        { nil: '' },
      ),
    )
    .map((p) => p.join('')),
  fc.constantFrom('1e400', '-1e400', '1e-400', '-0', '0.0e-0', `1${'0'.repeat(400)}`, '123456789012345678901234567890', '5e-324'),
);

/** Text with what JSON strings make hard: quotes, backslashes, controls, non-BMP, lone surrogates. */
const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', '\u2028', '\ud800', '\udfff', 'é', '😀', 'a'),
    maxLength: 10,
  }),
  fc.constantFrom('__proto__', 'constructor', 'mediaType', 'digest', ''),
);

function escapeString(value: string, escapeAll: boolean): string {
  if (!escapeAll) return JSON.stringify(value);
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const short: Record<number, string> = {
      0x22: '\\"',
      0x5c: '\\\\',
      0x2f: '\\/',
      0x08: '\\b',
      0x0c: '\\f',
      0x0a: '\\n',
      0x0d: '\\r',
      0x09: '\\t',
    };
    out += short[code] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

const { doc, object, array } = fc.letrec<{ doc: Doc; object: Doc; array: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('string' as const), value: stringValue, escapeAll: fc.boolean() }),
    fc.record({ t: fc.constant('number' as const), raw: numberRaw }),
    fc.record({ t: fc.constant('literal' as const), raw: fc.constantFrom('true' as const, 'false' as const, 'null' as const) }),
    tie('object'),
    tie('array'),
  ),
  object: fc.record({
    t: fc.constant('object' as const),
    // Keys from a small pool, so that duplicates are common.
    entries: fc.array(fc.tuple(fc.oneof(fc.constantFrom('a', 'b', 'digest', '__proto__'), stringValue), tie('doc')), { maxLength: 5 }),
  }),
  array: fc.record({ t: fc.constant('array' as const), items: fc.array(tie('doc'), { maxLength: 5 }) }),
}));

const whitespace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r'), { maxLength: 3 }).map((w) => w.join(''));

/** Serialises with generated whitespace between every token. */
function write(d: Doc, ws: () => string): string {
  switch (d.t) {
    case 'object':
      return `{${ws()}${d.entries.map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${write(v, ws)}`).join(`${ws()},${ws()}`)}${ws()}}`;
    case 'array':
      return `[${ws()}${d.items.map((v) => write(v, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
    case 'string':
      return escapeString(d.value, d.escapeAll);
    default:
      return d.raw;
  }
}

/** Documents are mostly objects, as registry documents are. */
const root = fc.oneof({ weight: 3, arbitrary: object }, array, doc);

const document = fc.tuple(root, fc.array(whitespace, { minLength: 1, maxLength: 16 })).map(([d, spaces]) => {
  let k = 0;
  return { doc: d, text: write(d, () => spaces[k++ % spaces.length]!) };
});

/** The value JSON.parse gives, built from the reader's tree: last duplicate wins, own `__proto__` keys. */
function valueOf(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const e of node.entries)
        Object.defineProperty(object, e.key, { value: valueOf(e.value), enumerable: true, writable: true, configurable: true });
      return object;
    }
    case 'array':
      return node.items.map(valueOf);
    case 'string':
      return node.value;
    case 'number':
      return Number(node.raw);
    default:
      return JSON.parse(node.raw);
  }
}

function numbersIn(d: Doc): string[] {
  if (d.t === 'number') return [d.raw];
  if (d.t === 'object') return d.entries.flatMap(([, v]) => numbersIn(v));
  if (d.t === 'array') return d.items.flatMap(numbersIn);
  return [];
}

function rawNumbers(node: JsonNode): string[] {
  if (node.type === 'number') return [node.raw];
  if (node.type === 'object') return node.entries.flatMap((e) => rawNumbers(e.value));
  if (node.type === 'array') return node.items.flatMap(rawNumbers);
  return [];
}

function duplicatesIn(d: Doc, found = new Set<string>()): Set<string> {
  if (d.t === 'object') {
    const seen = new Set<string>();
    for (const [k, v] of d.entries) {
      if (seen.has(k)) found.add(k);
      seen.add(k);
      duplicatesIn(v, found);
    }
  } else if (d.t === 'array') d.items.forEach((v) => duplicatesIn(v, found));
  return found;
}

const prettyText = (node: JsonNode) =>
  prettyLines(node)
    .map((line) => '  '.repeat(line.depth) + line.parts.map((p) => p.text).join(''))
    .join('\n');

type Reading = { ok: true; node: JsonNode } | { ok: false; offset: number; message: string };

function read(text: string): Reading {
  try {
    return { ok: true, node: parseJsonDocument(text) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, offset: error.offset, message: error.message };
  }
}

function oracle(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The reader and JSON.parse agree on whether this is JSON and on what it says. */
function expectAgreement(text: string): void {
  const ours = read(text);
  const theirs = oracle(text);
  if (!ours.ok) {
    expect(theirs.ok, `JSON.parse accepts what the reader refused: ${ours.message}`).toBe(false);
    expect(Number.isInteger(ours.offset) && ours.offset >= 0 && ours.offset <= text.length, ours.message).toBe(true);
    expect(ours.message).toMatch(/ at character \d+$/);
    return;
  }
  expect(theirs.ok, 'the reader accepts what JSON.parse refuses').toBe(true);
  if (theirs.ok) expect(valueOf(ours.node)).toEqual(theirs.value);
}

/** Damage to a valid document's text or to its UTF-8 bytes (decoded as the client decodes, U+FFFD for bad bytes). */
const hostile = fc.oneof(
  fc.tuple(document, fc.nat()).map(([{ text }, k]) => text.slice(0, k % (text.length + 1))),
  fc.tuple(document, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 })).map(([{ text }, edits]) => {
    const bytes = new TextEncoder().encode(text);
    for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }),
  fc
    .tuple(
      document,
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom(
            '"',
            '\\',
            ',',
            ':',
            '{',
            '}',
            '[',
            ']',
            '\u0000',
            '\ud800',
            '\ufeff',
            '\u2028',
            '\u00a0',
            'e',
            '-',
            '.',
            '0',
            'tru',
            'nul',
            '\\u12',
            '\\x41',
          ),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([{ text }, edits]) => edits.reduce((t, [at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1)), text)),
  fc.constantFrom(
    '',
    ' ',
    '\ufeff{}',
    '{"a":1}\u0000',
    '[1,]',
    '{"a"}',
    '"\\ud83d"',
    '-',
    '01',
    '1.',
    '.5',
    '1e',
    '+1',
    'NaN',
    'Infinity',
    '[1e999999999]',
  ),
);

describe('parseJsonDocument against JSON.parse', () => {
  itFuzzes('json: generated documents', { runs: 1000 }, () =>
    fc.property(document, ({ doc: d, text }) => {
      const node = parseJsonDocument(text);
      expect(valueOf(node)).toEqual(JSON.parse(text));
      expect(rawNumbers(node)).toEqual(numbersIn(d));
      expect(new Set(duplicateKeys(node))).toEqual(duplicatesIn(d));
      const pretty = prettyText(node);
      expect(parseJsonDocument(pretty)).toEqual(node);
    }),
  );

  itFuzzes('json: hostile documents', { runs: 2000 }, () => fc.property(hostile, expectAgreement));

  itFuzzes('json: size and depth', { runs: 40 }, () =>
    fc.property(
      fc.oneof(
        fc.record({
          kind: fc.constant('depth' as const),
          depth: fc.integer({ min: MAX_DEPTH - 3, max: MAX_DEPTH + 40 }),
          objects: fc.boolean(),
        }),
        fc.record({ kind: fc.constant('wide' as const), size: fc.integer({ min: 1, max: 20_000 }) }),
        fc.record({ kind: fc.constant('long' as const), size: fc.integer({ min: 1, max: 1 << 19 }), escaped: fc.boolean() }),
      ),
      (input) => {
        if (input.kind === 'depth') {
          const open = input.objects ? '{"k":' : '[';
          const close = input.objects ? '}' : ']';
          const text = `${open.repeat(input.depth)}0${close.repeat(input.depth)}`;
          // The innermost value sits at depth `input.depth`; MAX_DEPTH is the deepest allowed.
          if (input.depth <= MAX_DEPTH) expectAgreement(text);
          else expect(read(text)).toMatchObject({ ok: false, message: expect.stringContaining(`deeper than ${MAX_DEPTH}`) });
          return;
        }
        const text =
          input.kind === 'wide'
            ? `{${Array.from({ length: input.size }, (_, i) => `"k${i % 977}":${i}`).join(',')}}`
            : JSON.stringify({ blob: (input.escaped ? '\\"\u00e9' : 'x').repeat(input.size / 3) });
        expectAgreement(text);
      },
    ),
  );
});
