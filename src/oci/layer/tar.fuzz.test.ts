/**
 * Fuzz battery for the tar parser: archives written by GNU tar in every format it has (pax with
 * global headers, GNU long names and sparse files, ustar prefixes, v7), holding what layers hold
 * (whiteouts, hard and symbolic links, fifos, deep and non-ASCII paths), are then truncated,
 * bit-flipped, overwritten and spliced with each other. Flipped headers are sometimes given a
 * fresh checksum, as a hostile layer would, so the damage reaches the field decoding instead of
 * stopping at the checksum. For every altered input the parser must either fail with a
 * TarFormatError or produce a listing that is consistent with the bytes:
 * - each entry's header and data lie inside the stream, in order, on block boundaries;
 * - a file's delivered data is exactly the bytes at its dataOffset, `size` of them;
 * - paths are normalised, link targets only on links, whiteouts only on whiteout names;
 * and the outcome is the same however the stream is chunked, with or without a data handler.
 * A smaller set of the same cases is also read by GNU tar (`tar -tv`): whatever both read without
 * complaint, they list alike (paths, types, file sizes, link targets).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect } from 'vitest';
import { alter, alterationOf, type Alteration } from '../../test-support/alterations';
import { noiseBytes } from '../../test-support/bytes';
import { TAR_BLOCK, gnuTar, gnuTarListing, writeTarChecksum, writeTree, type GnuListedEntry, LISTED_TYPES } from '../../test-support/tar';
import { makeTempDir } from '../../test-support/tools';
import { itFuzzes } from '../../test-support/fuzz';
import { TarParser } from './tar';
import { OPAQUE_WHITEOUT, TarFormatError, WHITEOUT_META_PREFIX, WHITEOUT_PREFIX, normalizePath, type TarEntry } from './tar-entry';

const LONG_PATH = `long/${'a'.repeat(70)}/${'b'.repeat(60)}.txt`;
const VERY_LONG_PATH = `deep/${`${'c'.repeat(60)}/`.repeat(5)}file.txt`;

/** The trees archived, each small so that most damage lands in or near a header. */
function buildTree(root: string): void {
  writeTree(root, [
    { path: 'etc/hello.txt', content: 'hello, layer\n' },
    { path: 'etc/empty', content: '' },
    { path: 'bin/tool', content: noiseBytes(1500, 3), mode: 0o4755 },
    { path: 'var/lib/data.bin', content: noiseBytes(5000, 5) },
    { path: 'etc/link', symlink: 'hello.txt' },
    { path: 'etc/hard', hardlinkTo: 'etc/hello.txt' },
    { path: 'run/pipe', fifo: true },
    { path: LONG_PATH, content: 'long name\n' },
    { path: VERY_LONG_PATH, content: 'very long name\n' },
    { path: 'etc/longlink', symlink: `../${'t'.repeat(120)}` },
    { path: 'usr/share/ünïcödé/日本語.txt', content: 'こんにちは\n' },
    { path: 'opt/.wh.removed', content: '' },
    { path: 'srv/.wh..wh..opq', content: '' },
    { path: 'tmp', directory: true, mode: 0o1777 },
  ]);
  writeTree(`${root}-sparse`, [
    {
      path: 'sparse.bin',
      sparse: { size: 1 << 22, regions: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [i * (1 << 18) + 4096, `data${i}`] as const) },
    },
    { path: 'after.txt', content: 'after\n' },
  ]);
}

interface Base {
  name: string;
  bytes: Uint8Array;
  /** Offsets of the blocks that are headers (their checksum verifies). */
  headers: number[];
}

function headerOffsets(archive: Uint8Array): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + TAR_BLOCK <= archive.length; at += TAR_BLOCK) {
    const copy = archive.slice(at, at + TAR_BLOCK);
    if (copy.every((b) => b === 0)) continue;
    writeTarChecksum(copy, 0);
    if (copy.subarray(148, 156).every((b, i) => b === archive[at + 148 + i])) offsets.push(at);
  }
  return offsets;
}

type Outcome =
  | { ok: true; entries: TarEntry[]; data: Map<number, Uint8Array>; endMarker: boolean }
  | { ok: false; reason: string; offset: number; message: string };

