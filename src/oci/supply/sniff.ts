/**
 * What a blob is by its first bytes, for when its media type lies or says nothing: ORAS pushes
 * plain files as `application/vnd.oci.image.layer.v1.tar`, and generic types such as
 * `application/octet-stream` name no format at all. Magic numbers follow their formats: gzip
 * (RFC 1952 §2.3.1), zstd (RFC 8878 §3.1.1), ustar (POSIX.1 `magic` at offset 257), WebAssembly
 * (`\0asm`), CBOR tag 18 for COSE_Sign1 (RFC 9052 §4.2); JSON and YAML by their first
 * non-blank characters; text when the sample is UTF-8 without control bytes.
 */

export type ContentKind = 'empty' | 'gzip' | 'zstd' | 'tar' | 'json' | 'yaml' | 'text' | 'cose' | 'wasm' | 'binary';

export interface Sniffed {
  kind: ContentKind;
  /** A short human label for the binary formats we recognise ("ELF executable", "PNG image"). */
  label?: string;
}

/** Enough to see a tar header's magic and a few lines of text. */
export const SNIFF_BYTES = 4096;

const BINARY_MAGIC: Array<[number[], string]> = [
  [[0x7f, 0x45, 0x4c, 0x46], 'ELF executable'],
  [[0x89, 0x50, 0x4e, 0x47], 'PNG image'],
  [[0xff, 0xd8, 0xff], 'JPEG image'],
  [[0x50, 0x4b, 0x03, 0x04], 'ZIP archive'],
  [[0x42, 0x5a, 0x68], 'bzip2 data'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz data'],
  [[0x25, 0x50, 0x44, 0x46], 'PDF document'],
  [[0x53, 0x49, 0x46, 0x5f, 0x4d, 0x41, 0x47, 0x49, 0x43], 'Singularity image (SIF)'],
  [[0x47, 0x47, 0x55, 0x46], 'GGUF model'],
];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function isTarHeader(bytes: Uint8Array): boolean {
  // "ustar\0" (POSIX) or "ustar  \0" (old GNU) at 257; v7 tars have no magic and are not guessed.
  return bytes.length >= 263 && startsWith(bytes, [0x75, 0x73, 0x74, 0x61, 0x72], 257);
}

/** The sample as text, tolerating a multi-byte character cut at the end of the sample. */
function sampleText(bytes: Uint8Array, complete: boolean): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= (complete ? 0 : 3); cut++) {
    try {
      return decoder.decode(bytes.subarray(0, bytes.length - cut));
    } catch {
      // Try again without a possibly cut trailing character.
    }
  }
  return undefined;
}

function looksLikeYaml(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length === 0) return false;
  if (/^(---|%YAML)/.test(lines[0]!)) return true;
  // Most lines are `key: value`, `key:` or list items: Chart.yaml, values.yaml, compose files.
  const yamlish = lines.filter((l) => /^\s*([\w.\-"']+\s*:(\s|$)|- )/.test(l)).length;
  return yamlish >= Math.max(1, Math.ceil(lines.length * 0.6));
}

/** C0 controls other than tab, newlines, form feed and escape: text never holds them. */
function hasControlBytes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b && c !== 0x0b) return true;
  }
  return false;
}

/**
 * Sniffs a sample from the start of a blob. `complete` says the sample is the whole blob, so a
 * cut character at its end would be a real encoding error.
 */
export function sniffContent(sample: Uint8Array, complete = false): Sniffed {
  if (sample.length === 0) return { kind: 'empty' };
  if (startsWith(sample, [0x1f, 0x8b])) return { kind: 'gzip' };
  if (startsWith(sample, [0x28, 0xb5, 0x2f, 0xfd])) return { kind: 'zstd' };
  if (isTarHeader(sample)) return { kind: 'tar' };
  if (startsWith(sample, [0x00, 0x61, 0x73, 0x6d])) return { kind: 'wasm', label: 'WebAssembly module' };
  if (startsWith(sample, [0xd2, 0x84])) return { kind: 'cose', label: 'COSE_Sign1 (CBOR)' };
  for (const [magic, label] of BINARY_MAGIC) if (startsWith(sample, magic)) return { kind: 'binary', label };
  const text = sampleText(sample.subarray(0, SNIFF_BYTES), complete && sample.length <= SNIFF_BYTES);
  // NUL and other C0 controls (bar tab, newlines, form feed, escape) mean binary.
  if (text === undefined || hasControlBytes(text)) return { kind: 'binary' };
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return { kind: 'json' };
  return { kind: looksLikeYaml(text) ? 'yaml' : 'text' };
}
