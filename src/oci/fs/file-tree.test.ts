import { describe, expect, it } from 'vitest';
import { FileIndex, largestBy, sortNodes } from './file-tree';
import type { TarEntry } from '../layer/tar-entry';

let offset = 0;
function entry(path: string, type: TarEntry['type'] = 'file', size = 0, extra: Partial<TarEntry> = {}): TarEntry {
  offset += 1024;
  return { path, type, mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', size, mtime: 0, dataOffset: offset, ...extra };
}

const names = (nodes: { path: string }[]) => nodes.map((n) => n.path);

describe('FileIndex', () => {
  it('lists direct children and implies parents the archive left out', () => {
    const index = new FileIndex();
    index.add([
      entry('usr/bin/env', 'file', 10),
      entry('usr/lib/libc.so', 'file', 20),
      entry('etc', 'directory'),
      entry('etc/hosts', 'file', 5),
    ]);
    expect(names(index.list('.'))).toEqual(['usr', 'etc']);
    expect(names(index.list('/usr/'))).toEqual(['usr/bin', 'usr/lib']);
    expect(index.get('usr')).toMatchObject({ isDir: true, childCount: 2, name: 'usr' });
    expect(index.get('usr')?.entry).toBeUndefined();
    expect(index.get('etc')?.entry?.type).toBe('directory');
    expect(index.get('./usr/bin/env')).toMatchObject({ name: 'env', isDir: false, childCount: 0 });
    expect(index.get('.')).toMatchObject({ path: '.', name: '', isDir: true, childCount: 2 });
    expect(index.list('etc/hosts')).toEqual([]);
    expect(index.list('nowhere')).toEqual([]);
    expect(index.get('nowhere')).toBeUndefined();
    expect(index.size).toBe(7);
  });

  it('grows while a layer streams: a late directory entry fills in the implied one', () => {
    const index = new FileIndex();
    index.add([entry('a/b/c.txt', 'file', 3)]);
    const before = index.version;
    expect(index.get('a/b')?.entry).toBeUndefined();
    index.add([entry('a/b', 'directory', 0, { mode: 0o700 }), entry('a/b/d.txt')]);
    expect(index.version).toBeGreaterThan(before);
    expect(index.get('a/b')).toMatchObject({ isDir: true, childCount: 2, entry: { mode: 0o700 } });
    expect(names(index.list('a/b'))).toEqual(['a/b/c.txt', 'a/b/d.txt']);
  });

  it('attaches the root entry and keeps the last of duplicate paths, noting the earlier ones', () => {
    const index = new FileIndex();
    const first = entry('etc/passwd', 'file', 100);
    const second = entry('etc/passwd', 'file', 120);
    index.add([entry('.', 'directory', 0, { mode: 0o755 }), first, second]);
    expect(index.get('.')?.entry?.mode).toBe(0o755);
    expect(index.get('etc/passwd')).toMatchObject({ entry: second, duplicates: [first] });
    expect(index.list('etc')).toHaveLength(1);
    expect(index.size).toBe(2);
  });

  it('searches full paths case-insensitively, in archive order, up to a limit', () => {
    const index = new FileIndex();
    index.add([entry('usr/share/doc/README'), entry('opt/readme.md'), entry('etc/os-release'), entry('readme')]);
    expect(names(index.search('ReadMe', 10))).toEqual(['usr/share/doc/README', 'opt/readme.md', 'readme']);
    expect(names(index.search('readme', 2))).toEqual(['usr/share/doc/README', 'opt/readme.md']);
    expect(names(index.search('share/doc', 10))).toEqual(['usr/share/doc', 'usr/share/doc/README']);
    expect(index.search('', 10)).toEqual([]);
    expect(index.search('zzz', 10)).toEqual([]);
  });

  it('lists the largest regular files', () => {
    const index = new FileIndex();
    index.add([
      entry('a', 'file', 5),
      entry('b', 'file', 50),
      entry('c', 'directory'),
      entry('d', 'hardlink', 0, { linkTarget: 'b' }),
      entry('e', 'file', 7),
      entry('f', 'file', 50),
    ]);
    expect(names(index.largest(3))).toEqual(['b', 'f', 'e']);
    expect(index.largest(0)).toEqual([]);
  });

  it('clears everything', () => {
    const index = new FileIndex();
    index.add([entry('a/b')]);
    const version = index.version;
    index.clear();
    expect(index.list('.')).toEqual([]);
    expect(index.get('a')).toBeUndefined();
    expect(index.search('a', 5)).toEqual([]);
    expect(index.version).toBeGreaterThan(version);
  });

  it('marks directories implied by removed files as deleted until a present file lives there', () => {
    const index = new FileIndex();
    index.put(entry('gone/old.txt'), { layerIndex: 0, status: 'deleted', removedBy: 2 });
    expect(index.get('gone')).toMatchObject({ status: 'deleted', removedBy: 2 });
    index.put(entry('gone/new.txt'), { layerIndex: 3, status: 'present' });
    expect(index.get('gone')).toMatchObject({ status: 'present', removedBy: undefined });
    expect(index.get('gone/old.txt')).toMatchObject({ status: 'deleted', layerIndex: 0, removedBy: 2 });
    expect(names(index.largest(5))).toEqual(['gone/new.txt']);
  });

  it('answers a search over 100,000 entries in well under 100 ms', () => {
    const index = new FileIndex();
    const entries: TarEntry[] = [];
    for (let i = 0; i < 100_000; i++) entries.push(entry(`usr/lib/python3/pkg${i % 700}/module${i}/File_${i}.py`, 'file', i));
    const built = performance.now();
    for (let at = 0; at < entries.length; at += 1000) index.add(entries.slice(at, at + 1000));
    const buildMs = performance.now() - built;
    const timings: string[] = [];
    let slowest = 0;
    for (const query of ['file_99999.py', 'no-such-name', 'PKG13/', 'module4242/']) {
      const start = performance.now();
      const found = index.search(query, 200);
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      timings.push(`${query}: ${found.length} hits in ${ms.toFixed(1)} ms`);
    }
    console.log(`FileIndex: 100,000 entries (${index.size} paths) indexed in ${buildMs.toFixed(0)} ms; search ${timings.join('; ')}`);
    expect(index.search('file_99999.py', 10)).toHaveLength(1);
    expect(slowest).toBeLessThan(100);
  });
});

describe('sortNodes', () => {
  const index = new FileIndex();
  index.add([
    entry('b.txt', 'file', 10),
    entry('A.txt', 'file', 30),
    entry('dir', 'directory'),
    entry('c.txt', 'file', 10),
    entry('a', 'directory'),
  ]);
  const nodes = index.list('.');

  it('puts directories first, then names in code-unit order', () => {
    expect(names(sortNodes(nodes, 'name'))).toEqual(['a', 'dir', 'A.txt', 'b.txt', 'c.txt']);
    expect(names(sortNodes(nodes, 'name', true))).toEqual(['dir', 'a', 'c.txt', 'b.txt', 'A.txt']);
  });

  it('sorts by size with equal sizes by name, without touching its input', () => {
    expect(names(sortNodes(nodes, 'size'))).toEqual(['a', 'dir', 'b.txt', 'c.txt', 'A.txt']);
    expect(names(sortNodes(nodes, 'size', true))).toEqual(['a', 'dir', 'A.txt', 'b.txt', 'c.txt']);
    expect(names(nodes)).toEqual(['b.txt', 'A.txt', 'dir', 'c.txt', 'a']);
  });
});

describe('largestBy', () => {
  it('keeps the n biggest, ties in input order', () => {
    expect(largestBy([3, 9, 1, 9, 4, 7], 3, (x) => x)).toEqual([9, 9, 7]);
    expect(
      largestBy(
        [
          ['a', 1],
          ['b', 2],
          ['c', 2],
        ] as const,
        2,
        ([, s]) => s,
      ),
    ).toEqual([
      ['b', 2],
      ['c', 2],
    ]);
    expect(largestBy([1, 2], 5, (x) => x)).toEqual([2, 1]);
  });
});
