/**
 * Content for the layer explorer's e2e images (issue 3): the three layers of `ociscope/layers:v1`
 * and the 100,000-entry layer of `ociscope/many:v1`, with the facts specs assert against.
 *
 * `ociscope/layers:v1`, bottom to top:
 * 0. pax (`--format=posix`) + gzip: a small rootfs with text, binary and PNG files, a setuid file,
 *    a symlink, a hardlink, a name only a pax `path` record can hold, a sub-second mtime only a
 *    pax `mtime` record can hold, a 2 MiB text file (twice the preview cap), a fifo and, where
 *    the process may create one, a character device.
 * 1. GNU format + zstd: deletes `etc/hostname` (whiteout), empties `var/cache/app/` (opaque marker)
 *    and adds a file there, rewrites `etc/os-release`, adds `opt/app/`.
 * 2. ustar, uncompressed: adds `opt/app/config.json`, deletes `usr/share/doc/ociscope/manual/`
 *    (a whiteout of a whole directory from layer 0, the one holding the long name).
 *
 * Facts are derived from the same constants the trees are built from, and entry lists from
 * `tar --list`, so a spec never restates a path or a byte count.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { SEED_EPOCH, SEED_TIME, buildLayer, canCreateDevices, layerFromTar, type BuiltLayer, type TreeEntry } from './tar-layer.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

/** A regular file as the explorer shows and downloads it. */
export interface FileFacts {
  /** Path in the layer as `tar --list` prints it: no leading `/`. */
  path: string;
  size: number;
  /** `sha256:<hex>` of the file's bytes, for checking downloads. */
  sha256: string;
}

export interface TextFileFacts extends FileFacts {
  text: string;
}

export interface LayeredFiles {
  /** mtime of every entry except `paxMtime`'s, ISO 8601 (what `ls -l` shows, in UTC). */
  mtime: string;
  /** Written in layer 0, overwritten in layer 1 (the merged view shows layer 1's). */
  osRelease: { path: string; layer0: TextFileFacts; layer1: TextFileFacts };
  /** Layer 0's `etc/os-release` carries a sub-second mtime, which only a pax `mtime` record holds. */
  paxMtime: { layer: 0; path: string; seconds: number; iso: string };
  /** In layer 0; layer 1's `whiteout` deletes it. */
  hostname: TextFileFacts & { whiteout: string };
  /** Layer 0: a valid PNG, for the inline image preview. */
  png: FileFacts & { width: number; height: number };
  /** Layer 0: 4 KiB of pseudo-random bytes (not UTF-8, so a hex dump), setuid. */
  binary: FileFacts & { mode: number; modeString: string };
  /** Layer 0: `path -> target`, relative. */
  symlink: { path: string; target: string };
  /** Layer 0: a hardlink entry; `target` is the archive path of the file it shares bytes with. */
  hardlink: { path: string; target: string };
  /** Layer 0: over 100 bytes of path, the file name alone over 100, so pax `path` is the only way. */
  longName: TextFileFacts;
  /**
   * Layer 0: `lines` lines of `lineLength` bytes (newline included), 2 MiB; a 1 MiB preview cap
   * ends exactly after line 16,384. `firstLine`/`lastLine` are without their newline.
   */
  bigText: FileFacts & { lineLength: number; lines: number; firstLine: string; lastLine: string };
  /** Layer 0: a named pipe (`p` in `ls -l`). */
  fifo: { path: string };
  /** Layer 0: `c 1,3` like /dev/null; null when this process may not mknod (then it is not in the layer). */
  charDevice: { path: string; major: number; minor: number } | null;
  /** Layer 1 makes `dir` opaque: layer 0's entries under it (`hidden`) vanish, `added` is the new content. */
  opaque: { layer: 1; marker: string; dir: string; hidden: string[]; added: TextFileFacts };
  /** Layer 1 deletes `hostname` through this whiteout. */
  fileWhiteout: { layer: 1; marker: string; deletes: string };
  /** Layer 2 deletes the directory `dir` and everything under it (`hidden`, as layer 0 lists them). */
  dirWhiteout: { layer: 2; marker: string; dir: string; hidden: string[] };
  /** Layer 2: a new file in a directory layer 1 created. */
  appConfig: TextFileFacts;
  /**
   * What the sizes view must find, summed from the trees themselves: `stored` is every regular
   * file's bytes in the three layers, `wasted` the bytes of layer 0's files that layers 1 and 2
   * overwrite or delete (os-release, hostname, the opaque cache's three files, the manual's two).
   */
  sizes: { stored: number; wasted: number; largestWasted: { path: string; size: number; addedBy: number; removedBy: number } };
}

