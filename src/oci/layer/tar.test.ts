import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, noiseBytes } from '../../test-support/bytes';
import {
  TAR_END_MARKER,
  gnuTar,
  gnuTarListing,
  padToBlock,
  paxRecords,
  tarHeader,
  type GnuListedEntry,
  LISTED_TYPES,
} from '../../test-support/tar';
import { TarParser } from './tar';
import { type TarEntry, TarFormatError, normalizePath } from './tar-entry';

// Archives are written at test time by the real GNU tar over a tree made here, and GNU tar's own
// verbose listing is the oracle for what each header holds.

const MTIME = 1600000000;
const LONG_PATH = `long/${'a'.repeat(60)}/${'b'.repeat(60)}.txt`; // > 100: ustar prefix, GNU 'L', pax path
const VERY_LONG_PATH = `deep/${`${'c'.repeat(50)}/`.repeat(5)}file.txt`; // > 255: only GNU and pax
const LONG_TARGET = `../${'t'.repeat(120)}`;
const UNICODE_PATH = 'ünïcödé/日本語.txt';

let root: string;
let work: string;
let haveDevice = true;

function buildTree(dir: string): void {
  const put = (path: string, content: Uint8Array | string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  put('hello.txt', 'hello world\n');
  put('empty', '');
  put('dir/sub/deeper/file.bin', noiseBytes(1500, 7));
  put('big.bin', noiseBytes(70000, 11));
  symlinkSync('../hello.txt', join(dir, 'dir/link'));
  linkSync(join(dir, 'hello.txt'), join(dir, 'dir/hard'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  mkdirSync(join(dir, 'dev'));
  try {
    execFileSync('mknod', [join(dir, 'dev/null3'), 'c', '1', '3'], { stdio: 'ignore' });
  } catch {
    haveDevice = false; // not root: device entries are then only checked when present
  }
  put(LONG_PATH, 'long name\n');
  put(VERY_LONG_PATH, 'very long name\n');
  symlinkSync(LONG_TARGET, join(dir, 'longlink'));
  put(UNICODE_PATH, 'こんにちは\n');
  put('bin/suid', '#!/bin/sh\n');
  chmodSync(join(dir, 'bin/suid'), 0o4755);
  mkdirSync(join(dir, 'tmp'));
  chmodSync(join(dir, 'tmp'), 0o1777);
  mkdirSync(join(dir, 'shared'));
  chmodSync(join(dir, 'shared'), 0o2775);
  put('.wh.foo', '');
  put('dir/.wh..wh..opq', '');
}

/** GNU tar writes what it can in the format and warns (exit 2) about the rest. */
function tarOf(format: string, extra: string[] = [], dir = root, members = ['.']): Uint8Array {
  return gnuTar(dir, { format, owner: 'alice:1234', group: 'staff:5678', mtime: MTIME, args: extra, members });
}

interface Parsed {
  entries: TarEntry[];
  data: Map<string, Uint8Array>;
  endMarker: boolean;
}

function parse(archive: Uint8Array, chunks: 'one' | 'bytes' | 'random' | number = 'one', withData = true): Parsed {
  const entries: TarEntry[] = [];
  const parts = new Map<string, Uint8Array[]>();
  const parser = new TarParser({
    entry: (e) => entries.push(e),
    data: withData
      ? (e, chunk) => {
          const list = parts.get(e.path) ?? [];
          list.push(chunk.slice());
          parts.set(e.path, list);
        }
      : undefined,
  });
  let seed = 12345;
  const nextSize = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return 1 + (seed % 3000);
  };
  for (let at = 0; at < archive.length;) {
    const size = chunks === 'one' ? archive.length : chunks === 'bytes' ? 1 : chunks === 'random' ? nextSize() : chunks;
    parser.push(archive.subarray(at, at + size));
    at += size;
  }
  const { endMarker } = parser.end();
  const data = new Map<string, Uint8Array>();
  for (const [path, list] of parts) data.set(path, Buffer.concat(list));
  return { entries, data, endMarker };
}

function parseError(archive: Uint8Array, chunks: 'one' | 'bytes' = 'one'): TarFormatError {
  try {
    parse(archive, chunks);
  } catch (error) {
    if (error instanceof TarFormatError) return error;
    throw error;
  }
  throw new Error('expected a TarFormatError');
}

function byPath(entries: TarEntry[]): Map<string, TarEntry> {
  return new Map(entries.map((e) => [e.path, e]));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ociscope-tar-'));
  root = join(work, 'root');
  mkdirSync(root);
  buildTree(root);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.each(['gnu', 'oldgnu', 'ustar', 'posix', 'v7'])('TarParser on GNU tar --format=%s', (format) => {
  let archive: Uint8Array;
  let parsed: Parsed;
  beforeAll(() => {
    archive = tarOf(format);
    parsed = parse(archive);
  });

  it('reads every header exactly as GNU tar lists it', () => {
    const listed = gnuTarListing(archive).entries;
    expect(parsed.entries.map((e) => e.path)).toEqual(listed.map((l) => l.path));
    parsed.entries.forEach((entry, i) => {
      const want = listed[i] as GnuListedEntry;
      expect(entry.type, entry.path).toBe(LISTED_TYPES[want.typeChar]);
      expect(entry.mode, entry.path).toBe(want.mode);
      expect([entry.uid, entry.gid, entry.mtime], entry.path).toEqual([want.uid, want.gid, want.mtime]);
      if (want.dev) expect([entry.devMajor, entry.devMinor], entry.path).toEqual(want.dev);
      else if (entry.type === 'file') expect(entry.size, entry.path).toBe(want.size);
      else expect(entry.size, entry.path).toBe(0);
      expect(entry.linkTarget, entry.path).toBe(want.link);
    });
    expect(parsed.endMarker).toBe(true);
  });

  it('streams file contents byte for byte', () => {
    const files = parsed.entries.filter((e) => e.type === 'file');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const want = readFileSync(join(root, file.path));
      expect(file.size).toBe(want.length);
      if (want.length === 0) expect(parsed.data.has(file.path)).toBe(false);
      else expect(Buffer.from(parsed.data.get(file.path) as Uint8Array).equals(want), file.path).toBe(true);
      expect(Buffer.from(archive.subarray(file.dataOffset, file.dataOffset + file.size)).equals(want), `${file.path} dataOffset`).toBe(
        true,
      );
    }
  });

  it('gives the same result for one chunk, 1-byte chunks and random chunks, with or without a data handler', () => {
    expect(parse(archive, 'bytes')).toEqual(parsed);
    expect(parse(archive, 'random')).toEqual(parsed);
    expect(parse(archive, 65536)).toEqual(parsed);
    expect(parse(archive, 'one', false).entries).toEqual(parsed.entries);
  });

  it('decodes names, owners, modes, links and whiteouts', () => {
    const entries = byPath(parsed.entries);
    expect(entries.get('.')?.type).toBe('directory');
    expect(entries.get('dir/sub/deeper/file.bin')?.size).toBe(1500);
    expect(entries.get(UNICODE_PATH)?.type).toBe('file');
    expect(entries.get('bin/suid')?.mode).toBe(0o4755);
    expect(entries.get('tmp')?.mode).toBe(0o1777);
    expect(entries.get('shared')?.mode).toBe(0o2775);
    expect(entries.get('dir/link')).toMatchObject({ type: 'symlink', linkTarget: '../hello.txt' });
    expect(entries.get('hello.txt')).toMatchObject({ type: 'hardlink', linkTarget: 'dir/hard', size: 0 });
    expect(entries.get('.wh.foo')?.whiteout).toEqual({ kind: 'file', target: 'foo' });
    expect(entries.get('dir/.wh..wh..opq')?.whiteout).toEqual({ kind: 'opaque', dir: 'dir' });
    expect(entries.get('hello.txt')?.whiteout).toBeUndefined();
    const owner = format === 'v7' ? ['', ''] : ['alice', 'staff'];
    for (const entry of parsed.entries) {
      expect([entry.uname, entry.gname, entry.uid, entry.gid, entry.mtime]).toEqual([...owner, 1234, 5678, MTIME]);
    }
  });

  it('keeps what the format can hold: long names, long link targets, devices, fifos', () => {
    const entries = byPath(parsed.entries);
    const canLong = format !== 'v7';
    const canVeryLong = format === 'gnu' || format === 'oldgnu' || format === 'posix';
    expect(entries.has(LONG_PATH)).toBe(canLong);
    expect(entries.has(VERY_LONG_PATH)).toBe(canVeryLong);
    // ustar and v7 have no room for it: GNU tar stores the first 100 bytes and warns.
    expect(entries.get('longlink')?.linkTarget).toBe(canVeryLong ? LONG_TARGET : LONG_TARGET.slice(0, 100));
    expect(entries.get('fifo')?.type).toBe(format === 'v7' ? undefined : 'fifo');
    if (haveDevice && format !== 'v7') {
      expect(entries.get('dev/null3')).toMatchObject({ type: 'char-device', devMajor: 1, devMinor: 3, size: 0 });
    }
  });
});

describe('TarParser on GNU tar extensions', () => {
  it('reads base-256 ids (gnu) and pax ids (posix) above the octal range', () => {
    for (const format of ['gnu', 'posix']) {
      const archive = tarOf(format, ['--owner=big:4000000', '--group=big:4000001'], root, ['hello.txt']);
      const [entry] = parse(archive).entries;
      expect(entry).toMatchObject({ uid: 4000000, gid: 4000001, uname: 'big', gname: 'big' });
    }
  });

  it('reads fractional pax mtimes', () => {
    const archive = tarOf('posix', [`--mtime=@${MTIME}.25`], root, ['hello.txt']);
    expect(parse(archive).entries[0]?.mtime).toBe(MTIME + 0.25);
  });

  it.each([
    ['oldgnu', []],
    ['gnu', []],
    ['posix', ['--sparse-version=0.0']],
    ['posix', ['--sparse-version=0.1']],
    ['posix', ['--sparse-version=1.0']],
  ])('recognises sparse files written as %s %s and stays in step after them', (format, extra) => {
    const dir = join(work, 'sparse');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'sparse.bin');
    writeFileSync(path, '');
    truncateSync(path, 10 << 20);
    // More data regions than an old GNU header holds, so extension blocks follow it.
    const fd = openSync(path, 'r+');
    for (let i = 0; i < 8; i++) writeSync(fd, `data${i}`, i * (1 << 20) + 4096);
    closeSync(fd);
    writeFileSync(join(dir, 'after.txt'), 'after\n');
    const archive = tarOf(format, ['--sparse', ...extra], dir, ['sparse.bin', 'after.txt']);
    for (const chunks of ['one', 'bytes'] as const) {
      const { entries, data } = parse(archive, chunks);
      expect(entries.map((e) => [e.path, e.type, e.size, e.sparse])).toEqual([
        ['sparse.bin', 'file', 10 << 20, true],
        ['after.txt', 'file', 6, undefined],
      ]);
      expect(data.has('sparse.bin')).toBe(false);
      expect(Buffer.from(data.get('after.txt') as Uint8Array).toString()).toBe('after\n');
    }
  });
});

describe('TarParser end of stream', () => {
  let archive: Uint8Array;
  let entries: TarEntry[];
  beforeAll(() => {
    archive = tarOf('posix');
    entries = parse(archive).entries;
  });

  /** Where the two end-of-archive blocks start: after the last entry's padded data. */
  function endOfEntries(): number {
    const last = entries[entries.length - 1] as TarEntry;
    return last.dataOffset + Math.ceil(last.size / 512) * 512;
  }

  it('accepts a single zero block at the end, and ignores what follows two', () => {
    const end = endOfEntries();
    expect(parse(archive.slice(0, end + 512)).endMarker).toBe(true);
    expect(parse(archive.slice(0, end + 512), 'bytes').endMarker).toBe(true);
    const junk = new Uint8Array(end + 1024 + 700).fill(0x41);
    junk.set(archive.subarray(0, end + 1024));
    expect(parse(junk).entries).toEqual(entries);
  });

  it('reports a stream that stops at an entry boundary as having no end marker', () => {
    const result = parse(archive.slice(0, endOfEntries()));
    expect(result.endMarker).toBe(false);
    expect(result.entries).toEqual(entries);
  });

  it('fails with truncated when the stream stops inside a header', () => {
    const big = entries.find((e) => e.path === 'big.bin') as TarEntry;
    for (const chunks of ['one', 'bytes'] as const) {
      const error = parseError(archive.slice(0, 300), chunks);
      expect(error).toMatchObject({ kind: 'tar-format', reason: 'truncated', offset: 300 });
      // Inside a pax extended header's records, and right after them.
      expect(parseError(archive.slice(0, 512 + 10), chunks).reason).toBe('truncated');
      expect(parseError(archive.slice(0, 1024), chunks).reason).toBe('truncated');
      // Inside the ustar header that follows big.bin's pax header.
      expect(parseError(archive.slice(0, big.dataOffset - 100), chunks).reason).toBe('truncated');
    }
  });

  it('fails with truncated when the stream stops inside file data or its padding', () => {
    const big = entries.find((e) => e.path === 'big.bin') as TarEntry;
    for (const withData of [true, false]) {
      for (const cut of [big.dataOffset + 100, big.dataOffset + big.size + 10]) {
        const parser = new TarParser({ entry: () => {}, data: withData ? () => {} : undefined });
        parser.push(archive.subarray(0, cut));
        expect(() => parser.end()).toThrow(expect.objectContaining({ reason: 'truncated', offset: cut }));
      }
    }
  });

  it('fails with checksum, at the header offset, when a header is corrupted', () => {
    const file = entries.find((e) => e.path === 'dir/sub/deeper/file.bin') as TarEntry;
    const corrupted = archive.slice();
    const headerAt = file.dataOffset - 512;
    corrupted[headerAt + 10] = (corrupted[headerAt + 10] as number) ^ 0x01;
    for (const chunks of ['one', 'bytes'] as const) {
      const error = parseError(corrupted, chunks);
      expect(error).toMatchObject({ kind: 'tar-format', reason: 'checksum', offset: headerAt });
    }
  });

  it('keeps failing after an error', () => {
    const parser = new TarParser({ entry: () => {} });
    const bad = archive.slice(0, 512);
    bad[0] = (bad[0] as number) ^ 0xff;
    expect(() => parser.push(bad)).toThrow(TarFormatError);
    expect(() => parser.push(archive)).toThrow(TarFormatError);
    expect(() => parser.end()).toThrow(TarFormatError);
  });
});

// Headers GNU tar never writes (global pax records, signed sums, huge sizes), built by tarHeader.
describe('TarParser on hand-written headers', () => {
  it('applies pax global headers to later entries, entry records over them, empty values cancelling', () => {
    const global = paxRecords({ uname: 'everyone', uid: '77', mtime: '1234.5' });
    const local = paxRecords({ uid: '88', mtime: '' });
    const archive = concatBytes(
      tarHeader({ name: 'pax_global_header', typeflag: 'g', size: global.length }),
      padToBlock(global),
      tarHeader({ name: 'a', mtime: 9 }),
      tarHeader({ name: 'PaxHeaders/b', typeflag: 'x', size: local.length }),
      padToBlock(local),
      tarHeader({ name: 'b', mtime: 10 }),
      TAR_END_MARKER,
    );
    for (const chunks of ['one', 'bytes'] as const) {
      const { entries } = parse(archive, chunks);
      expect(entries.map((e) => [e.path, e.uname, e.uid, e.mtime])).toEqual([
        ['a', 'everyone', 77, 1234.5],
        ['b', 'everyone', 88, 10],
      ]);
    }
  });

  it('accepts headers summed with signed bytes', () => {
    const name = [...Buffer.from('é.txt')].map((b, i) => [i, b] as [number, number]);
    const archive = concatBytes(tarHeader({ name: '', bytes: name, size: 0 }, true), TAR_END_MARKER);
    expect(parse(archive).entries[0]?.path).toBe('é.txt');
  });

  it('takes a file size above 8 GiB from pax and skips its data arithmetically', () => {
    const size = 9 * 2 ** 30 + 3;
    const records = paxRecords({ size: String(size), path: 'huge.bin' });
    const parser = new TarParser({ entry: (e) => entries.push(e) });
    const entries: TarEntry[] = [];
    parser.push(
      concatBytes(
        tarHeader({ name: 'PaxHeaders/huge', typeflag: 'x', size: records.length }),
        padToBlock(records),
        tarHeader({ name: 'huge.bi', size: 1 }),
      ),
    );
    const zeros = new Uint8Array(1 << 24);
    const padded = Math.ceil(size / 512) * 512;
    for (let sent = 0; sent < padded; sent += zeros.length) parser.push(zeros.subarray(0, Math.min(zeros.length, padded - sent)));
    parser.push(concatBytes(tarHeader({ name: 'next' }), TAR_END_MARKER));
    expect(parser.end()).toEqual({ endMarker: true });
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['huge.bin', size],
      ['next', 0],
    ]);
    // pax header, its records, the ustar header, the data, then the next header.
    expect(entries[0]?.dataOffset).toBe(512 * 3);
    expect(entries[1]?.dataOffset).toBe(512 * 3 + padded + 512);
  });

  it('reads GNU base-256 sizes', () => {
    // 0x80 marker, then 5 in the low byte: a size of 5 written the GNU way.
    const b256 = tarHeader({
      name: 'b256',
      bytes: [[124, 0x80], ...Array.from({ length: 10 }, (_, i) => [125 + i, 0] as [number, number]), [135, 5]],
    });
    const archive = concatBytes(b256, padToBlock(new TextEncoder().encode('12345')), TAR_END_MARKER);
    const { entries, data } = parse(archive);
    expect(entries[0]?.size).toBe(5);
    expect(Buffer.from(data.get('b256') as Uint8Array).toString()).toBe('12345');
  });

  it('treats old-style regular entries whose name ends in / as directories, and contiguous files as files', () => {
    const archive = concatBytes(
      tarHeader({ name: 'olddir/', typeflag: '\0' }),
      tarHeader({ name: 'cont', typeflag: '7', size: 2 }),
      padToBlock(new Uint8Array([1, 2])),
      TAR_END_MARKER,
    );
    const { entries, data } = parse(archive);
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['olddir', 'directory'],
      ['cont', 'file'],
    ]);
    expect([...(data.get('cont') as Uint8Array)]).toEqual([1, 2]);
  });

  it('skips a lone zero block between entries, like GNU tar', () => {
    const archive = concatBytes(tarHeader({ name: 'a' }), new Uint8Array(512), tarHeader({ name: 'b' }), TAR_END_MARKER);
    expect(parse(archive).entries.map((e) => e.path)).toEqual(['a', 'b']);
  });

  it('reports unknown entry types as other and skips their data', () => {
    const archive = concatBytes(
      tarHeader({ name: 'label', typeflag: 'V', size: 3 }),
      padToBlock(new Uint8Array(3)),
      tarHeader({ name: 'x.txt' }),
      TAR_END_MARKER,
    );
    expect(parse(archive).entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ['label', 'other', 3],
      ['x.txt', 'file', 0],
    ]);
  });

  it('rejects malformed pax records', () => {
    const bad = new TextEncoder().encode('99 path=x\n');
    const archive = concatBytes(
      tarHeader({ name: 'p', typeflag: 'x', size: bad.length }),
      padToBlock(bad),
      tarHeader({ name: 'a' }),
      TAR_END_MARKER,
    );
    expect(parseError(archive)).toMatchObject({ reason: 'malformed', offset: 0 });
  });
});

describe('normalizePath', () => {
  it.each([
    ['./a/b', 'a/b'],
    ['/a//b/', 'a/b'],
    ['./', '.'],
    ['', '.'],
    ['/', '.'],
    ['a/./b/.', 'a/b'],
    ['../etc/passwd', '../etc/passwd'],
    ['a/../../b', 'a/../../b'],
    ['.hidden', '.hidden'],
  ])('%s → %s', (raw, want) => {
    expect(normalizePath(raw)).toBe(want);
  });
});
