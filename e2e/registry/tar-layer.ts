/**
 * Builds image layers the way image builders do: a directory tree on disk archived by GNU tar,
 * then compressed by the real gzip or zstd. The layer explorer's tar parser and decompressors are
 * judged against these bytes, so they come from the tools people's images come from rather than
 * from a writer of ours (the one exception, a 100,000-entry archive, is in layer-fixtures.ts).
 *
 * Deterministic: every mode and mtime is set explicitly on disk (umask and clock do not leak in),
 * owners are forced to 0:0, members are sorted, pax header names carry no PID, `gzip -n` stores no
 * name or time. Same inputs, same digests.
 */
import { chmod, link, lutimes, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runToCompletion } from '../support/processes.ts';
import { sha256Digest } from '../../src/test-support/digest.ts';

/** 2024-01-02T03:04:05Z: every timestamp in the seeded content unless an entry says otherwise. */
export const SEED_EPOCH = 1_704_164_645;
/** SEED_EPOCH in ISO 8601, as image configs and `ls -l` in UTC show it. */
export const SEED_TIME = new Date(SEED_EPOCH * 1000).toISOString().replace('.000', '');

/**
 * - `gnu`: GNU long names (`././@LongLink`), what Debian's tar writes by default.
 * - `posix`: pax extended headers for long names and sub-second mtimes.
 * - `ustar`: plain POSIX.1-1988 headers; refuses names it cannot hold.
 */
export type TarFormat = 'gnu' | 'posix' | 'ustar';

export type Compression = 'gzip' | 'zstd' | 'none';

export type TreeEntry =
  | {
      path: string;
      content: string | Uint8Array;
      /** Default 0o644. Set bits beyond 0o777 (setuid) survive into the archive. */
      mode?: number;
      /** Seconds since the epoch; a fraction makes `posix` archives carry a pax `mtime` record. */
      mtime?: number;
    }
  | { path: string; symlink: string }
  /** `hardlink` is another path in the tree; tar stores this entry as a link to it. */
  | { path: string; hardlink: string }
  | { path: string; directory: true }
  | { path: string; fifo: true }
  | { path: string; charDevice: { major: number; minor: number } };

export interface BuiltLayer {
  /** The blob as pushed: the tar, compressed as `compression` says. */
  blob: Buffer<ArrayBuffer>;
  compression: Compression;
  digest: string;
  size: number;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  /** Length of the uncompressed tar. */
  uncompressedSize: number;
  /** Entry names exactly as `tar --list` prints them, in archive order (directories end in `/`). */
  entries: string[];
}

const TAR_ENV = { ...process.env, LC_ALL: 'C' };

/**
 * Writes `tree` under `workDir/name`, archives it with GNU tar in `format` and compresses it.
 * Parent directories need no entries of their own; every directory becomes 0755.
 */
export async function buildLayer(
  workDir: string,
  name: string,
  tree: readonly TreeEntry[],
  { format = 'gnu', compression = 'gzip' }: { format?: TarFormat; compression?: Compression } = {},
): Promise<BuiltLayer> {
  const root = join(workDir, name);
  await mkdir(root, { recursive: true });
  const mtimes = new Map<string, number>();
  // A hardlink's target must exist first; linking after everything else removes the ordering burden.
  const hardlinks: { path: string; hardlink: string }[] = [];
  for (const entry of tree) {
    const target = join(root, entry.path);
    if ('directory' in entry) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    if ('content' in entry) {
      await writeFile(target, entry.content);
      // chmod, not writeFile's mode: that one is filtered through the umask.
      await chmod(target, entry.mode ?? 0o644);
      if (entry.mtime !== undefined) mtimes.set(entry.path, entry.mtime);
    } else if ('symlink' in entry) {
      await symlink(entry.symlink, target);
    } else if ('hardlink' in entry) {
      hardlinks.push(entry);
    } else if ('fifo' in entry) {
      await runToCompletion('mkfifo', ['--mode=644', target]);
    } else {
      const { major, minor } = entry.charDevice;
      await runToCompletion('mknod', ['--mode=644', target, 'c', String(major), String(minor)]);
    }
  }
  for (const entry of hardlinks) await link(join(root, entry.hardlink), join(root, entry.path));

  // Directories created implicitly count too, and their mtimes only settle once all children exist.
  const hardlinkPaths = new Set(hardlinks.map((entry) => entry.path));
  for (const dirent of await readdir(root, { recursive: true, withFileTypes: true })) {
    const absolute = join(dirent.parentPath, dirent.name);
    const path = absolute.slice(root.length + 1);
    // A hardlink shares its target's inode; touching it would overwrite the target's own mtime.
    if (hardlinkPaths.has(path)) continue;
    if (dirent.isDirectory()) await chmod(absolute, 0o755);
    const mtime = mtimes.get(path) ?? SEED_EPOCH;
    await lutimes(absolute, mtime, mtime);
  }

  const topLevel = [...new Set(tree.map((entry) => entry.path.split('/')[0]!))].sort();
  const tar = await runToCompletion(
    'tar',
    [
      '--create',
      `--format=${format}`,
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      // GNU tar's default pax header name holds its PID, and atime/ctime records change per run.
      ...(format === 'posix' ? ['--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime'] : []),
      `--directory=${root}`,
      '--file=-',
      ...topLevel,
    ],
    { env: TAR_ENV },
  );
  return layerFromTar(tar, compression);
}

/** Compresses `tar`, hashes both forms and lists it with GNU tar (which also proves it is readable). */
export async function layerFromTar(tar: Buffer<ArrayBuffer>, compression: Compression): Promise<BuiltLayer> {
  const [blob, listing] = await Promise.all([
    compress(tar, compression),
    runToCompletion('tar', ['--list', '--file=-'], { input: tar, env: TAR_ENV }),
  ]);
  return {
    blob,
    compression,
    digest: sha256Digest(blob),
    size: blob.length,
    diffId: sha256Digest(tar),
    uncompressedSize: tar.length,
    entries: listing.toString('utf8').split('\n').filter(Boolean),
  };
}

function compress(tar: Buffer<ArrayBuffer>, compression: Compression): Promise<Buffer<ArrayBuffer>> {
  switch (compression) {
    case 'gzip':
      return runToCompletion('gzip', ['-n', '-c'], { input: tar });
    case 'zstd':
      // Level pinned so a new zstd default does not change digests.
      return runToCompletion('zstd', ['-3', '-q', '-c', '--no-progress'], { input: tar });
    case 'none':
      return Promise.resolve(tar);
  }
}

/**
 * Whether this process may create device nodes (root with CAP_MKNOD). Asked by trying, since
 * being uid 0 is not enough inside some containers.
 */
export async function canCreateDevices(workDir: string): Promise<boolean> {
  const probe = join(workDir, 'mknod-probe');
  try {
    await runToCompletion('mknod', [probe, 'c', '1', '3']);
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { force: true });
  }
}