export interface ManyEntriesShape {
  /** Lines of `tar --list`: `directories + files`. */
  entries: number;
  directories: number;
  files: number;
  /** Archive order: `data/` first, then `data/d000/`, … */
  first: string;
  last: string;
  /** A file name that occurs once, for the search box. */
  needle: string;
}

const OS_RELEASE_PATH = 'etc/os-release';
const OS_RELEASE_0 = 'PRETTY_NAME="ociscope layers 1"\nNAME="ociscope layers"\nID=ociscope\nVERSION_ID=1\n';
const OS_RELEASE_1 = 'PRETTY_NAME="ociscope layers 2 (upgraded)"\nNAME="ociscope layers"\nID=ociscope\nVERSION_ID=2\n';
/** 2001-09-09T01:46:40.5Z: a half second is exact in binary, so it survives utimes and tar unrounded. */
const PAX_MTIME = 1_000_000_000.5;

const HOSTNAME_PATH = 'etc/hostname';
const HOSTNAME_WHITEOUT = 'etc/.wh.hostname';
const HOSTNAME = 'layers\n';
const BINARY_PATH = 'usr/bin/tool';
const BINARY_MODE = 0o4755;
const SYMLINK = { path: 'usr/bin/tool-link', target: 'tool' };
const HARDLINK = { path: 'usr/bin/tool-hard', target: BINARY_PATH };
const FIFO_PATH = 'run/app.fifo';
const DOC_DIR = 'usr/share/doc/ociscope';
const PNG_PATH = `${DOC_DIR}/logo.png`;
const BIG_TEXT_PATH = `${DOC_DIR}/changelog.txt`;
const MANUAL_DIR = `${DOC_DIR}/manual`;
const LONG_NAME_PATH = `${MANUAL_DIR}/chapter-01-getting-started/a-file-name-longer-than-the-one-hundred-bytes-a-ustar-header-has-room-for-so-gnu-tar-writes-a-pax-path-record.txt`;
const LONG_NAME_TEXT = 'Found by its pax path record.\n';
const CACHE_DIR = 'var/cache/app';
const CACHE_NEW = { path: `${CACHE_DIR}/new.txt`, text: 'written after the cache was emptied\n' };
const APP_CONFIG = { path: 'opt/app/config.json', text: '{\n  "name": "ociscope-layers",\n  "workers": 2\n}\n' };

const BIG_TEXT_LINE_LENGTH = 64;
const BIG_TEXT_LINES = 32_768;
const PNG_SIZE = 32;

