/**
 * Tar fixtures two ways. Real archives come from GNU tar run over a tree written to disk
 * (`writeTree` + `gnuTar`), because what users' layers hold is what real tools write. Headers GNU
 * tar never writes (global pax records, signed checksums, impossible sizes) are built in memory
 * (`tarHeader`, `paxRecords`), block by block, per POSIX.1-2017 `pax` "ustar Interchange Format".
 */
import { spawnSync } from 'node:child_process';
import { closeSync, linkSync, mkdirSync, openSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TarEntryType } from '../oci/layer/tar-entry';
import type { Bytes } from './bytes';
import { runTool } from './tools';

export const TAR_BLOCK = 512;
/** The end-of-archive marker: two zero blocks. */
export const TAR_END_MARKER: Bytes = new Uint8Array(2 * TAR_BLOCK);

/** One thing to put in a tree; paths are relative to the tree's root. */
export type TreeEntry =
  | { path: string; content: Uint8Array | string; mode?: number }
  | { path: string; directory: true; mode?: number }
  | { path: string; symlink: string }
  /** A second name for an entry written earlier in the list. */
  | { path: string; hardlinkTo: string }
  | { path: string; fifo: true }
  /** A file of `size` bytes that is a hole except for `regions` ([offset, bytes]). */
  | { path: string; sparse: { size: number; regions: readonly (readonly [number, string])[] } };

/** Writes the entries under `dir` in order, creating parent directories as needed. */
export function writeTree(dir: string, entries: readonly TreeEntry[]): void {
  for (const entry of entries) {
    const path = join(dir, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    if ('content' in entry) writeFileSync(path, entry.content, entry.mode === undefined ? {} : { mode: entry.mode });
    else if ('directory' in entry) mkdirSync(path, { recursive: true, ...(entry.mode === undefined ? {} : { mode: entry.mode }) });
    else if ('symlink' in entry) symlinkSync(entry.symlink, path);
    else if ('hardlinkTo' in entry) linkSync(join(dir, entry.hardlinkTo), path);
    else if ('fifo' in entry) runTool('mkfifo', [path]);
    else {
      writeFileSync(path, '');
      truncateSync(path, entry.sparse.size);
      const fd = openSync(path, 'r+');
      for (const [offset, text] of entry.sparse.regions) writeSync(fd, text, offset);
      closeSync(fd);
    }
  }
}

export interface GnuTarOptions {
  /** `--format=`: gnu, oldgnu, ustar, posix (pax), v7. GNU tar's default when unset. */
  format?: string;
  /** What to archive, relative to the directory; default everything (`.`). */
  members?: readonly string[];
  /** `name:id` or an id; default 0. */
  owner?: string;
  group?: string;
  /** Seconds since the epoch for every entry; default 0. */
  mtime?: number;
  /** Further GNU tar options (`--sparse`, `--pax-option=…`). */
  args?: readonly string[];
}

/**
 * An archive of `dir` written by GNU tar to stdout, reproducibly: names sorted, owners and
 * times fixed, the same bytes on every run. GNU tar warns (exit 2) about what a format cannot hold and writes the rest.
 */
export function gnuTar(dir: string, options: GnuTarOptions = {}): Bytes {
  const args = [
    ...(options.format === undefined ? [] : [`--format=${options.format}`]),
    '--sort=name',
    `--owner=${options.owner ?? '0'}`,
    `--group=${options.group ?? '0'}`,
    `--mtime=@${options.mtime ?? 0}`,
    // pax headers would otherwise carry the writer's PID in their names and the files' real atime
    // and ctime; these stay, as GNU tar writes them, but fixed like mtime.
    ...(options.format === 'posix'
      ? [`--pax-option=exthdr.name=%d/PaxHeaders/%f,atime:=${options.mtime ?? 0},ctime:=${options.mtime ?? 0}`]
      : []),
    ...(options.args ?? []),
    '-C',
    dir,
    '-cf',
    '-',
    ...(options.members ?? ['.']),
  ];
  return runTool('tar', args, { okStatuses: [2] });
}

export interface TarHeaderFields {
  name: string;
  /** One character; default '0' (regular file). */
  typeflag?: string;
  size?: number;
  mode?: number;
  uid?: number;
  mtime?: number;
  linkname?: string;
  /** Raw bytes to poke in after the fields are written: [offset, value]. */
  bytes?: readonly (readonly [number, number])[];
}

/** A ustar header block with a valid checksum (the historical signed sum when asked). */
export function tarHeader(fields: TarHeaderFields, signedChecksum = false): Bytes {
  const block = new Uint8Array(TAR_BLOCK);
  const text = (at: number, value: string) => block.set(new TextEncoder().encode(value), at);
  const octal = (at: number, length: number, value: number) => text(at, `${value.toString(8).padStart(length - 1, '0')}\0`);
  text(0, fields.name);
  octal(100, 8, fields.mode ?? 0o644);
  octal(108, 8, fields.uid ?? 0);
  octal(116, 8, 0);
  octal(124, 12, fields.size ?? 0);
  octal(136, 12, fields.mtime ?? 0);
  text(156, fields.typeflag ?? '0');
  text(157, fields.linkname ?? '');
  text(257, 'ustar\u000000');
  for (const [at, byte] of fields.bytes ?? []) block[at] = byte;
  writeTarChecksum(block, 0, signedChecksum);
  return block;
}

/**
 * (Re)writes the checksum field of the header block at `at`: the sum of the block's bytes with
 * the field itself counted as eight spaces, as six octal digits, NUL, space.
 */
export function writeTarChecksum(archive: Uint8Array, at: number, signed = false): void {
  let sum = 8 * 0x20;
  for (let i = at; i < at + TAR_BLOCK; i++) {
    if (i >= at + 148 && i < at + 156) continue;
    const byte = archive[i] as number;
    sum += signed && byte > 127 ? byte - 256 : byte;
  }
  archive.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), at + 148);
}

