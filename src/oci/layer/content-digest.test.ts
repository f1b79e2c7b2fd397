/** File digests equal sha256 of the file's bytes, whichever way they were computed. */
import { describe, expect, it } from 'vitest';
import { ContentDigester, EMPTY_SHA256, GATHER_LIMIT } from './content-digest';
import { sha256Digest } from '../../test-support/digest';

function bytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + (i >> 9)) & 0xff);
}

async function digestInPieces(digester: ContentDigester, data: Uint8Array, piece: number): Promise<string> {
  const file = digester.begin(data.length);
  for (let at = 0; at < data.length; at += piece) file.update(data.subarray(at, at + piece));
  return file.finish();
}

describe('ContentDigester', () => {
  it.each([
    ['WebCrypto', undefined],
    ['hash-wasm (no WebCrypto)', null],
  ] as const)('gives sha256 of the content with %s, for any chunking', async (_name, subtle) => {
    const digester = await ContentDigester.create({ subtle });
    for (const [length, piece] of [
      [1, 1],
      [511, 7],
      [100_000, 65_536],
      [1 << 20, 4096],
    ] as const) {
      const data = bytes(length);
      expect(await digestInPieces(digester, data, piece)).toBe(sha256Digest(data));
    }
  });

  it('streams files too big to gather and still gives their sha256', async () => {
    const digester = await ContentDigester.create();
    const data = bytes(GATHER_LIMIT + 3);
    const result = digestInPieces(digester, data, 1 << 20);
    expect(typeof (await result)).toBe('string');
    expect(await result).toBe(sha256Digest(data));
  });

  it('knows the digest of an empty file without hashing', async () => {
    const digester = await ContentDigester.create();
    expect(digester.begin(0).finish()).toBe(EMPTY_SHA256);
    expect(EMPTY_SHA256).toBe(sha256Digest(new Uint8Array(0)));
  });

  it('reuses its buffer safely while earlier digests are still running', async () => {
    const digester = await ContentDigester.create();
    const files = [bytes(70_000), bytes(70_000).map((b) => b ^ 0x55), bytes(3)];
    const pending = files.map((data) => {
      const file = digester.begin(data.length);
      file.update(data);
      return file.finish();
    });
    expect(await Promise.all(pending)).toEqual(files.map((file) => sha256Digest(file)));
  });
});