/** Parses in the given chunk sizes (cycled); data is keyed by entry index. */
function parse(archive: Uint8Array, chunkSizes: readonly number[], withData: boolean): Outcome {
  const entries: TarEntry[] = [];
  const parts = new Map<number, Uint8Array[]>();
  const parser = new TarParser({
    entry: (entry) => void entries.push(entry),
    data: withData
      ? (entry, chunk) => {
          const index = entries.lastIndexOf(entry);
          const list = parts.get(index);
          if (list) list.push(chunk.slice());
          else parts.set(index, [chunk.slice()]);
        }
      : undefined,
  });
  try {
    for (let at = 0, k = 0; at < archive.length; k++) {
      const size = chunkSizes.length === 0 ? archive.length : chunkSizes[k % chunkSizes.length]!;
      parser.push(archive.subarray(at, at + size));
      at += size;
    }
    const { endMarker } = parser.end();
    const data = new Map([...parts].map(([index, list]) => [index, Buffer.concat(list)] as const));
    return { ok: true, entries, data, endMarker };
  } catch (error) {
    if (!(error instanceof TarFormatError)) throw error;
    // A failed parser stays failed.
    expect(() => parser.push(new Uint8Array(TAR_BLOCK))).toThrow(error);
    return { ok: false, reason: error.reason, offset: error.offset, message: error.message };
  }
}

const TYPES = new Set(['file', 'directory', 'symlink', 'hardlink', 'char-device', 'block-device', 'fifo', 'other']);

/** Throws when a listing invariant does not hold; plain checks, since there are thousands per run. */
function invariant(condition: boolean, what: string): void {
  if (!condition) throw new Error(`inconsistent listing: ${what}`);
}

function expectConsistent(archive: Uint8Array, outcome: Outcome): void {
  if (!outcome.ok) {
    invariant(['checksum', 'truncated', 'malformed'].includes(outcome.reason), `error reason ${outcome.reason}`);
    invariant(
      Number.isInteger(outcome.offset) && outcome.offset >= 0 && outcome.offset <= archive.length,
      `error offset ${outcome.offset}`,
    );
    invariant(outcome.message !== '', 'empty error message');
    return;
  }
  let previous = -1;
  outcome.entries.forEach((entry, index) => {
    const where = `entry ${index} ${JSON.stringify(entry)}`;
    invariant(TYPES.has(entry.type), `${where}: type`);
    invariant(entry.path === normalizePath(entry.path), `${where}: path not normalised`);
    invariant(entry.dataOffset % TAR_BLOCK === 0 && entry.dataOffset > previous, `${where}: dataOffset out of order`);
    previous = entry.dataOffset;
    invariant(Number.isInteger(entry.mode) && entry.mode >= 0 && entry.mode <= 0o7777, `${where}: mode`);
    invariant(Number.isSafeInteger(entry.size) && entry.size >= 0, `${where}: size`);
    invariant([entry.uid, entry.gid, entry.mtime].every(Number.isFinite), `${where}: ids or mtime`);
    invariant(entry.type === 'file' || entry.type === 'other' || entry.size === 0, `${where}: size of a non-file`);
    if (!entry.sparse) {
      invariant(entry.dataOffset + entry.size <= archive.length, `${where}: data beyond the stream`);
      if (entry.type === 'file') {
        const want = archive.subarray(entry.dataOffset, entry.dataOffset + entry.size);
        invariant(
          Buffer.from(outcome.data.get(index) ?? new Uint8Array(0)).equals(want),
          `${where}: data differs from the bytes at dataOffset`,
        );
      }
    }
    invariant((entry.linkTarget !== undefined) === (entry.type === 'symlink' || entry.type === 'hardlink'), `${where}: linkTarget`);
    invariant(JSON.stringify(entry.whiteout) === JSON.stringify(expectedWhiteout(entry.path)), `${where}: whiteout`);
  });
}

/** The whiteout a path names (OCI layer.md "Whiteouts"), written apart from the parser's. */
function expectedWhiteout(path: string): TarEntry['whiteout'] {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const dir = slash < 0 ? '.' : path.slice(0, slash);
  if (base === OPAQUE_WHITEOUT) return { kind: 'opaque', dir };
  if (!base.startsWith(WHITEOUT_PREFIX) || base.startsWith(WHITEOUT_META_PREFIX) || base.length === WHITEOUT_PREFIX.length)
    return undefined;
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'file', target: slash < 0 ? name : `${dir}/${name}` };
}

/** The same outcome read another way: entries equal, errors equal, data equal where delivered. */
function expectSameOutcome(a: Outcome, b: Outcome, compareData: boolean, how: string): void {
  const summary = (o: Outcome) => (o.ok ? JSON.stringify({ entries: o.entries, endMarker: o.endMarker }) : JSON.stringify(o));
  if (summary(a) !== summary(b)) throw new Error(`read ${how}, the outcome differs: ${summary(b)} instead of ${summary(a)}`);
  if (!compareData || !a.ok || !b.ok) return;
  const same =
    a.data.size === b.data.size && [...a.data].every(([index, bytes]) => Buffer.from(bytes).equals(b.data.get(index) ?? Buffer.alloc(0)));
  if (!same) throw new Error(`read ${how}, the delivered data differs`);
}

