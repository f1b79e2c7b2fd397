import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeLayers, type MergedFs } from './merged-fs';
import type { TarEntry } from '../layer/tar-entry';
import { TarParser } from '../layer/tar';
import { dirEntry, fileEntry, hardlinkEntry, opaqueEntry, tarEntry, whiteoutEntry } from '../../test-support/tar-entries';

const base = tarEntry;
const file = fileEntry;
const dir = dirEntry;
const hardlink = hardlinkEntry;
const whiteout = whiteoutEntry;
const opaque = opaqueEntry;

const present = (fs: MergedFs) => [...fs.files.keys()].sort();
const removed = (fs: MergedFs) => fs.removed.map((r) => [r.path, r.how, r.layerIndex, r.removedBy]);

describe('mergeLayers', () => {
  it('attributes each file to the layer that added it', () => {
    const fs = mergeLayers([[dir('etc'), file('etc/os-release')], [file('usr/bin/app')], [file('etc/app.conf')]]);
    expect(present(fs)).toEqual(['etc', 'etc/app.conf', 'etc/os-release', 'usr/bin/app']);
    expect(fs.files.get('etc/os-release')?.layerIndex).toBe(0);
    expect(fs.files.get('usr/bin/app')?.layerIndex).toBe(1);
    expect(fs.files.get('etc/app.conf')?.layerIndex).toBe(2);
    expect(fs.removed).toEqual([]);
    expect(fs.layerCount).toBe(3);
  });

  it('deletes a whited-out file and keeps it, with the deleting layer, in removed', () => {
    const fs = mergeLayers([
      [file('a'), file('b')],
      [whiteout('a'), whiteout('missing')],
    ]);
    expect(present(fs)).toEqual(['b']);
    expect(removed(fs)).toEqual([['a', 'deleted', 0, 1]]);
  });

  it('deletes a whited-out directory with everything below it, implied directories included', () => {
    const fs = mergeLayers([
      [dir('opt'), dir('opt/app'), file('opt/app/bin'), file('opt/app/lib/x.so'), file('opt/keep')],
      [whiteout('opt/app')],
    ]);
    expect(present(fs)).toEqual(['opt', 'opt/keep']);
    expect(removed(fs)).toEqual([
      ['opt/app', 'deleted', 0, 1],
      ['opt/app/bin', 'deleted', 0, 1],
      ['opt/app/lib/x.so', 'deleted', 0, 1],
    ]);
    expect(
      fs
        .toFileIndex({ includeRemoved: false })
        .list('opt')
        .map((n) => n.path),
    ).toEqual(['opt/keep']);
  });

  it('applies whiteouts to lower layers only, whatever their place in the tar', () => {
    // The new file comes before the whiteout in the archive; the whiteout must not hide it.
    const fs = mergeLayers([[file('a', 1)], [file('a', 2), whiteout('a')]]);
    expect(fs.files.get('a')).toMatchObject({ layerIndex: 1, entry: { size: 2 } });
    expect(removed(fs)).toEqual([['a', 'deleted', 0, 1]]);
  });

  it('hides lower children of an opaque directory but keeps what the same layer adds, before or after the marker', () => {
    const fs = mergeLayers([
      [dir('var'), dir('var/lib'), file('var/lib/old1'), file('var/lib/sub/old2'), file('var/other')],
      [dir('var/lib'), file('var/lib/before'), opaque('var/lib'), file('var/lib/after')],
    ]);
    expect(present(fs)).toEqual(['var', 'var/lib', 'var/lib/after', 'var/lib/before', 'var/other']);
    expect(fs.files.get('var/lib')?.layerIndex).toBe(1);
    expect(removed(fs)).toEqual([
      ['var/lib/old1', 'deleted', 0, 1],
      ['var/lib/sub/old2', 'deleted', 0, 1],
    ]);
  });

  it('treats an opaque marker at the root as hiding every lower file', () => {
    const fs = mergeLayers([
      [file('a'), file('d/b')],
      [opaque('.'), file('c')],
    ]);
    expect(present(fs)).toEqual(['c']);
  });

  it('overwrites a file with a later one and keeps the earlier as overwritten', () => {
    const fs = mergeLayers([[file('bin/sh', 100)], [file('bin/sh', 200)], [file('bin/sh', 300)]]);
    expect(fs.files.get('bin/sh')).toMatchObject({ layerIndex: 2, entry: { size: 300 } });
    expect(removed(fs)).toEqual([
      ['bin/sh', 'overwritten', 0, 1],
      ['bin/sh', 'overwritten', 1, 2],
    ]);
  });

  it('merges a directory over a directory: its children stay, its metadata is the later one', () => {
    const fs = mergeLayers([
      [dir('usr'), file('usr/a')],
      [{ ...dir('usr'), mode: 0o700 }, file('usr/b')],
    ]);
    expect(present(fs)).toEqual(['usr', 'usr/a', 'usr/b']);
    expect(fs.files.get('usr')).toMatchObject({ layerIndex: 1, entry: { mode: 0o700 } });
    expect(fs.removed).toEqual([]);
  });

  it('replacing a directory with a file removes the whole subtree', () => {
    const fs = mergeLayers([[dir('app'), dir('app/conf'), file('app/conf/x'), file('app/run')], [file('app', 9)]]);
    expect(present(fs)).toEqual(['app']);
    expect(fs.files.get('app')?.entry.type).toBe('file');
    expect(removed(fs)).toEqual([
      ['app', 'overwritten', 0, 1],
      ['app/conf', 'deleted', 0, 1],
      ['app/conf/x', 'deleted', 0, 1],
      ['app/run', 'deleted', 0, 1],
    ]);
  });

  it('replacing a directory the layer only implied with a file removes what was below it', () => {
    const fs = mergeLayers([[file('lib/a.so'), file('lib/b.so')], [{ ...base('lib', 'symlink'), linkTarget: 'usr/lib' }]]);
    expect(present(fs)).toEqual(['lib']);
    expect(removed(fs).map(([path]) => path)).toEqual(['lib/a.so', 'lib/b.so']);
  });

  it('replacing a file with a directory, declared or implied, overwrites the file', () => {
    const declared = mergeLayers([[file('x')], [dir('x'), file('x/y')]]);
    expect(present(declared)).toEqual(['x', 'x/y']);
    expect(declared.files.get('x')?.entry.type).toBe('directory');
    expect(removed(declared)).toEqual([['x', 'overwritten', 0, 1]]);

    const implied = mergeLayers([[file('x')], [file('x/y')]]);
    expect(present(implied)).toEqual(['x/y']);
    expect(removed(implied)).toEqual([['x', 'overwritten', 0, 1]]);
    expect(implied.toFileIndex().get('x')).toMatchObject({ isDir: true, status: 'present' });
  });

  it('resolves hardlinks to the file they named, in the same or a lower layer, and keeps them when the target goes', () => {
    const fs = mergeLayers([
      [file('bin/busybox', 800)],
      [hardlink('bin/ls', 'bin/busybox'), hardlink('bin/cat', 'bin/ls'), hardlink('bin/none', 'bin/missing')],
      [whiteout('bin/busybox')],
    ]);
    expect(present(fs)).toEqual(['bin/cat', 'bin/ls', 'bin/none']);
    expect(fs.files.get('bin/ls')?.linked).toMatchObject({ layerIndex: 0, entry: { path: 'bin/busybox', size: 800 } });
    expect(fs.files.get('bin/cat')?.linked?.entry.path).toBe('bin/busybox');
    expect(fs.files.get('bin/none')?.linked).toBeUndefined();
    expect(fs.files.get('bin/ls')?.layerIndex).toBe(1);
  });

  it('leaves whiteout entries and AUFS bookkeeping out of the result', () => {
    const fs = mergeLayers([
      [file('a'), dir('.wh..wh.plnk'), file('.wh..wh.plnk/1.2'), file('.wh..wh.aufs')],
      [whiteout('a'), opaque('d')],
    ]);
    expect(present(fs)).toEqual([]);
  });

  it('lists the largest regular files of the result', () => {
    const fs = mergeLayers([
      [file('a', 10), file('b', 500), file('c', 40)],
      [file('a', 1000), whiteout('b'), hardlink('h', 'a')],
    ]);
    expect(fs.largestFiles(2).map((f) => [f.path, f.entry.size, f.layerIndex])).toEqual([
      ['a', 1000, 1],
      ['c', 40, 0],
    ]);
  });

  it('builds a browsable index with removed files marked and attributed', () => {
    const fs = mergeLayers([
      [dir('etc'), file('etc/passwd', 10), file('etc/gone/x')],
      [file('etc/passwd', 20), whiteout('etc/gone'), file('etc/new')],
    ]);
    const index = fs.toFileIndex();
    expect(index.list('etc').map((n) => [n.name, n.status, n.layerIndex, n.removedBy])).toEqual([
      ['passwd', 'present', 1, undefined],
      ['new', 'present', 1, undefined],
      ['gone', 'deleted', undefined, 1],
    ]);
    expect(index.get('etc/gone/x')).toMatchObject({ status: 'deleted', layerIndex: 0, removedBy: 1 });
    expect(index.largest(5).map((n) => n.path)).toEqual(['etc/passwd', 'etc/new']);
    expect(fs.toFileIndex({ includeRemoved: false }).get('etc/gone')).toBeUndefined();
  });
});

