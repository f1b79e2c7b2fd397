import { describe, expect, it } from 'vitest';
import { comparePaths, directoryDeltas } from './directory-deltas';
import type { FileDiffRow, FileStatus } from './fs-diff';

const row = (path: string, status: FileStatus, sizeDelta = 0): FileDiffRow => ({ path, status, changes: [], sizeDelta });

describe('directoryDeltas', () => {
  it('totals every directory’s subtree, the root included', () => {
    const deltas = directoryDeltas([
      row('usr/lib/libssl.so.3', 'changed', 4096),
      row('usr/lib/python3/site.py', 'added', 100),
      row('etc/ssl/old.pem', 'removed', -50),
      row('etc/hosts', 'not-compared'),
      row('README', 'added', 10),
    ]);
    expect(deltas.map((d) => [d.path, d.depth, d.added, d.removed, d.changed, d.notCompared, d.sizeDelta])).toEqual([
      ['.', 0, 2, 1, 1, 1, 4156],
      ['etc', 1, 0, 1, 0, 1, -50],
      ['etc/ssl', 2, 0, 1, 0, 0, -50],
      ['usr', 1, 1, 0, 1, 0, 4196],
      ['usr/lib', 2, 1, 0, 1, 0, 4196],
      ['usr/lib/python3', 3, 1, 0, 0, 0, 100],
    ]);
  });

  it('counts an added directory in its parent, not in itself', () => {
    expect(directoryDeltas([row('opt/app', 'added')]).map((d) => [d.path, d.added])).toEqual([
      ['.', 1],
      ['opt', 1],
    ]);
  });

  it('has nothing to say about no changes', () => {
    expect(directoryDeltas([])).toEqual([]);
  });
});

describe('comparePaths', () => {
  it('keeps a directory next to its subdirectories: usr/lib, usr/lib/x, then usr/lib-extra', () => {
    expect(['usr/lib-extra', 'usr/lib/x', '.', 'usr/lib', 'usr'].sort(comparePaths)).toEqual([
      '.',
      'usr',
      'usr/lib',
      'usr/lib/x',
      'usr/lib-extra',
    ]);
  });
});
