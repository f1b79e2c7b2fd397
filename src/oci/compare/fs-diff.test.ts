import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../test-support/digest';
import { mergeLayers } from '../fs/merged-fs';
import { TarParser } from '../layer/tar';
import type { TarEntry } from '../layer/tar-entry';
import { type DiffableEntry, type DiffableFile, type FsSide, diffFilesystems } from './fs-diff';

let offset = 0;
function entry(path: string, type: TarEntry['type'], extra: Partial<DiffableEntry> = {}): DiffableEntry & { path: string } {
  offset += 512;
  return { path, type, mode: type === 'directory' ? 0o755 : 0o644, uid: 0, gid: 0, size: 0, dataOffset: offset, ...extra };
}
const file = (path: string, size: number, extra: Partial<DiffableEntry> = {}) => entry(path, 'file', { size, ...extra });

/** A one-layer filesystem: every entry from layer 0, whose tar is named `layerId`. */
function side(entries: (DiffableEntry & { path: string })[], layerId?: string): FsSide {
  const files = new Map<string, DiffableFile>(entries.map((e) => [e.path, { entry: e, layerIndex: 0 }]));
  return { files, ...(layerId && { layerIds: [layerId] }) };
}

const rowsOf = (a: FsSide, b: FsSide) => diffFilesystems(a, b).rows.map((r) => [r.path, r.status, r.changes]);

describe('diffFilesystems', () => {
  it('lists added, removed and changed paths, with the byte delta', () => {
    const a = side([entry('etc', 'directory'), file('etc/hosts', 10), file('etc/old.conf', 7), file('bin/sh', 100)]);
    const b = side([entry('etc', 'directory'), file('etc/hosts', 12), file('etc/new.conf', 3), file('bin/sh', 100, { mode: 0o755 })]);
    const diff = diffFilesystems(a, b);
    expect(diff.rows.map((r) => [r.path, r.status, r.changes, r.sizeDelta])).toEqual([
      ['etc/hosts', 'changed', ['size'], 2],
      ['etc/old.conf', 'removed', [], -7],
      ['bin/sh', 'changed', ['mode'], 0],
      ['etc/new.conf', 'added', [], 3],
    ]);
    expect(diff.summary).toMatchObject({ added: 1, removed: 1, changed: 2, unchanged: 1, notCompared: 0, sizeDelta: -2 });
    expect(diff.summary.byChange).toMatchObject({ size: 1, mode: 1 });
    expect([diff.summary.addedBytes, diff.summary.removedBytes]).toEqual([3, 7]);
  });

  it('never calls a same-size file unchanged without proof of its content', () => {
    const a = side([file('app/config.json', 42)], 'sha256:tar-a');
    const b = side([file('app/config.json', 42)], 'sha256:tar-b');
    const diff = diffFilesystems(a, b);
    expect(diff.rows.map((r) => [r.path, r.status])).toEqual([['app/config.json', 'not-compared']]);
    expect(diff.summary).toMatchObject({ changed: 0, unchanged: 0, notCompared: 1 });
  });

  it('catches a same-size edit by the per-file content digests, and finds equal digests unchanged', () => {
    const edited = diffFilesystems(
      side([file('app/config.json', 42, { contentDigest: 'sha256:aaaa' })]),
      side([file('app/config.json', 42, { contentDigest: 'sha256:bbbb' })]),
    );
    expect(edited.rows.map((r) => [r.path, r.status, r.changes])).toEqual([['app/config.json', 'changed', ['content']]]);
    expect(edited.summary.byChange.content).toBe(1);
    const same = diffFilesystems(
      side([file('app/config.json', 42, { contentDigest: 'sha256:aaaa' })]),
      side([file('app/config.json', 42, { contentDigest: 'sha256:aaaa' })]),
    );
    expect(same.rows).toEqual([]);
    expect(same.summary.unchanged).toBe(1);
  });

  it('says content was not compared when only one side has a digest', () => {
    expect(rowsOf(side([file('f', 5, { contentDigest: 'sha256:aa' })]), side([file('f', 5)]))).toEqual([['f', 'not-compared', []]]);
  });

  it('knows content is the same without digests when both entries are the same tar entry of the same layer', () => {
    const shared = file('usr/lib/libc.so', 2_000_000);
    expect(rowsOf(side([shared], 'sha256:base'), side([{ ...shared }], 'sha256:base'))).toEqual([]);
    // Same layer id, another offset: another entry, so no proof.
    expect(rowsOf(side([shared], 'sha256:base'), side([{ ...shared, dataOffset: 1 }], 'sha256:base'))).toEqual([
      ['usr/lib/libc.so', 'not-compared', []],
    ]);
  });

  it('finds empty files equal without any digest', () => {
    expect(rowsOf(side([file('run/.keep', 0)]), side([file('run/.keep', 0)]))).toEqual([]);
  });

  it('compares owners, link targets, devices and types', () => {
    const a = side([
      file('srv/data', 1, { uid: 0, gid: 0, contentDigest: 'sha256:x' }),
      entry('etc/localtime', 'symlink', { linkTarget: '/usr/share/zoneinfo/UTC' }),
      entry('dev/null', 'char-device', { devMajor: 1, devMinor: 3 }),
      file('opt/tool', 1, { contentDigest: 'sha256:x' }),
      entry('var/run', 'directory'),
    ]);
    const b = side([
      file('srv/data', 1, { uid: 1000, gid: 1000, contentDigest: 'sha256:x' }),
      entry('etc/localtime', 'symlink', { linkTarget: '/usr/share/zoneinfo/Europe/Paris' }),
      entry('dev/null', 'char-device', { devMajor: 1, devMinor: 5 }),
      entry('opt/tool', 'symlink', { linkTarget: 'tool.real' }),
      entry('var/run', 'symlink', { linkTarget: '/run' }),
    ]);
    expect(rowsOf(a, b)).toEqual([
      ['srv/data', 'changed', ['owner']],
      ['etc/localtime', 'changed', ['link']],
      ['dev/null', 'changed', ['device']],
      ['opt/tool', 'changed', ['type']],
      ['var/run', 'changed', ['type']],
    ]);
  });

  it('compares a hardlink by the bytes it shares and by what it links to', () => {
    const target = file('usr/bin/python3.12', 100, { contentDigest: 'sha256:py' });
    const link: DiffableFile = {
      entry: entry('usr/bin/python3', 'hardlink', { linkTarget: 'usr/bin/python3.12' }),
      layerIndex: 0,
      linked: { entry: target, layerIndex: 0 },
    };
    const copy: DiffableFile = { entry: file('usr/bin/python3', 100, { contentDigest: 'sha256:py' }), layerIndex: 0 };
    const a: FsSide = { files: new Map([['usr/bin/python3', link]]) };
    const b: FsSide = { files: new Map([['usr/bin/python3', copy]]) };
    const diff = diffFilesystems(a, b);
    // A hardlink owns no bytes of its own, so the copy adds its size; its content is the same.
    expect(diff.rows.map((r) => [r.path, r.status, r.changes, r.sizeDelta])).toEqual([['usr/bin/python3', 'changed', ['link'], 100]]);
  });

  it('ignores modification times, which every rebuild changes', () => {
    const a = side([{ ...file('etc/motd', 3, { contentDigest: 'sha256:m' }) }]);
    const b = side([{ ...file('etc/motd', 3, { contentDigest: 'sha256:m' }), mtime: 12345 } as DiffableEntry & { path: string }]);
    expect(rowsOf(a, b)).toEqual([]);
  });
});

