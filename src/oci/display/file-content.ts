/**
 * How to show a file's bytes: as text when they are UTF-8 without control bytes, as an image
 * when the magic bytes say so, otherwise as a hex dump. Decided by content, never by name,
 * because a layer's file names are whatever its author chose.
 */

export type ContentKind = 'text' | 'image' | 'binary';

const imageMagic: Array<[string, number[]]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
];

/** The image type the bytes start with; SVG is left out on purpose: it can carry script. */
export function imageType(bytes: Uint8Array): string | undefined {
  for (const [type, magic] of imageMagic) {
    if (magic.every((b, i) => bytes[i] === b)) {
      if (type === 'image/webp' && String.fromCharCode(...bytes.subarray(8, 12)) !== 'WEBP') continue;
      return type;
    }
  }
  return undefined;
}

function looksLikeText(bytes: Uint8Array): boolean {
  // A truncated preview may cut a multi-byte character: ignore an incomplete tail.
  const sample = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return false;
  }
  for (const b of sample) {
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b)) return false;
  }
  return true;
}

/** How a file's first bytes should be shown: as text, as an image, or as a hex dump. */
export function contentKind(bytes: Uint8Array): ContentKind {
  if (imageType(bytes)) return 'image';
  return looksLikeText(bytes) ? 'text' : 'binary';
}

/** One 16-byte row of a hex dump. */
export interface HexLine {
  offset: string;
  hex: string;
  ascii: string;
}

/** 16 bytes a line: offset, hex pairs in two groups of eight, printable ASCII or '.'. */
export function hexLines(bytes: Uint8Array, start = 0, count = Math.ceil(bytes.length / 16)): HexLine[] {
  const lines: HexLine[] = [];
  for (let line = start; line < Math.min(start + count, Math.ceil(bytes.length / 16)); line++) {
    const row = bytes.subarray(line * 16, line * 16 + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      hex += i < row.length ? row[i]!.toString(16).padStart(2, '0') : '  ';
      hex += i === 7 ? '  ' : ' ';
      if (i < row.length) ascii += row[i]! >= 0x20 && row[i]! < 0x7f ? String.fromCharCode(row[i]!) : '.';
    }
    lines.push({ offset: (line * 16).toString(16).padStart(8, '0'), hex: hex.trimEnd(), ascii });
  }
  return lines;
}
