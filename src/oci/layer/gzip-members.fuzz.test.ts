/**
 * Fuzz battery for gzip member splitting (RFC 1952 §2.2: a gzip file is a series of members).
 * Streams are random concatenations of members written by node:zlib (levels 1–9) and GNU gzip
 * (with and without a file name in the header), of empty, tiny, compressible, incompressible and
 * highly repetitive payloads, followed sometimes by a garbage tail (bytes that are not a member,
 * zeros, a lone byte, something that starts like a member), sometimes damaged anywhere, and fed
 * in generated chunk sizes. GNU gzip is the oracle:
 * - what it decompresses, the decoder decompresses to the same bytes;
 * - what it refuses is never read as clean gzip: the decoder refuses it with a 'decompress'
 *   LayerScanError, or reads it with `trailingBytes` set (a corrupt member with no output,
 *   followed by eight zero bytes, looks like an empty member to a decoder that can only judge
 *   by the trailer);
 * nothing else is thrown, and no case hangs.
 *
 * Node's DecompressionStream, unlike Chromium's, reads on across members and fails late, so at
 * garbage after a member (a tail, or a next member whose header is damaged) it may lose the last
 * output or the place the member ended: a path the browser never takes (e2e covers the
 * browser's). Streams GNU gzip reads with "trailing garbage ignored" are therefore only held to
 * the first rule where the runtime stops at a member's end, as the Compression Streams spec says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { alter, alterationOf, type Alteration } from '../../test-support/alterations';
import { concatBytes, noiseBytes, semiRandom, type Bytes } from '../../test-support/bytes';
import { gnuGunzip, zlibGzip } from '../../test-support/compression';
import { itFuzzes } from '../../test-support/fuzz';
import { runTool, makeTempDir } from '../../test-support/tools';
import { LayerScanError } from './events';
import { GzipDecoder } from './gzip-members';

const PAYLOADS: readonly Bytes[] = [
  new Uint8Array(0),
  new TextEncoder().encode('hello, member\n'),
  semiRandom(3_000, 1),
  noiseBytes(9_000, 2),
  semiRandom(70_000, 3),
  // Deflate's best ratio: one 64 KiB input slice inflates to far more than one output chunk.
  new Uint8Array(300_000),
];

interface MemberChoice {
  payload: number;
  /** 1–9: node:zlib at that level; 'gnu', 'gnu-named': GNU gzip, without or with FNAME and MTIME. */
  writer: number | 'gnu' | 'gnu-named';
}

type Tail = { kind: 'none' } | { kind: 'bytes'; bytes: number[] };

interface Case {
  members: MemberChoice[];
  tail: Tail;
  damage: Alteration | null;
  chunks: number[];
}

async function decode(
  body: Bytes,
  chunks: readonly number[],
): Promise<{ ok: true; output: Bytes; trailingBytes: number } | { ok: false; message: string }> {
  const parts: Uint8Array[] = [];
  const decoder = new GzipDecoder((chunk) => parts.push(chunk));
  try {
    // At most ~500 writes a case: small chunks matter at member boundaries, not all the way through.
    const floor = Math.ceil(body.length / 500);
    for (let at = 0, k = 0; at < body.length; k++) {
      const size = Math.max(chunks[k % chunks.length]!, floor);
      await decoder.push(body.slice(at, at + size));
      at += size;
    }
    await decoder.end();
    return { ok: true, output: concatBytes(...parts), trailingBytes: decoder.trailingBytes };
  } catch (error) {
    if (!(error instanceof LayerScanError) || error.kind !== 'decompress') throw error;
    return { ok: false, message: error.message };
  }
}

describe('GzipDecoder on generated member streams', () => {
  const gnuMembers = new Map<string, Bytes>();
  const zlibMembers = new Map<string, Bytes>();
  const work = makeTempDir('ociscope-gzip-fuzz');

  /** Whether this runtime's DecompressionStream stops at the end of a member, as the spec says. */
  let stopsAtMemberEnd = true;

  beforeAll(async () => {
    const twoMembers = concatBytes(zlibGzip(new Uint8Array(0)), zlibGzip(new Uint8Array(0)));
    try {
      await new Response(new Blob([twoMembers]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
      stopsAtMemberEnd = false;
    } catch {
      stopsAtMemberEnd = true;
    }
    PAYLOADS.forEach((payload, i) => {
      const file = join(work, `payload-${i}.bin`);
      writeFileSync(file, payload);
      gnuMembers.set(`${i} gnu`, runTool('gzip', ['-c', '-n', '-6', file]));
      gnuMembers.set(`${i} gnu-named`, runTool('gzip', ['-c', '-N', '-9', file]));
    });
  });

  function member({ payload, writer }: MemberChoice): Bytes {
    if (typeof writer !== 'number') return gnuMembers.get(`${payload} ${writer}`)!;
    const key = `${payload} ${writer}`;
    let bytes = zlibMembers.get(key);
    if (!bytes) zlibMembers.set(key, (bytes = zlibGzip(PAYLOADS[payload]!, writer)));
    return bytes;
  }

  const tail: fc.Arbitrary<Tail> = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
    fc.record({ kind: fc.constant('bytes' as const), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('bytes' as const), bytes: fc.integer({ min: 1, max: 1024 }).map((n) => new Array<number>(n).fill(0)) }),
    fc.record({ kind: fc.constant('bytes' as const), bytes: fc.constantFrom<number[]>([0x1f], [0x1f, 0x8b], [0x1f, 0x8b, 0x08]) }),
    fc.record({
      kind: fc.constant('bytes' as const),
      bytes: fc.array(fc.nat({ max: 255 }), { maxLength: 40 }).map((rest) => [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, ...rest]),
    }),
  );

  const caseArbitrary: fc.Arbitrary<Case> = fc
    .record({
      members: fc.array(
        fc.record({
          payload: fc.nat({ max: PAYLOADS.length - 1 }),
          writer: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constantFrom('gnu' as const, 'gnu-named' as const)),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      tail,
      damaged: fc.boolean(),
      chunks: fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 200_000 })), { minLength: 1, maxLength: 4 }),
    })
    .chain(({ members, tail, damaged, chunks }) => {
      const length = members.reduce((n, m) => n + member(m).length, 0);
      return (damaged ? alterationOf(length) : fc.constant(null)).map((damage) => ({ members, tail, damage, chunks }));
    });

  function body(c: Case): Bytes {
    const joined = concatBytes(...c.members.map(member), new Uint8Array(c.tail.kind === 'none' ? [] : c.tail.bytes));
    return c.damage === null ? joined : alter(joined, c.damage);
  }

  itFuzzes('gzip members against GNU gzip', { runs: 200, timeoutMs: 120_000, caseTimeoutMs: 20_000 }, () =>
    fc.asyncProperty(caseArbitrary, async (c) => {
      const bytes = body(c);
      // An empty body is no gzip stream: the layer pass reads it as a plain (empty) tar.
      if (bytes.length === 0) return;
      const gnu = gnuGunzip(bytes);
      const ours = await decode(bytes, c.chunks);
      if (gnu.ok) {
        if (gnu.trailingGarbage && !stopsAtMemberEnd) return;
        expect(ours, 'GNU gzip decompresses this stream').toMatchObject({ ok: true });
        if (ours.ok) expect(Buffer.from(ours.output).equals(gnu.output), 'output differs from GNU gzip').toBe(true);
      } else if (ours.ok) {
        expect(ours.trailingBytes, 'GNU gzip refuses this stream, the decoder read it as clean gzip').toBeGreaterThan(0);
      }
    }),
  );
});
