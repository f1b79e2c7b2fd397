/**
 * The raw JSON of two documents, line by line (jsdiff's structuredPatch: `diff -u` hunks with
 * context). Registries store manifests in whatever layout the pushing tool wrote — one line,
 * BuildKit's two-space indent, Docker's three — so by default both sides are first laid out the
 * same way, as `jq .` does in the seed article, and only content differences remain. The layout
 * is redone token by token, never by JSON.parse + stringify: that would reorder integer-like keys
 * and round big numbers, and the diff must show what the documents say, character for character.
 */
import { structuredPatch } from 'diff';

export type JsonLineKind = 'same' | 'added' | 'removed';

export interface JsonDiffLine {
  kind: JsonLineKind;
  text: string;
  /** 1-based line in A's (laid-out) text; absent for added lines. */
  aLine?: number;
  /** 1-based line in B's text; absent for removed lines. */
  bLine?: number;
}

export interface JsonDiffHunk {
  aStart: number;
  aCount: number;
  bStart: number;
  bCount: number;
  lines: JsonDiffLine[];
}

export interface JsonDiff {
  /** The texts compared (laid out, when that was possible and asked for). */
  a: string;
  b: string;
  /** Both sides were valid JSON and were laid out the same way. */
  laidOut: boolean;
  /** The compared texts are equal (with `laidOut`, the documents differ at most in whitespace). */
  identical: boolean;
  hunks: JsonDiffHunk[];
  added: number;
  removed: number;
  /** The diff gave up (texts too different to align within the time limit). */
  tooDifferent?: boolean;
}

const INDENT = '  ';

/**
 * Lays valid JSON out with two-space indent, one member per line and `{}`/`[]` kept short; every
 * string and number is copied as written. Undefined when `text` is not JSON.
 */
export function layOutJson(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = () => '\n' + INDENT.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      const next = nextSignificant(text, i + 1);
      if (text[next] === close) {
        out += c + close;
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += ',' + newline();
    } else if (c === ':') {
      out += ': ';
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      out += c;
    }
  }
  return out;
}

/** Index just past the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function nextSignificant(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  return i;
}

/** Milliseconds the line diff may take before saying the documents are too different to align. */
const DIFF_TIMEOUT_MS = 5_000;

/** Line diff of two JSON texts with `context` unchanged lines around each change. */
export function diffJsonTexts(aText: string, bText: string, options: { layOut?: boolean; context?: number } = {}): JsonDiff {
  const layOut = options.layOut ?? true;
  const laidA = layOut ? layOutJson(aText) : undefined;
  const laidB = layOut ? layOutJson(bText) : undefined;
  const laidOut = laidA !== undefined && laidB !== undefined;
  const a = withFinalNewline(laidOut ? laidA : aText);
  const b = withFinalNewline(laidOut ? laidB : bText);
  const base = { a, b, laidOut, identical: a === b, added: 0, removed: 0 };
  if (a === b) return { ...base, hunks: [] };
  const patch = structuredPatch('A', 'B', a, b, '', '', { context: options.context ?? 3, timeout: DIFF_TIMEOUT_MS });
  if (patch === undefined) return { ...base, hunks: [], tooDifferent: true };
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((hunk): JsonDiffHunk => {
    let aLine = hunk.oldStart;
    let bLine = hunk.newStart;
    const lines: JsonDiffLine[] = [];
    for (const line of hunk.lines) {
      const text = line.slice(1);
      if (line[0] === '+') {
        lines.push({ kind: 'added', text, bLine: bLine++ });
        added++;
      } else if (line[0] === '-') {
        lines.push({ kind: 'removed', text, aLine: aLine++ });
        removed++;
      } else if (line[0] === ' ') {
        lines.push({ kind: 'same', text, aLine: aLine++, bLine: bLine++ });
      }
      // '\' lines ("No newline at end of file") cannot occur: both texts end in a newline.
    }
    return { aStart: hunk.oldStart, aCount: hunk.oldLines, bStart: hunk.newStart, bCount: hunk.newLines, lines };
  });
  return { ...base, hunks, added, removed };
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