/** Builds the three layers of `ociscope/layers:v1` in parallel under `workDir`. */
export async function buildLayeredImageLayers(
  workDir: string,
): Promise<{ layers: [BuiltLayer, BuiltLayer, BuiltLayer]; files: LayeredFiles }> {
  const binary = pseudoRandomBytes(BINARY_PATH, 4096);
  const png = gradientPng(PNG_SIZE, PNG_SIZE);
  const bigText = Buffer.from(numberedLines(BIG_TEXT_LINES, BIG_TEXT_LINE_LENGTH));
  const charDevice = (await canCreateDevices(workDir)) ? { path: 'dev/null', major: 1, minor: 3 } : null;

  const layer0: TreeEntry[] = [
    { path: OS_RELEASE_PATH, content: OS_RELEASE_0, mtime: PAX_MTIME },
    { path: HOSTNAME_PATH, content: HOSTNAME },
    { path: BINARY_PATH, content: binary, mode: BINARY_MODE },
    { path: SYMLINK.path, symlink: SYMLINK.target },
    { path: HARDLINK.path, hardlink: HARDLINK.target },
    { path: PNG_PATH, content: png },
    { path: BIG_TEXT_PATH, content: bigText },
    { path: `${MANUAL_DIR}/index.txt`, content: 'The manual, removed again by layer 2.\n' },
    { path: LONG_NAME_PATH, content: LONG_NAME_TEXT },
    { path: `${CACHE_DIR}/stale-1.txt`, content: 'stale 1\n' },
    { path: `${CACHE_DIR}/stale-2.txt`, content: 'stale 2\n' },
    { path: `${CACHE_DIR}/thumbnails/stale-3.txt`, content: 'stale 3, one level down\n' },
    { path: FIFO_PATH, fifo: true },
    ...(charDevice ? [{ path: charDevice.path, charDevice }] : []),
  ];
  const layer1: TreeEntry[] = [
    { path: HOSTNAME_WHITEOUT, content: '' },
    { path: OS_RELEASE_PATH, content: OS_RELEASE_1 },
    { path: `${CACHE_DIR}/.wh..wh..opq`, content: '' },
    { path: CACHE_NEW.path, content: CACHE_NEW.text },
    { path: 'opt/app/README.md', content: '# app\n\nAdded by layer 1.\n' },
    { path: 'opt/app/bin/run.sh', content: '#!/bin/sh\nexec cat /opt/app/config.json\n', mode: 0o755 },
  ];
  const layer2: TreeEntry[] = [
    { path: APP_CONFIG.path, content: APP_CONFIG.text },
    { path: 'opt/app/data/greeting.txt', content: 'hello from layer 2\n' },
    { path: `${DOC_DIR}/.wh.manual`, content: '' },
  ];
  const layers = await Promise.all([
    buildLayer(workDir, 'layers-0', layer0, { format: 'posix', compression: 'gzip' }),
    buildLayer(workDir, 'layers-1', layer1, { format: 'gnu', compression: 'zstd' }),
    buildLayer(workDir, 'layers-2', layer2, { format: 'ustar', compression: 'none' }),
  ]);
  const bytesOf = (entries: TreeEntry[]) =>
    entries.reduce((n, e) => n + ('content' in e && e.content !== undefined ? Buffer.byteLength(e.content) : 0), 0);
  const removedPaths = new Set([OS_RELEASE_PATH, HOSTNAME_PATH, `${MANUAL_DIR}/index.txt`, LONG_NAME_PATH]);
  const removed = layer0.filter((e) => removedPaths.has(e.path) || e.path.startsWith(`${CACHE_DIR}/`));
  /** Layer 0's entries below `dir`, not `dir/` itself. */
  const under = (dir: string) => layers[0].entries.filter((entry) => entry.startsWith(`${dir}/`) && entry !== `${dir}/`);

  const files: LayeredFiles = {
    mtime: SEED_TIME,
    osRelease: {
      path: OS_RELEASE_PATH,
      layer0: textFacts(OS_RELEASE_PATH, OS_RELEASE_0),
      layer1: textFacts(OS_RELEASE_PATH, OS_RELEASE_1),
    },
    paxMtime: { layer: 0, path: OS_RELEASE_PATH, seconds: PAX_MTIME, iso: new Date(PAX_MTIME * 1000).toISOString() },
    hostname: { ...textFacts(HOSTNAME_PATH, HOSTNAME), whiteout: HOSTNAME_WHITEOUT },
    png: { ...fileFacts(PNG_PATH, png), width: PNG_SIZE, height: PNG_SIZE },
    binary: { ...fileFacts(BINARY_PATH, binary), mode: BINARY_MODE, modeString: '-rwsr-xr-x' },
    symlink: SYMLINK,
    hardlink: HARDLINK,
    longName: textFacts(LONG_NAME_PATH, LONG_NAME_TEXT),
    bigText: {
      ...fileFacts(BIG_TEXT_PATH, bigText),
      lineLength: BIG_TEXT_LINE_LENGTH,
      lines: BIG_TEXT_LINES,
      firstLine: numberedLine(1, BIG_TEXT_LINES, BIG_TEXT_LINE_LENGTH).trimEnd(),
      lastLine: numberedLine(BIG_TEXT_LINES, BIG_TEXT_LINES, BIG_TEXT_LINE_LENGTH).trimEnd(),
    },
    fifo: { path: FIFO_PATH },
    charDevice,
    opaque: {
      layer: 1,
      marker: `${CACHE_DIR}/.wh..wh..opq`,
      dir: `${CACHE_DIR}/`,
      hidden: under(CACHE_DIR),
      added: textFacts(CACHE_NEW.path, CACHE_NEW.text),
    },
    fileWhiteout: { layer: 1, marker: HOSTNAME_WHITEOUT, deletes: HOSTNAME_PATH },
    dirWhiteout: {
      layer: 2,
      marker: `${DOC_DIR}/.wh.manual`,
      dir: `${MANUAL_DIR}/`,
      hidden: [`${MANUAL_DIR}/`, ...under(MANUAL_DIR)],
    },
    appConfig: textFacts(APP_CONFIG.path, APP_CONFIG.text),
    sizes: {
      stored: bytesOf([...layer0, ...layer1, ...layer2]),
      wasted: bytesOf(removed),
      largestWasted: { path: OS_RELEASE_PATH, size: Buffer.byteLength(OS_RELEASE_0), addedBy: 0, removedBy: 1 },
    },
  };
  return { layers, files };
}

/** Ten subdirectories in each of 100 directories, 100 empty files in each: 100,000 files. */
const MANY = { directories: 100, subdirectories: 10, files: 100 } as const;
const TAR_BLOCK = 512;
/** GNU tar pads archives to whole 20-block records; done here too so the tar looks like its output. */
const TAR_RECORD = 20 * TAR_BLOCK;

