/**
 * A push-based streaming tar reader for image layers: bytes go in as they are decompressed,
 * entries come out as soon as their header is complete, file contents (when asked for) come out
 * as zero-copy views of the pushed chunks.
 *
 * Formats, per POSIX.1-2017 `pax` ("ustar Interchange Format", "pax Interchange Format") and the
 * GNU tar manual ("Basic Tar Format", "GNU Extensions"):
 * - v7, ustar (with the 155-byte `prefix`), old GNU and GNU headers; checksums validated with
 *   both the unsigned and the historical signed byte sum.
 * - pax extended ('x') and global ('g') headers: path, linkpath, size, mtime (fractional), uid,
 *   gid, uname, gname override the header; an empty value cancels a global one.
 * - GNU long names ('L') and long link names ('K'); GNU base-256 numbers (sizes over 8 GiB,
 *   ids over 2^21).
 * - GNU sparse files (old 'S' headers and the pax `GNU.sparse.*` forms) are reported as files
 *   with their real size and `sparse: true`, but their stored bytes are a packed map plus
 *   chunks rather than the file's content, so no `data` is delivered for them.
 * Whiteouts follow the OCI image-spec layer.md "Whiteouts" section.
 *
 * Speed matters: this sits on the hot path of a single pass over layers of hundreds of MB, so
 * data blocks are never copied, nothing is allocated per data block, and file data is skipped
 * by arithmetic when no data handler is set.
 */

import { type TarEntry, type TarFormatErrorReason, TarFormatError, entryType, normalizePath, whiteoutOf } from './tar-entry';
import { BLOCK, decodeCString, headerChecksum, isZero, numericField, padding, paxRecords } from './tar-fields';

/** Where a TarParser reports what it reads. */
export interface TarHandlers {
  entry: (entry: TarEntry) => void;
  /** File contents, in order, as views of the pushed chunks: copy them to keep them. */
  data?: (entry: TarEntry, chunk: Uint8Array) => void;
}

/** Metadata records (pax, GNU long names) are buffered whole; real ones are a few KiB at most. */
const METADATA_LIMIT = 1 << 20;

const READ_HEADER = 0;
const READ_METADATA = 1;
const EMIT_DATA = 2;
const SKIP = 3;
const FINISHED = 4;
type State = typeof READ_HEADER | typeof READ_METADATA | typeof EMIT_DATA | typeof SKIP | typeof FINISHED;

/** Reads a tar pushed in chunks of any size, calling its handlers as entries and data appear. */
export class TarParser {
  private readonly onEntry: (entry: TarEntry) => void;
  private readonly onData: ((entry: TarEntry, chunk: Uint8Array) => void) | undefined;

  private state: State = READ_HEADER;
  /** Stream offset of the first byte of the chunk being pushed. */
  private chunkStart = 0;
  /** A header split across chunks is gathered here. */
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private headerStart = 0;
  /** Bytes of file data still to hand to `data`, then padding bytes to skip. */
  private dataLeft = 0;
  private skipLeft = 0;
  private current: TarEntry | undefined;
  /** Metadata split across chunks is gathered here; it grows to the largest record seen. */
  private scratch = new Uint8Array(0);
  private metadataSize = 0;
  private metadataFill = 0;
  private metadataType = 0;
  private metadataStart = 0;
  /** Set by 'x', 'L', 'K' headers; consumed by the next real entry. */
  private pax: Map<string, string> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  private readonly globals = new Map<string, string>();
  /** Old GNU sparse headers may be followed by extension blocks before the data. */
  private sparsePending: { entry: TarEntry; stored: number } | undefined;
  private zeroBlocks = 0;
  private failure: TarFormatError | undefined;

  constructor(handlers: TarHandlers) {
    this.onEntry = handlers.entry;
    this.onData = handlers.data;
  }