describe('mergeLayers over layers written by GNU tar', () => {
  it('applies real whiteout files and opaque markers read by the tar parser', () => {
    const work = mkdtempSync(join(tmpdir(), 'ociscope-merge-'));
    try {
      const layer = (name: string, files: Record<string, string>): TarEntry[] => {
        const root = join(work, name);
        for (const [path, content] of Object.entries(files)) {
          mkdirSync(join(root, path, '..'), { recursive: true });
          writeFileSync(join(root, path), content);
        }
        const archive = execFileSync('tar', ['--format=posix', '--sort=name', '-C', root, '-cf', '-', '.']);
        const entries: TarEntry[] = [];
        const parser = new TarParser({ entry: (e) => entries.push(e) });
        parser.push(new Uint8Array(archive));
        parser.end();
        return entries;
      };
      const fs = mergeLayers([
        layer('l0', { 'etc/hosts': 'h', 'etc/ssl/cert.pem': 'c', 'var/cache/apt/a': 'a', 'var/cache/apt/b': 'b', 'tmp/t': 't' }),
        layer('l1', { 'etc/.wh.ssl': '', 'var/cache/apt/.wh..wh..opq': '', 'var/cache/apt/fresh': 'f', 'etc/hosts': 'h2' }),
      ]);
      expect(present(fs).filter((p) => fs.files.get(p)?.entry.type === 'file')).toEqual(['etc/hosts', 'tmp/t', 'var/cache/apt/fresh']);
      expect(fs.files.get('etc/hosts')?.layerIndex).toBe(1);
      expect(fs.removed.map((r) => [r.path, r.how])).toEqual([
        ['etc/ssl', 'deleted'],
        ['etc/ssl/cert.pem', 'deleted'],
        ['var/cache/apt/a', 'deleted'],
        ['var/cache/apt/b', 'deleted'],
        ['etc/hosts', 'overwritten'],
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