describe('diffFilesystems over images written by GNU tar', () => {
  const work = mkdtempSync(join(tmpdir(), 'ociscope-fsdiff-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Archives a tree with GNU tar and reads it back with our parser, adding content digests when asked. */
  function layer(name: string, files: Record<string, string | { symlink: string }>, digests: boolean): TarEntry[] {
    const root = join(work, name);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      if (typeof content === 'string') {
        writeFileSync(join(root, path), content);
        chmodSync(join(root, path), 0o644);
        utimesSync(join(root, path), 1_704_164_645, 1_704_164_645);
      } else symlinkSync(content.symlink, join(root, path));
    }
    const archive = new Uint8Array(
      execFileSync('tar', ['--format=gnu', '--sort=name', '--owner=0', '--group=0', '-C', root, '-cf', '-', '.']),
    );
    const entries: (TarEntry & { contentDigest?: string })[] = [];
    const parser = new TarParser({ entry: (e) => entries.push(e) });
    parser.push(archive);
    parser.end();
    if (digests) {
      for (const e of entries) {
        if (e.type !== 'file') continue;
        const bytes = archive.subarray(e.dataOffset, e.dataOffset + e.size);
        e.contentDigest = sha256Digest(bytes);
      }
    }
    return entries;
  }

  function image(layers: TarEntry[][], ids: string[]): FsSide {
    return { files: mergeLayers(layers).files, layerIds: ids };
  }

  for (const digests of [false, true]) {
    it(`sets a base image beside a derived one that adds a file and edits another in place (${digests ? 'with' : 'without'} content digests)`, () => {
      const base = layer(
        `base-${digests}`,
        { 'etc/os-release': 'ID=test\n', 'etc/app.conf': 'mode=prod\n', 'usr/bin/tool': '#!/bin/sh\n' },
        digests,
      );
      const top = layer(
        `top-${digests}`,
        { 'etc/app.conf': 'mode=test\n', 'srv/new.txt': 'hello\n', 'etc/zoneinfo': { symlink: 'UTC' } },
        digests,
      );
      const diff = diffFilesystems(image([base], ['sha256:base']), image([base, top], ['sha256:base', 'sha256:top']));
      const rows = Object.fromEntries(diff.rows.map((r) => [r.path, [r.status, r.changes]]));
      // Same size, other bytes: only a content digest can tell.
      expect(rows['etc/app.conf']).toEqual(digests ? ['changed', ['content']] : ['not-compared', []]);
      expect(rows['srv/new.txt']).toEqual(['added', []]);
      expect(rows['etc/zoneinfo']).toEqual(['added', []]);
      // Files of the shared base layer are proven equal by being the same tar entries.
      expect(rows['etc/os-release']).toBeUndefined();
      expect(rows['usr/bin/tool']).toBeUndefined();
      expect(diff.summary.sizeDelta).toBe('hello\n'.length);
    });
  }
});