  /**
   * Accepts chunks of any size; throws TarFormatError on a bad header, and keeps throwing it.
   * A handler that throws leaves the parser unusable.
   */
  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case SKIP: {
          const k = Math.min(this.skipLeft, n - i);
          this.skipLeft -= k;
          i += k;
          if (this.skipLeft === 0) this.state = READ_HEADER;
          break;
        }
        case EMIT_DATA: {
          const k = Math.min(this.dataLeft, n - i);
          this.dataLeft -= k;
          (this.onData as NonNullable<TarHandlers['data']>)(this.current as TarEntry, k === n ? chunk : chunk.subarray(i, i + k));
          i += k;
          if (this.dataLeft === 0) this.skip(this.skipLeft);
          break;
        }
        case READ_HEADER: {
          if (this.headerFill === 0 && n - i >= BLOCK) {
            // The common case: the whole header is in this chunk, read it in place.
            this.headerStart = this.chunkStart + i;
            i += BLOCK;
            this.block(chunk, i - BLOCK);
          } else {
            if (this.headerFill === 0) this.headerStart = this.chunkStart + i;
            const k = Math.min(BLOCK - this.headerFill, n - i);
            this.header.set(chunk.subarray(i, i + k), this.headerFill);
            this.headerFill += k;
            i += k;
            if (this.headerFill === BLOCK) {
              this.headerFill = 0;
              this.block(this.header, 0);
            }
          }
          break;
        }
        case READ_METADATA: {
          if (this.metadataFill === 0 && n - i >= this.metadataSize) {
            i += this.metadataSize;
            this.finishMetadata(chunk, i - this.metadataSize);
          } else {
            const k = Math.min(this.metadataSize - this.metadataFill, n - i);
            this.scratch.set(chunk.subarray(i, i + k), this.metadataFill);
            this.metadataFill += k;
            i += k;
            if (this.metadataFill === this.metadataSize) {
              this.metadataFill = 0;
              this.finishMetadata(this.scratch, 0);
            }
          }
          break;
        }
        case FINISHED:
          // Anything after the end-of-archive marker (record padding, junk) is not archive.
          i = n;
          break;
      }
    }
    this.chunkStart += n;
  }

  /**
   * Declares the end of the stream. `endMarker` says whether the archive closed with zero
   * blocks (a single one is tolerated, as GNU tar does); throws TarFormatError('truncated')
   * when the stream stopped inside a header, metadata or an entry's data blocks.
   */
  end(): { endMarker: boolean } {
    if (this.failure) throw this.failure;
    const at = this.chunkStart;
    switch (this.state) {
      case FINISHED:
        return { endMarker: true };
      case READ_HEADER:
        if (this.sparsePending || this.pax || this.longName !== undefined || this.longLink !== undefined) {
          throw this.fail('truncated', at, 'tar stream ends between an extended header and the entry it describes');
        }
        if (this.headerFill === 0) return { endMarker: this.zeroBlocks > 0 };
        if (this.zeroBlocks > 0 && isZero(this.header, 0, this.headerFill)) return { endMarker: true };
        throw this.fail(
          'truncated',
          at,
          `tar stream ends inside a header (${this.headerFill} of ${BLOCK} bytes, header at ${this.headerStart})`,
        );
      case READ_METADATA:
        throw this.fail('truncated', at, `tar stream ends inside an extended header at ${this.metadataStart}`);
      default: {
        const path = this.current ? ` of ${this.current.path}` : ' of an extended header';
        throw this.fail('truncated', at, `tar stream ends inside the data${path}`);
      }
    }
  }

  private fail(reason: TarFormatErrorReason, offset: number, message: string): TarFormatError {
    this.failure = new TarFormatError(reason, offset, message);
    return this.failure;
  }

  private skip(bytes: number): void {
    this.skipLeft = bytes;
    this.state = bytes > 0 ? SKIP : READ_HEADER;
  }

  /** One 512-byte block read while a header was expected. */
  private block(buf: Uint8Array, at: number): void {
    if (this.sparsePending) {
      this.sparseExtension(buf, at);
      return;
    }
    if (buf[at] === 0 && buf[at + 148] === 0 && isZero(buf, at, BLOCK)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = FINISHED;
      return;
    }
    // A lone zero block followed by more headers is skipped, like GNU tar does.
    this.zeroBlocks = 0;
    this.verifyChecksum(buf, at);

    const typeflag = buf[at + 156] as number;
    const size = this.numeric(buf, at + 124, 12, 'size');
    switch (typeflag) {
      case 0x78: // 'x' pax extended header
      case 0x58: // 'X' its Solaris predecessor
      case 0x67: // 'g' pax global header
      case 0x4c: // 'L' GNU long name
      case 0x4b: // 'K' GNU long link name
        this.startMetadata(typeflag, size);
        return;
    }
    this.entryHeader(buf, at, typeflag, size);
  }

  private verifyChecksum(buf: Uint8Array, at: number): void {
    const sum = headerChecksum(buf, at);
    if (!sum.ok) {
      throw this.fail(
        'checksum',
        this.headerStart,
        `tar header at ${this.headerStart} has a bad checksum (stored ${sum.stored ?? 'none'}, computed ${sum.computed})`,
      );
    }
  }

  /** An octal or GNU base-256 number field. */
  private numeric(buf: Uint8Array, at: number, len: number, field: string): number {
    const value = numericField(buf, at, len);
    if (value === undefined) {
      throw this.fail('malformed', this.headerStart, `tar header at ${this.headerStart} has a non-numeric ${field} field`);
    }
    return value;
  }

  private startMetadata(typeflag: number, size: number): void {
    if (size > METADATA_LIMIT) {
      throw this.fail('malformed', this.headerStart, `tar extended header at ${this.headerStart} claims ${size} bytes`);
    }
    this.metadataType = typeflag;
    this.metadataStart = this.headerStart;
    this.metadataSize = size;
    this.metadataFill = 0;
    if (this.scratch.length < size) this.scratch = new Uint8Array(Math.max(size, 2 * this.scratch.length, 4096));
    if (size === 0) this.finishMetadata(this.scratch, 0);
    else this.state = READ_METADATA;
  }

  private finishMetadata(buf: Uint8Array, at: number): void {
    const size = this.metadataSize;
    this.current = undefined;
    switch (this.metadataType) {
      case 0x4c:
        this.longName = decodeCString(buf, at, size);
        break;
      case 0x4b:
        this.longLink = decodeCString(buf, at, size);
        break;
      case 0x67:
        for (const [key, value] of this.parsePax(buf, at, size)) {
          if (value === '') this.globals.delete(key);
          else this.globals.set(key, value);
        }
        break;
      default: {
        const records = this.parsePax(buf, at, size);
        if (this.pax) for (const [key, value] of records) this.pax.set(key, value);
        else this.pax = records;
      }
    }
    this.skip(padding(size));
  }

  private parsePax(bytes: Uint8Array, at: number, size: number): Map<string, string> {
    const records = paxRecords(bytes, at, size);
    if (typeof records === 'string') throw this.fail('malformed', this.metadataStart, `pax header at ${this.metadataStart} ${records}`);
    return records;
  }

  /** A pax value for this entry: the entry's own record, else a global one; '' cancels. */
  private paxValue(key: string): string | undefined {
    const own = this.pax?.get(key);
    if (own !== undefined) return own === '' ? undefined : own;
    return this.globals.size > 0 ? this.globals.get(key) : undefined;
  }

  private paxNumber(key: string, fallback: number): number {
    const text = this.paxValue(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw this.fail(
        'malformed',
        this.headerStart,
        `pax ${key} of the entry at ${this.headerStart} is not a number: ${JSON.stringify(text)}`,
      );
    }
    return value;
  }

  /**
   * One entry's header, its fields read in one place because their precedence is one rule: a pax
   * record beats a GNU long name, which beats the ustar prefix and name (hence its length).
   */
  private entryHeader(buf: Uint8Array, at: number, typeflag: number, headerSize: number): void {
    const ustar =
      buf[at + 257] === 0x75 && buf[at + 258] === 0x73 && buf[at + 259] === 0x74 && buf[at + 260] === 0x61 && buf[at + 261] === 0x72;
    // POSIX ustar ("ustar\0") has a name prefix; GNU ("ustar ") uses that area for other fields.
    const posix = ustar && buf[at + 262] === 0;
    const extended = this.pax !== undefined || this.globals.size > 0;

    let rawPath = extended ? this.paxValue('path') : undefined;
    if (rawPath === undefined) rawPath = this.longName;
    if (rawPath === undefined) {
      rawPath = decodeCString(buf, at, 100);
      if (posix && buf[at + 345] !== 0) rawPath = `${decodeCString(buf, at + 345, 155)}/${rawPath}`;
    }

    let type = entryType(typeflag);
    if (type === 'file' && typeflag !== 0x37 && rawPath.endsWith('/')) type = 'directory'; // pre-POSIX directories

    let stored = extended ? this.paxNumber('size', headerSize) : headerSize;
    // POSIX: links, devices, fifos and directories carry no data whatever their size field says.
    if (typeflag >= 0x31 && typeflag <= 0x36) stored = 0;
    // GNU dumpdirs ('D') carry a listing we do not show; other unknown types keep their data.
    let size = type === 'file' || type === 'other' ? stored : 0;
    let sparse = false;
    if (typeflag === 0x53) {
      sparse = true;
      size = this.numeric(buf, at + 483, 12, 'realsize');
    }
    if (
      extended &&
      (this.paxValue('GNU.sparse.major') !== undefined ||
        this.paxValue('GNU.sparse.size') !== undefined ||
        this.paxValue('GNU.sparse.realsize') !== undefined)
    ) {
      sparse = true;
      rawPath = this.paxValue('GNU.sparse.name') ?? rawPath;
      size = this.paxNumber('GNU.sparse.realsize', this.paxNumber('GNU.sparse.size', size));
    }

    const entry: TarEntry = {
      path: normalizePath(rawPath),
      type,
      mode: this.numeric(buf, at + 100, 8, 'mode') & 0o7777,
      uid: this.numeric(buf, at + 108, 8, 'uid'),
      gid: this.numeric(buf, at + 116, 8, 'gid'),
      uname: ustar ? decodeCString(buf, at + 265, 32) : '',
      gname: ustar ? decodeCString(buf, at + 297, 32) : '',
      size,
      mtime: this.numeric(buf, at + 136, 12, 'mtime'),
      dataOffset: this.headerStart + BLOCK,
    };
    if (extended) {
      entry.uid = this.paxNumber('uid', entry.uid);
      entry.gid = this.paxNumber('gid', entry.gid);
      entry.mtime = this.paxNumber('mtime', entry.mtime);
      entry.uname = this.paxValue('uname') ?? entry.uname;
      entry.gname = this.paxValue('gname') ?? entry.gname;
    }
    if (type === 'symlink' || type === 'hardlink') {
      let target = extended ? this.paxValue('linkpath') : undefined;
      if (target === undefined) target = this.longLink ?? decodeCString(buf, at + 157, 100);
      entry.linkTarget = type === 'hardlink' ? normalizePath(target) : target;
    }
    if ((type === 'char-device' || type === 'block-device') && ustar) {
      entry.devMajor = this.numeric(buf, at + 329, 8, 'devmajor');
      entry.devMinor = this.numeric(buf, at + 337, 8, 'devminor');
    }
    const whiteout = whiteoutOf(entry.path);
    if (whiteout) entry.whiteout = whiteout;
    if (sparse) entry.sparse = true;
    if (!(Number.isInteger(size) && size >= 0 && Number.isInteger(stored) && stored >= 0)) {
      throw this.fail('malformed', this.headerStart, `tar header at ${this.headerStart} has an impossible size (${stored})`);
    }

    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;

    if (typeflag === 0x53 && buf[at + 482] !== 0) {
      this.sparsePending = { entry, stored };
      return;
    }
    this.emit(entry, stored);
  }

  /** Old GNU sparse extension blocks: 21 map entries, then an "another block follows" flag. */
  private sparseExtension(buf: Uint8Array, at: number): void {
    const pending = this.sparsePending as { entry: TarEntry; stored: number };
    pending.entry.dataOffset += BLOCK;
    if (buf[at + 504] !== 0) return;
    this.sparsePending = undefined;
    this.emit(pending.entry, pending.stored);
  }

  private emit(entry: TarEntry, stored: number): void {
    this.current = entry;
    this.onEntry(entry);
    if (this.onData && entry.type === 'file' && !entry.sparse && stored > 0) {
      this.dataLeft = stored;
      this.skipLeft = padding(stored);
      this.state = EMIT_DATA;
    } else {
      this.skip(stored + padding(stored));
    }
  }
}
