/**
 * Tar entries made by hand for the filesystem arithmetic tests (merged filesystems, sizes): the
 * fields a tar parser would report, with data offsets that grow so no two entries look alike.
 */
import type { TarEntry } from '../oci/layer/tar-entry';

let offset = 0;

/** An entry of any type; `size` 0 unless given. */
export function tarEntry(path: string, type: TarEntry['type'], size = 0, extra: Partial<TarEntry> = {}): TarEntry {
  offset += 512;
  return { path, type, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', size, mtime: 0, dataOffset: offset, ...extra };
}

/** A regular file; `contentDigest` when the test is about content. */
export const fileEntry = (path: string, size = 1, contentDigest?: string): TarEntry =>
  tarEntry(path, 'file', size, contentDigest === undefined ? {} : { contentDigest });

export const dirEntry = (path: string): TarEntry => tarEntry(path, 'directory', 0, { mode: 0o755 });

export const hardlinkEntry = (path: string, target: string): TarEntry => tarEntry(path, 'hardlink', 0, { linkTarget: target });

/** `.wh.<name>` next to the path it deletes, as the tar parser reports it. */
export function whiteoutEntry(target: string): TarEntry {
  const slash = target.lastIndexOf('/');
  const path = slash < 0 ? `.wh.${target}` : `${target.slice(0, slash)}/.wh.${target.slice(slash + 1)}`;
  return tarEntry(path, 'file', 0, { whiteout: { kind: 'file', target } });
}

/** `.wh..wh..opq` in a directory: hides what lower layers have there. */
export function opaqueEntry(dir: string): TarEntry {
  return tarEntry(dir === '.' ? '.wh..wh..opq' : `${dir}/.wh..wh..opq`, 'file', 0, { whiteout: { kind: 'opaque', dir } });
}