/** What both listings say of an entry: its path, type, size if a file, and link target. */
function asListed(entry: TarEntry): unknown {
  return { path: entry.path, type: entry.type, size: entry.type === 'file' ? entry.size : undefined, link: entry.linkTarget };
}

/** GNU tar lists names as written; the parser keys them with empty and '.' components dropped. */
function oneKey(path: string): string {
  return (
    path
      .split('/')
      .filter((part) => part !== '' && part !== '.')
      .join('/') || '.'
  );
}

function listedAs(listed: GnuListedEntry): unknown {
  const type = LISTED_TYPES[listed.typeChar] ?? 'other';
  const link = listed.link === undefined || type !== 'hardlink' ? listed.link : oneKey(listed.link);
  return { path: oneKey(listed.path), type, size: type === 'file' ? listed.size : undefined, link };
}

describe('TarParser on damaged GNU tar archives', () => {
  const bases: Base[] = [];
  const work = makeTempDir('ociscope-tar-fuzz');

  beforeAll(() => {
    const root = `${work}/root`;
    buildTree(root);
    const archives: [string, Uint8Array][] = [
      ['gnu', gnuTar(root, { format: 'gnu', owner: 'alice:1234', group: 'staff:5678', mtime: 1_600_000_000 })],
      ['oldgnu', gnuTar(root, { format: 'oldgnu' })],
      ['ustar', gnuTar(root, { format: 'ustar', owner: 'bob:4000000' })],
      ['v7', gnuTar(root, { format: 'v7' })],
      ['posix', gnuTar(root, { format: 'posix', mtime: 1_600_000_000.25 })],
      ['posix+global', gnuTar(root, { format: 'posix', args: ['--pax-option=comment=made for fuzzing,uname=global'] })],
      ['gnu sparse', gnuTar(`${root}-sparse`, { format: 'gnu', args: ['--sparse'] })],
      ['posix sparse 1.0', gnuTar(`${root}-sparse`, { format: 'posix', args: ['--sparse', '--sparse-version=1.0'] })],
      ['posix sparse 0.1', gnuTar(`${root}-sparse`, { format: 'posix', args: ['--sparse', '--sparse-version=0.1'] })],
    ];
    for (const [name, bytes] of archives) bases.push({ name, bytes, headers: headerOffsets(bytes) });
  });

  const caseOf = () =>
    fc.integer({ min: 0, max: 8 }).chain((base) =>
      fc.record({
        base: fc.constant(base),
        alteration: fc.constant(null).chain(() => alterationOf(bases[base]!.bytes.length, bases.length)),
        /** Re-checksum every original header after the damage, as a hostile writer would. */
        rechecksum: fc.boolean(),
        chunks: fc.array(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 5 }),
      }),
    );

  function damaged(input: { base: number; alteration: Alteration; rechecksum: boolean }): Uint8Array {
    const base = bases[input.base]!;
    const out = alter(
      base.bytes,
      input.alteration,
      bases.map((b) => b.bytes),
    );
    if (input.rechecksum) for (const at of base.headers) if (at + TAR_BLOCK <= out.length) writeTarChecksum(out, at);
    return out;
  }

  itFuzzes('tar parser on damaged archives', { runs: 1500, timeoutMs: 60_000 }, () =>
    fc.property(caseOf(), (input) => {
      const archive = damaged(input);
      const whole = parse(archive, [], true);
      expectConsistent(archive, whole);
      expectSameOutcome(whole, parse(archive, input.chunks, true), true, `in chunks of ${input.chunks.join(', ')}`);
      expectSameOutcome(whole, parse(archive, input.chunks, false), false, 'without a data handler');
    }),
  );

  itFuzzes('tar parser against GNU tar on damaged archives', { runs: 150, timeoutMs: 60_000 }, () =>
    fc.property(caseOf(), (input) => {
      const archive = damaged(input);
      const ours = parse(archive, [], false);
      const gnu = gnuTarListing(archive);
      if (!gnu.clean) return;
      // GNU tar is laxer in two ways the layer pass must not be: it takes a stream that stops
      // mid-header or mid-data for a short last read and lists what came before, and it reads a
      // number up to its first bad character (pax mtime "1>00000000.25" is 1 to GNU tar 1.34,
      // an error to Go's archive/tar, which is what pulls layers).
      if (!ours.ok) {
        if (ours.reason === 'checksum') throw new Error(`GNU tar reads this archive cleanly, the parser says: ${ours.message}`);
        return;
      }
      // A name with a line break cannot be compared line by line.
      if (ours.entries.some((entry) => entry.path.includes('\n'))) return;
      expect(ours.entries.map(asListed)).toEqual(gnu.entries.map(listedAs));
    }),
  );
});