/**
 * The 100,000-entry layer. Written in-process because creating 100,000 files on disk for GNU tar
 * to read costs over 3 s here; the headers are the ones `tar --format=ustar --sort=name` writes
 * for such a tree, byte for byte. GNU tar still lists the archive (layerFromTar), which proves it
 * well-formed and yields the entry count checked below, and the real gzip compresses it.
 */
export async function buildManyEntriesLayer(): Promise<{ layer: BuiltLayer; shape: ManyEntriesShape }> {
  const names: string[] = ['data/'];
  for (let d = 0; d < MANY.directories; d++) {
    const dir = `data/d${String(d).padStart(3, '0')}/`;
    names.push(dir);
    for (let s = 0; s < MANY.subdirectories; s++) {
      const subdir = `${dir}s${s}/`;
      names.push(subdir);
      for (let f = 0; f < MANY.files; f++) {
        names.push(`${subdir}f-${String((d * MANY.subdirectories + s) * MANY.files + f).padStart(5, '0')}`);
      }
    }
  }
  const files = MANY.directories * MANY.subdirectories * MANY.files;
  const shape: ManyEntriesShape = {
    entries: names.length,
    directories: names.length - files,
    files,
    first: names[0]!,
    last: names.at(-1)!,
    needle: 'data/d057/s3/f-57342',
  };

  const tar = Buffer.alloc(Math.ceil(((names.length + 2) * TAR_BLOCK) / TAR_RECORD) * TAR_RECORD);
  const directoryHeader = ustarTemplate('directory');
  const fileHeader = ustarTemplate('file');
  names.forEach((name, i) => {
    const header = name.endsWith('/') ? directoryHeader : fileHeader;
    const offset = i * TAR_BLOCK;
    header.block.copy(tar, offset);
    tar.write(name, offset, 'ascii');
    let checksum = header.sum;
    for (let c = 0; c < name.length; c++) checksum += name.charCodeAt(c);
    tar.write(`${checksum.toString(8).padStart(6, '0')}\0 `, offset + 148, 'ascii');
  });

  const layer = await layerFromTar(tar, 'gzip');
  if (layer.entries.length !== shape.entries || layer.entries.at(-1) !== shape.last) {
    throw new Error(`GNU tar lists ${layer.entries.length} entries of the many-entries archive, expected ${shape.entries}`);
  }
  return { layer, shape };
}

/**
 * A ustar header with every field but the name filled in (mode, 0:0, size 0, SEED_EPOCH, type,
 * magic), plus its byte sum with the checksum field counted as spaces, as the format defines.
 */
function ustarTemplate(kind: 'file' | 'directory'): { block: Buffer; sum: number } {
  const block = Buffer.alloc(TAR_BLOCK);
  const field = (offset: number, value: string) => block.write(value, offset, 'ascii');
  field(100, kind === 'directory' ? '0000755\0' : '0000644\0');
  field(108, '0000000\0');
  field(116, '0000000\0');
  field(124, '00000000000\0');
  field(136, `${SEED_EPOCH.toString(8).padStart(11, '0')}\0`);
  field(148, ' '.repeat(8));
  field(156, kind === 'directory' ? '5' : '0');
  field(257, 'ustar\0');
  field(263, '00');
  field(329, '0000000\0');
  field(337, '0000000\0');
  return { block, sum: block.reduce((sum, byte) => sum + byte, 0) };
}

function fileFacts(path: string, content: Uint8Array): FileFacts {
  return { path, size: content.byteLength, sha256: sha256Digest(content) };
}

function textFacts(path: string, text: string): TextFileFacts {
  return { ...fileFacts(path, Buffer.from(text)), text };
}

/** Bytes from SHA-256 in counter mode: looks random, never valid UTF-8 in practice, same every run. */
function pseudoRandomBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}#${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** `line 00001 of 32768: …` padded with dots to `lineLength` bytes including the newline. */
function numberedLine(n: number, total: number, lineLength: number): string {
  const width = String(total).length;
  return `line ${String(n).padStart(width, '0')} of ${total}: ociscope preview test `.padEnd(lineLength - 1, '.') + '\n';
}

function numberedLines(total: number, lineLength: number): string {
  return Array.from({ length: total }, (_, i) => numberedLine(i + 1, total, lineLength)).join('');
}

/**
 * An 8-bit RGB PNG, unfiltered scanlines: signature, IHDR, one IDAT, IEND, each chunk with its
 * CRC-32 over type and data (PNG spec §5.3). Red grows left to right, green top to bottom.
 */
function gradientPng(width: number, height: number): Buffer {
  const scanlines = Buffer.alloc((1 + width * 3) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) {
      scanlines[row + 1 + x * 3] = Math.round((x * 255) / (width - 1));
      scanlines[row + 2 + x * 3] = Math.round((y * 255) / (height - 1));
      scanlines[row + 3 + x * 3] = 160;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(scanlines)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
