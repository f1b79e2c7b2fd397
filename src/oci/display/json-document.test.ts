import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, MAX_DEPTH, duplicateKeys, parseJsonDocument, prettyLines } from './json-document';

const text = (lines: ReturnType<typeof prettyLines>) =>
  lines.map((l) => '  '.repeat(l.depth) + l.parts.map((p) => p.text).join('')).join('\n');

describe('parseJsonDocument', () => {
  it('pretty-prints like JSON.stringify for ordinary documents', () => {
    const doc = { schemaVersion: 2, layers: [{ size: 1, digest: 'sha256:x' }], empty: {}, none: [], flag: true, nothing: null };
    expect(text(prettyLines(parseJsonDocument(JSON.stringify(doc))))).toBe(JSON.stringify(doc, null, 2));
  });

  it('keeps numbers and string escapes exactly as written', () => {
    const lines = prettyLines(parseJsonDocument('{"n": 1.50e+3, "s": "a\\u0041\\/b"}'));
    expect(text(lines)).toContain('"n": 1.50e+3');
    expect(text(lines)).toContain('"s": "a\\u0041\\/b"');
  });

  it('keeps duplicate keys in order and reports them', () => {
    const root = parseJsonDocument('{"mediaType": "a", "x": {"k": 1, "k": 2}, "mediaType": "b"}');
    expect(root.type === 'object' && root.entries.map((e) => e.key)).toEqual(['mediaType', 'x', 'mediaType']);
    expect(duplicateKeys(root).sort()).toEqual(['k', 'mediaType']);
  });

  it.each([
    ['{"a":1,}', /Expected a key/],
    ['{"a" 1}', /Expected ":"/],
    ['[1 2]', /Expected "," or "\]"/],
    ['{"a":"\u0001"}', /Malformed string/],
    ['{"a":1} x', /after the document/],
    ['', /end of document/],
    ['{"a": tru}', /Unexpected "t"/],
  ])('rejects %j', (input, message) => {
    expect(() => parseJsonDocument(input)).toThrow(message);
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_DEPTH + 2) + ']'.repeat(MAX_DEPTH + 2);
    expect(() => parseJsonDocument(deep)).toThrow(JsonSyntaxError);
    expect(() => parseJsonDocument('['.repeat(100) + ']'.repeat(100))).not.toThrow();
  });

  it('hands each string to the linker with its key, parent and path', () => {
    const seen: string[] = [];
    prettyLines(parseJsonDocument('{"manifests":[{"digest":"d","mediaType":"m"}],"annotations":{"k":"v"}}'), (ctx) => {
      seen.push(`${ctx.path.join('.')}=${ctx.node.value} parent:${ctx.parent?.map((e) => e.key).join(',') ?? '-'}`);
      return undefined;
    });
    expect(seen).toEqual([
      'manifests.digest=d parent:digest,mediaType',
      'manifests.mediaType=m parent:digest,mediaType',
      'annotations.k=v parent:k',
    ]);
  });
});
