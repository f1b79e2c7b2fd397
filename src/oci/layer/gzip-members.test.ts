import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gnuGzip } from '../../test-support/compression';
import { concat } from './compression';
import { LayerScanError } from './events';
import { GzipDecoder } from './gzip-members';

/** Bytes that compress a little but not trivially, the same every run. */
function semiRandom(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 24) % 16;
  }
  return out;
}

async function decode(body: Uint8Array<ArrayBuffer>, chunk = 8_192): Promise<{ output: Uint8Array; trailingBytes: number }> {
  const parts: Uint8Array[] = [];
  const decoder = new GzipDecoder((c) => parts.push(c));
  for (let at = 0; at < body.length; at += chunk) await decoder.push(body.subarray(at, at + chunk));
  await decoder.end();
  return { output: parts.reduce((a, b) => concat(a, b), new Uint8Array(0)), trailingBytes: decoder.trailingBytes };
}

describe('GzipDecoder', () => {
  const data = semiRandom(120_000, 7);

  it('decompresses one member made by GNU gzip', async () => {
    const { output, trailingBytes } = await decode(gnuGzip(data));
    expect(output).toEqual(data);
    expect(trailingBytes).toBe(0);
  });

  it('decompresses concatenated members (cat a.gz b.gz), as gzip -d does', async () => {
    const body = concat(concat(gnuGzip(data.subarray(0, 1000)), gzipSync(data.subarray(1000, 200_000))), gnuGzip(data.subarray(200_000)));
    for (const chunk of [4_096, 65_536, body.length]) expect((await decode(body, chunk)).output).toEqual(data);
  });

  it('finds member ends at every split of a small two-member stream', async () => {
    const a = gzipSync(new TextEncoder().encode('first member\n'));
    const b = gzipSync(new TextEncoder().encode('second member\n'));
    const body = concat(a, b);
    for (const chunk of [1, 5, a.length - 1, a.length, a.length + 1]) {
      expect(new TextDecoder().decode((await decode(body, chunk)).output)).toBe('first member\nsecond member\n');
    }
  });

  it('decompresses empty members between others', async () => {
    const empty = gzipSync(new Uint8Array(0));
    const body = concat(concat(empty, gzipSync(data.subarray(0, 5_000))), empty);
    const { output, trailingBytes } = await decode(body, 3);
    expect(output).toEqual(data.subarray(0, 5_000));
    expect(trailingBytes).toBe(0);
  });

  // Node's DecompressionStream drops its last output when junk arrives in the same write as a
  // member's end (Chromium's delivers it, then fails the write), so here the junk comes in a
  // write of its own; e2e covers the browser.
  it('counts bytes after the last member that are not a member as trailing garbage', async () => {
    const garbage = new TextEncoder().encode('junk after the end, not a header');
    const member = gnuGzip(data);
    const { output, trailingBytes } = await decode(concat(member, garbage), member.length);
    expect(output).toEqual(data);
    expect(trailingBytes).toBe(garbage.length);
  });

  it('counts a lone trailing byte as garbage', async () => {
    const { trailingBytes } = await decode(concat(gnuGzip(data), new Uint8Array([0x1f])));
    expect(trailingBytes).toBe(1);
  });

  it('fails a member whose deflate data is corrupt', async () => {
    const corrupt = gnuGzip(data);
    corrupt.fill(0xff, 100, 2_000);
    await expect(decode(corrupt)).rejects.toMatchObject({ kind: 'decompress' });
    await expect(decode(corrupt)).rejects.toBeInstanceOf(LayerScanError);
  });

  it('fails a member that stops before its trailer', async () => {
    const whole = gnuGzip(data);
    await expect(decode(whole.slice(0, whole.length - 6))).rejects.toMatchObject({ kind: 'decompress' });
  });

  // Found by the gzip fuzz battery: the stream fails on a bad CRC32 only after all the member's
  // output is out, so ISIZE matched and the member passed as whole.
  it.each([
    ['alone', new Uint8Array(0)],
    ['before another member', gzipSync(new TextEncoder().encode('next'))],
    ['before garbage', new TextEncoder().encode('junk')],
  ])('refuses a member whose CRC32 is wrong, %s', async (_, after) => {
    for (const payload of [new TextEncoder().encode('a small member'), data]) {
      const member = new Uint8Array(gzipSync(payload));
      member[member.length - 7]! ^= 0x04;
      for (const chunk of [7, 8_192, 1 << 20]) {
        await expect(decode(concat(member, new Uint8Array(after)), chunk)).rejects.toMatchObject({ kind: 'decompress' });
      }
    }
  });

  // Found by the gzip fuzz battery: a member broken before any output has CRC32 0 and ISIZE 0, so
  // the first eight zero bytes after it passed for its trailer.
  it.each([
    ['zero padding', new Uint8Array(6)],
    ['more zero padding', new Uint8Array(600)],
  ])('refuses a member corrupt from its first deflate byte, followed by %s', async (_, padding) => {
    const member = new Uint8Array(gzipSync(data.subarray(0, 3_000), { level: 1 }));
    member[10]! ^= 0x02;
    for (const chunk of [5, 8_192]) {
      await expect(decode(concat(member, padding), chunk)).rejects.toMatchObject({ kind: 'decompress' });
    }
  });
});
