/**
 * A JSON reader that keeps the document as received: keys in their order, duplicates kept,
 * numbers and string escapes exactly as written. JSON.parse would silently drop a duplicate
 * key or round a number, and a registry document is evidence: what a person reads must be
 * what the bytes say (RFC 8259; duplicate keys are how ambiguous-manifest attacks hide).
 * Re-indentation is the only liberty taken, and the raw bytes stay one click away.
 */

export type JsonNode =
  | { type: 'object'; entries: JsonEntry[] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string'; value: string; raw: string }
  | { type: 'number'; raw: string }
  | { type: 'literal'; raw: 'true' | 'false' | 'null' };

/** One key of an object, in document order; duplicates stay separate entries. */
export interface JsonEntry {
  key: string;
  keyRaw: string;
  value: JsonNode;
}

/** A string value, with its raw spelling. */
export type JsonStringNode = Extract<JsonNode, { type: 'string' }>;

/** Why bytes are not JSON, with the character offset where reading stopped. */
export class JsonSyntaxError extends Error {
  readonly kind = 'json-syntax';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
  }
}

/** Deeper than this is no real manifest; refusing keeps hostile input from exhausting the stack. */
export const MAX_DEPTH = 512;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * Reads JSON text keeping order, duplicates and spellings; throws JsonSyntaxError. Long because it
 * is a closure of small readers that share the cursor `pos`: passing it around would cost the
 * biggest manifests a copy per value.
 */
export function parseJsonDocument(text: string): JsonNode {
  let pos = 0;

  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };

  const readString = (): { value: string; raw: string } => {
    STRING.lastIndex = pos;
    const match = STRING.exec(text);
    if (!match) throw new JsonSyntaxError('Malformed string', pos);
    pos = STRING.lastIndex;
    return { raw: match[0], value: JSON.parse(match[0]) as string };
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(`Nested deeper than ${MAX_DEPTH} levels`, pos);
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: JsonEntry[] = [];
      skip();
      if (text[pos] === '}') {
        pos++;
        return { type: 'object', entries };
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') throw new JsonSyntaxError('Expected a key', pos);
        const key = readString();
        skip();
        if (text[pos] !== ':') throw new JsonSyntaxError('Expected ":"', pos);
        pos++;
        entries.push({ key: key.value, keyRaw: key.raw, value: readValue(depth + 1) });
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { type: 'object', entries };
        }
        throw new JsonSyntaxError('Expected "," or "}"', pos);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { type: 'array', items };
        }
        throw new JsonSyntaxError('Expected "," or "]"', pos);
      }
    }
    if (c === '"') return { type: 'string', ...readString() };
    for (const literal of ['true', 'false', 'null'] as const) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return { type: 'literal', raw: literal };
      }
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos = NUMBER.lastIndex;
      return { type: 'number', raw: number[0] };
    }
    throw new JsonSyntaxError(c === undefined ? 'Unexpected end of document' : `Unexpected ${JSON.stringify(c)}`, pos);
  };

  const root = readValue(0);
  skip();
  if (pos !== text.length) throw new JsonSyntaxError('Unexpected content after the document', pos);
  return root;
}

/** The keys present more than once in an object: each is a reading two parsers may disagree on. */
export function duplicateKeys(node: JsonNode): string[] {
  const found = new Set<string>();
  const walk = (n: JsonNode) => {
    if (n.type === 'object') {
      const seen = new Set<string>();
      for (const e of n.entries) {
        if (seen.has(e.key)) found.add(e.key);
        seen.add(e.key);
        walk(e.value);
      }
    } else if (n.type === 'array') n.items.forEach(walk);
  };
  walk(node);
  return [...found];
}

/** Where a value in the JSON view leads. */
export interface Link {
  href: string;
  /** 'app' stays in ociscope; 'external' leaves it (always http or https). */
  target: 'app' | 'external';
  title?: string;
}

/** What a piece of a pretty-printed line is, for styling. */
export type PartKind = 'key' | 'string' | 'number' | 'literal' | 'punct';

/** A run of text on one line of the JSON view, maybe a link. */
export interface LinePart {
  kind: PartKind;
  text: string;
  link?: Link;
}

/** One line of the JSON view: its indentation and its parts. */
export interface Line {
  depth: number;
  parts: LinePart[];
}

/** Context handed to the linker for each string value: its key and the object holding it. */
export interface StringContext {
  node: JsonStringNode;
  key: string | undefined;
  /** The object the string is a value of (undefined in arrays). */
  parent: JsonEntry[] | undefined;
  /** Keys from the root, arrays contributing their parent's key: ['manifests', 'digest']. */
  path: readonly string[];
}

/** Decides whether a string value becomes a link (digests, media types, URLs). */
export type Linker = (context: StringContext) => Link | undefined;

/** Pretty-prints two spaces per level, one line per value, ready to render without recursion. */
export function prettyLines(root: JsonNode, linker: Linker = () => undefined): Line[] {
  const lines: Line[] = [];
  const emit = (
    node: JsonNode,
    depth: number,
    lead: LinePart[],
    trail: string,
    key: string | undefined,
    parent: JsonEntry[] | undefined,
    path: readonly string[],
  ) => {
    const end: LinePart[] = trail ? [{ kind: 'punct', text: trail }] : [];
    if (node.type === 'object' || node.type === 'array') {
      const [open, close] = node.type === 'object' ? ['{', '}'] : ['[', ']'];
      const size = node.type === 'object' ? node.entries.length : node.items.length;
      if (size === 0) {
        lines.push({ depth, parts: [...lead, { kind: 'punct', text: open + close }, ...end] });
        return;
      }
      lines.push({ depth, parts: [...lead, { kind: 'punct', text: open }] });
      if (node.type === 'object') {
        node.entries.forEach((entry, i) => {
          const keyPart: LinePart[] = [
            { kind: 'key', text: entry.keyRaw },
            { kind: 'punct', text: ': ' },
          ];
          emit(entry.value, depth + 1, keyPart, i < size - 1 ? ',' : '', entry.key, node.entries, [...path, entry.key]);
        });
      } else {
        node.items.forEach((item, i) => emit(item, depth + 1, [], i < size - 1 ? ',' : '', undefined, undefined, path));
      }
      lines.push({ depth, parts: [{ kind: 'punct', text: close }, ...end] });
      return;
    }
    const part: LinePart =
      node.type === 'string'
        ? { kind: 'string', text: node.raw, link: linker({ node, key, parent, path }) }
        : { kind: node.type, text: node.raw };
    lines.push({ depth, parts: [...lead, part, ...end] });
  };
  emit(root, 0, [], '', undefined, undefined, []);
  return lines;
}

/** The string value of `key` in an object's entries (the last one wins, as in JSON.parse). */
export function stringEntry(entries: JsonEntry[] | undefined, key: string): string | undefined {
  if (!entries) return undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.key === key) return e.value.type === 'string' ? e.value.value : undefined;
  }
  return undefined;
}

/** The number under `key` in an object's entries, when it is a plain number. */
export function numberEntry(entries: JsonEntry[] | undefined, key: string): number | undefined {
  if (!entries) return undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.key === key) return e.value.type === 'number' ? Number(e.value.raw) : undefined;
  }
  return undefined;
}
