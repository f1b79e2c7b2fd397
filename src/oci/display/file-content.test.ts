import { describe, expect, it } from 'vitest';
import { contentKind, hexLines, imageType } from './file-content';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('file content', () => {
  it('recognises text, including UTF-8, tabs and a cut multi-byte tail', () => {
    expect(contentKind(new TextEncoder().encode('NAME="ociscope"\n\tünïcode\n'))).toBe('text');
    expect(contentKind(new TextEncoder().encode('é').subarray(0, 1))).toBe('text');
  });

  it('calls NUL bytes and invalid UTF-8 binary', () => {
    expect(contentKind(bytes(0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00))).toBe('binary');
    expect(contentKind(bytes(0x61, 0xff, 0x62))).toBe('binary');
  });

  it('recognises images by magic bytes, never SVG', () => {
    expect(imageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(imageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(imageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toBeUndefined();
    expect(imageType(new TextEncoder().encode('RIFF....WAVE'))).toBeUndefined();
  });

  it('dumps 16 bytes a line with offsets and printable ASCII', () => {
    const data = new TextEncoder().encode('Hello, hex dump!\x00\x01A');
    expect(hexLines(data)).toEqual([
      { offset: '00000000', hex: '48 65 6c 6c 6f 2c 20 68  65 78 20 64 75 6d 70 21', ascii: 'Hello, hex dump!' },
      { offset: '00000010', hex: '00 01 41', ascii: '..A' },
    ]);
    expect(hexLines(data, 1, 5)).toHaveLength(1);
  });
});
