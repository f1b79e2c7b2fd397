import { describe, expect, it } from 'vitest';
import { sniffContent } from './sniff';

const bytes = (s: string) => new TextEncoder().encode(s);
function tarHeader(): Uint8Array {
  const block = new Uint8Array(512);
  block.set(bytes('file.txt'), 0);
  block.set(bytes('ustar\u000000'), 257);
  return block;
}

describe('sniffContent', () => {
  it.each([
    ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0]), 'gzip'],
    ['zstd', new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0]), 'zstd'],
    ['a ustar header', tarHeader(), 'tar'],
    ['JSON after a BOM and blanks', bytes('\uFEFF  \n{"bomFormat":"CycloneDX"}'), 'json'],
    ['a JSON array', bytes('[1,2]'), 'json'],
    ['Chart.yaml', bytes('apiVersion: v2\nname: demo\nversion: 0.1.0\n'), 'yaml'],
    ['a YAML document marker', bytes('---\n- a\n'), 'yaml'],
    ['prose', bytes('This is a licence text.\nIt has sentences.\n'), 'text'],
    ['WebAssembly', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'wasm'],
    ['COSE_Sign1', new Uint8Array([0xd2, 0x84, 0x58]), 'cose'],
    ['an ELF binary', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 'binary'],
    ['NUL bytes', new Uint8Array([0x41, 0, 0x42]), 'binary'],
    ['invalid UTF-8', new Uint8Array([0x41, 0xff, 0xfe, 0x42]), 'binary'],
    ['nothing', new Uint8Array(0), 'empty'],
  ])('%s is %s', (_name, sample, kind) => {
    expect(sniffContent(sample, true).kind).toBe(kind);
  });

  it('tolerates a multi-byte character cut at the end of a partial sample', () => {
    const full = bytes('{"name": "café"}');
    expect(sniffContent(full.subarray(0, full.length - 3), false).kind).toBe('json');
  });

  it('names binary formats it recognises', () => {
    expect(sniffContent(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d]), true)).toEqual({ kind: 'binary', label: 'PNG image' });
  });
});
