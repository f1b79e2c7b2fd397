/**
 * What a tar entry is, as a layer sees it: its type, attributes and normalised path, and the OCI
 * whiteouts (image-spec layer.md "Whiteouts") its name may stand for. Shared by the parser that
 * makes entries and everything that reads them (file trees, merged filesystems, layouts).
 */

/** The kinds of tar entries, typeflags folded (see `entryType`). */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo' | 'other';

/** What a whiteout name means: delete one path, or hide everything a lower layer has in a directory. */
export type Whiteout = { kind: 'file'; target: string } | { kind: 'opaque'; dir: string };

/** One entry of a tar, its header fields decoded. */
export interface TarEntry {
  /** Normalised (see `normalizePath`); '.' for the archive's root directory entry. */
  path: string;
  type: TarEntryType;
  /** The 12 permission bits, including setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** File size in bytes; 0 for everything but files. For sparse files, the real size. */
  size: number;
  /** Seconds since the epoch; fractional when a pax header said so. */
  mtime: number;
  /** Symlink target as written, or hardlink target path normalised like `path`. */
  linkTarget?: string;
  devMajor?: number;
  devMinor?: number;
  /** Offset of the first data byte within the uncompressed tar stream. */
  dataOffset: number;
  whiteout?: Whiteout;
  /** A GNU sparse file: `size` is its real size, its content is not delivered to `data`. */
  sparse?: true;
  /**
   * `sha256:<hex>` of a regular file's content, set by a full layer pass that read it
   * (content-digest.ts); absent for other entries, sparse files, and when not computed.
   */
  contentDigest?: string;
}

/** Why a tar could not be read. */
export type TarFormatErrorReason = 'checksum' | 'truncated' | 'malformed';

/** A tar that cannot be read, with where it went wrong. */
export class TarFormatError extends Error {
  readonly kind = 'tar-format';
  readonly reason: TarFormatErrorReason;
  /** Offset in the uncompressed stream: the bad header, or where the stream stopped. */
  readonly offset: number;

  constructor(reason: TarFormatErrorReason, offset: number, message: string) {
    super(message);
    this.name = 'TarFormatError';
    this.reason = reason;
    this.offset = offset;
  }
}

/** Whiteout basenames (OCI layer.md): `.wh.<name>` deletes <name>, this one hides a directory's lower contents. */
export const WHITEOUT_PREFIX = '.wh.';
/** The opaque whiteout: hides everything lower layers have in its directory. */
export const OPAQUE_WHITEOUT = '.wh..wh..opq';
/** `.wh..wh.*` names other than the opaque marker are AUFS bookkeeping, not content. */
export const WHITEOUT_META_PREFIX = '.wh..wh.';

/** The entry type a typeflag stands for (POSIX ustar, GNU extensions). */
export function entryType(typeflag: number): TarEntryType {
  switch (typeflag) {
    case 0x00:
    case 0x30: // '0'
    case 0x37: // '7' contiguous file: a regular file everywhere that matters
    case 0x53: // 'S' GNU sparse
      return 'file';
    case 0x31:
      return 'hardlink';
    case 0x32:
      return 'symlink';
    case 0x33:
      return 'char-device';
    case 0x34:
      return 'block-device';
    case 0x35:
    case 0x44: // 'D' GNU dumpdir
      return 'directory';
    case 0x36:
      return 'fifo';
    default:
      return 'other';
  }
}

/**
 * Archive paths as one key per file: leading '/' and './' and empty or '.' components dropped,
 * no trailing '/', '.' for the root. '..' components are kept as written, never resolved: a
 * layer that climbs out of its root is something to show, not to silently repair.
 */
export function normalizePath(raw: string): string {
  let start = 0;
  let end = raw.length;
  for (;;) {
    if (raw.charCodeAt(start) === 0x2f) start += 1;
    else if (raw.charCodeAt(start) === 0x2e && raw.charCodeAt(start + 1) === 0x2f) start += 2;
    else break;
  }
  for (;;) {
    if (end > start && raw.charCodeAt(end - 1) === 0x2f) end -= 1;
    else if (end - start >= 2 && raw.charCodeAt(end - 1) === 0x2e && raw.charCodeAt(end - 2) === 0x2f) end -= 2;
    else break;
  }
  if (end === start || (end - start === 1 && raw.charCodeAt(start) === 0x2e)) return '.';
  const trimmed = start === 0 && end === raw.length ? raw : raw.slice(start, end);
  if (!trimmed.includes('//') && !trimmed.includes('/./')) return trimmed;
  return trimmed
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** The directory holding a normalised path, '.' at the top. */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

/** The whiteout a normalised path stands for, if its name is one. */
export function whiteoutOf(path: string): Whiteout | undefined {
  const slash = path.lastIndexOf('/');
  const base = slash < 0 ? path : path.slice(slash + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = slash < 0 ? '.' : path.slice(0, slash);
  if (base === OPAQUE_WHITEOUT) return { kind: 'opaque', dir };
  if (base.startsWith(WHITEOUT_META_PREFIX) || base.length === WHITEOUT_PREFIX.length) return undefined;
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'file', target: slash < 0 ? name : `${dir}/${name}` };
}