/** The body of a pax extended header: `"<length> <key>=<value>\n"` records, the length counting itself. */
export function paxRecords(records: Readonly<Record<string, string>>): Bytes {
  let body = '';
  for (const [key, value] of Object.entries(records)) {
    const rest = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(rest) + 1;
    if (String(length).length + Buffer.byteLength(rest) !== length) length = String(length + 1).length + Buffer.byteLength(rest);
    body += `${length}${rest}`;
  }
  return new Uint8Array(Buffer.from(body));
}

/** Zero-pads to a whole number of tar blocks. */
export function padToBlock(bytes: Uint8Array): Bytes {
  const out = new Uint8Array(Math.ceil(bytes.length / TAR_BLOCK) * TAR_BLOCK);
  out.set(bytes);
  return out;
}

/** The entry type each type letter of GNU tar's verbose listing stands for. */
export const LISTED_TYPES: Readonly<Record<string, TarEntryType>> = {
  '-': 'file',
  d: 'directory',
  l: 'symlink',
  h: 'hardlink',
  c: 'char-device',
  b: 'block-device',
  p: 'fifo',
};

/** One line of GNU tar's verbose listing, decoded. */
export interface GnuListedEntry {
  /** As listed, normalised like the parser's paths ('./' and trailing '/' dropped, '.' for the root). */
  path: string;
  /** The listing's type letter: '-', 'd', 'l', 'h', 'c', 'b', 'p', … */
  typeChar: string;
  mode: number;
  uid: number;
  gid: number;
  size?: number;
  dev?: [number, number];
  mtime: number;
  link?: string;
}

export interface GnuListing {
  /** GNU tar exited 0 and said nothing on stderr: it found nothing wrong. */
  clean: boolean;
  stderr: string;
  entries: GnuListedEntry[];
}

/** The permission bits of an `ls -l` style mode string (`rwsr-xr-t`). */
function permissionBits(text: string): number {
  const [r1, w1, x1, r2, w2, x2, r3, w3, x3] = text;
  let mode = 0;
  if (r1 === 'r') mode |= 0o400;
  if (w1 === 'w') mode |= 0o200;
  if (x1 === 'x' || x1 === 's') mode |= 0o100;
  if (x1 === 's' || x1 === 'S') mode |= 0o4000;
  if (r2 === 'r') mode |= 0o40;
  if (w2 === 'w') mode |= 0o20;
  if (x2 === 'x' || x2 === 's') mode |= 0o10;
  if (x2 === 's' || x2 === 'S') mode |= 0o2000;
  if (r3 === 'r') mode |= 0o4;
  if (w3 === 'w') mode |= 0o2;
  if (x3 === 'x' || x3 === 't') mode |= 0o1;
  if (x3 === 't' || x3 === 'T') mode |= 0o1000;
  return mode;
}

/** Written apart from the parser's normalisation, so the oracle is not the code under test. */
export function normalizeListedPath(path: string): string {
  let p = path;
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/')) p = p.slice(0, -1);
  return p === '' || p === '.' ? '.' : p;
}

const LISTING_LINE = /^(\S)(\S{9}) (\d+)\/(\d+)\s+(\d+|\d+,\s*\d+) (-?\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d(?:\.\d+)?) (.*)$/;

/**
 * GNU tar's reading of an archive (`tar -tv` with numeric owners, so every numeric field is
 * decoded and checked), as an oracle for ours. A line it cannot decode makes the listing unclean.
 */
export function gnuTarListing(archive: Uint8Array): GnuListing {
  const result = spawnSync('tar', ['-tvf', '-', '--numeric-owner', '--full-time', '--utc', '--quoting-style=literal'], {
    input: archive,
    maxBuffer: 1 << 28,
  });
  if (result.error) throw result.error;
  const stderr = result.stderr.toString('utf8');
  let clean = result.status === 0 && stderr === '';
  const entries: GnuListedEntry[] = [];
  for (const line of result.stdout.toString('utf8').split('\n')) {
    if (line === '') continue;
    const m = LISTING_LINE.exec(line);
    if (!m) {
      clean = false;
      continue;
    }
    const [, typeChar, perms, uid, gid, sizeText, y, mo, d, h, mi, s, rest] = m as unknown as string[];
    // Volume and continuation headers are listed by what they are, not by a name.
    if (typeChar === 'V' || typeChar === 'M') clean = false;
    let path = rest!.replace(/ unknown file type ‘.*’$/, '');
    let link: string | undefined;
    if (typeChar === 'l') [path, link] = path.split(' -> ') as [string, string];
    if (typeChar === 'h') [path, link] = path.split(' link to ') as [string, string];
    const entry: GnuListedEntry = {
      path: normalizeListedPath(path),
      typeChar: typeChar!,
      mode: permissionBits(perms!),
      uid: Number(uid),
      gid: Number(gid),
      mtime: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi)) / 1000 + Number(s),
    };
    if (sizeText!.includes(',')) entry.dev = sizeText!.split(',').map((v) => Number(v.trim())) as [number, number];
    else entry.size = Number(sizeText);
    if (link !== undefined) entry.link = typeChar === 'h' ? normalizeListedPath(link) : link;
    entries.push(entry);
  }
  return { clean, stderr, entries };
}
