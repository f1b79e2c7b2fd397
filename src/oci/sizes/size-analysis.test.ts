import { describe, expect, it } from 'vitest';
import { TOP_WASTED, analyzeSizes } from './size-analysis';
import { dirEntry, fileEntry, hardlinkEntry, opaqueEntry, whiteoutEntry } from '../../test-support/tar-entries';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('analyzeSizes: wasted bytes and efficiency, computed by hand', () => {
  it('counts an overwritten file as wasted, charged to the layer that stored it', () => {
    const sizes = analyzeSizes([[dirEntry('etc'), fileEntry('etc/a', 100), fileEntry('etc/b', 50)], [fileEntry('etc/a', 30)]]);
    expect(sizes.stored).toBe(180);
    expect(sizes.wasted).toBe(100);
    expect(sizes.present).toBe(80);
    expect(sizes.efficiency).toBeCloseTo(1 - 100 / 180, 12);
    expect(sizes.topWasted).toEqual([{ path: 'etc/a', size: 100, addedBy: 0, removedBy: 1, how: 'overwritten' }]);
    expect(sizes.layers).toEqual([
      { stored: 150, present: 50, wasted: 100, removes: 0, whiteouts: 0 },
      { stored: 30, present: 30, wasted: 0, removes: 100, whiteouts: 0 },
    ]);
    const etc = sizes.tree.get('etc')!;
    expect(etc.size).toBe(80);
    expect(etc.fileCount).toBe(2);
    expect([...etc.byLayer!].sort()).toEqual([
      [0, 50],
      [1, 30],
    ]);
    expect(etc.layerIndex).toBe(0);
    expect(etc.children!.map((c) => [c.name, c.size, c.layerIndex])).toEqual([
      ['b', 50, 0],
      ['a', 30, 1],
    ]);
  });

  it('counts everything below a whited-out directory, file by file', () => {
    const sizes = analyzeSizes([
      [fileEntry('app/big', 1000), fileEntry('app/lib/x.so', 200), fileEntry('keep', 10)],
      [whiteoutEntry('app')],
    ]);
    expect(sizes.stored).toBe(1210);
    expect(sizes.wasted).toBe(1200);
    expect(sizes.present).toBe(10);
    expect(sizes.efficiency).toBeCloseTo(10 / 1210, 12);
    expect(sizes.wastedCount).toBe(2);
    expect(sizes.topWasted).toEqual([
      { path: 'app/big', size: 1000, addedBy: 0, removedBy: 1, how: 'deleted' },
      { path: 'app/lib/x.so', size: 200, addedBy: 0, removedBy: 1, how: 'deleted' },
    ]);
    expect(sizes.layers[1]).toEqual({ stored: 0, present: 0, wasted: 0, removes: 1200, whiteouts: 1 });
    expect(sizes.tree.get('app')).toBeUndefined();
    expect(sizes.tree.root.children!.map((c) => c.path)).toEqual(['keep']);
  });

  it('counts what an opaque directory hides, but not what its own layer puts there', () => {
    const sizes = analyzeSizes([
      [fileEntry('var/cache/a', 300), fileEntry('var/cache/b', 100), fileEntry('var/log', 5)],
      [opaqueEntry('var/cache'), fileEntry('var/cache/c', 40)],
    ]);
    expect(sizes.wasted).toBe(400);
    expect(sizes.present).toBe(45);
    expect(sizes.stored).toBe(445);
    expect(sizes.topWasted.map((w) => [w.path, w.how, w.removedBy])).toEqual([
      ['var/cache/a', 'deleted', 1],
      ['var/cache/b', 'deleted', 1],
    ]);
    expect(sizes.tree.get('var/cache')!.size).toBe(40);
    expect(sizes.tree.get('var/cache')!.layerIndex).toBe(1);
    expect(sizes.tree.get('var')!.size).toBe(45);
  });

  it('counts a hard link once, and not as wasted while the link survives its target', () => {
    const linked = [fileEntry('bin/tool', 500), hardlinkEntry('bin/alias', 'bin/tool')];
    const together = analyzeSizes([linked]);
    expect(together.present).toBe(500);
    expect(together.stored).toBe(500);
    expect(together.tree.get('bin/alias')!.size).toBe(0);
    expect(together.tree.get('bin')!.fileCount).toBe(2);

    const targetGone = analyzeSizes([linked, [whiteoutEntry('bin/tool')]]);
    expect(targetGone.wasted).toBe(0);
    expect(targetGone.present).toBe(500);
    expect(targetGone.efficiency).toBe(1);
    expect(targetGone.tree.get('bin/alias')).toMatchObject({ size: 500, layerIndex: 0 });

    const bothGone = analyzeSizes([linked, [whiteoutEntry('bin/tool')], [whiteoutEntry('bin/alias')]]);
    expect(bothGone.wasted).toBe(500);
    expect(bothGone.present).toBe(0);
    expect(bothGone.efficiency).toBe(0);
    expect(bothGone.topWasted).toEqual([{ path: 'bin/tool', size: 500, addedBy: 0, removedBy: 1, how: 'deleted' }]);
  });

  it('counts an entry overwritten within its own layer', () => {
    const sizes = analyzeSizes([[fileEntry('a', 70), fileEntry('a', 20)]]);
    expect(sizes.wasted).toBe(70);
    expect(sizes.topWasted[0]).toEqual({ path: 'a', size: 70, addedBy: 0, removedBy: 0, how: 'overwritten' });
    expect(sizes.layers[0]).toEqual({ stored: 90, present: 20, wasted: 70, removes: 70, whiteouts: 0 });
  });

  it('treats empty layers as weighing nothing, and nothing at all as fully efficient', () => {
    expect(analyzeSizes([])).toMatchObject({ stored: 0, wasted: 0, present: 0, efficiency: 1, layers: [] });
    const gap = analyzeSizes([[fileEntry('x', 8)], [], [whiteoutEntry('x')]]);
    expect(gap.layers.map((l) => l.stored)).toEqual([8, 0, 0]);
    expect(gap.topWasted[0]).toMatchObject({ addedBy: 0, removedBy: 2 });
    expect(gap.efficiency).toBe(0);
    expect(analyzeSizes([[], [dirEntry('empty')]]).tree.get('empty')).toMatchObject({ size: 0, fileCount: 0, layerIndex: undefined });
  });

  it(`lists the ${TOP_WASTED} largest wasted files only, biggest first`, () => {
    const files = Array.from({ length: 25 }, (_, i) => fileEntry(`junk/${i + 1}`, i + 1));
    const sizes = analyzeSizes([files, [whiteoutEntry('junk')]]);
    expect(sizes.wastedCount).toBe(25);
    expect(sizes.wasted).toBe((25 * 26) / 2);
    expect(sizes.topWasted.map((w) => w.size)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
  });

  it('keeps stored = present + wasted, layer by layer, on a stack of every kind of change', () => {
    const sizes = analyzeSizes([
      [fileEntry('a', 10), fileEntry('d/b', 20), fileEntry('d/c', 30), fileEntry('e/f', 1)],
      [fileEntry('a', 11), whiteoutEntry('d/b'), hardlinkEntry('g', 'e/f')],
      [opaqueEntry('d'), fileEntry('d/h', 5), fileEntry('e', 2)],
    ]);
    expect(sizes.wasted).toBe(10 + 20 + 30);
    expect(sizes.present).toBe(11 + 5 + 2 + 1);
    for (const layer of sizes.layers) expect(layer.stored).toBe(layer.present + layer.wasted);
    expect(sizes.layers.reduce((n, l) => n + l.removes, 0)).toBe(sizes.wasted);
    expect(sizes.stored).toBe(sizes.present + sizes.wasted);
  });
});

describe('analyzeSizes: duplicates by content', () => {
  it('groups the same content stored by two layers, removed copies included', () => {
    const sizes = analyzeSizes([
      [fileEntry('a', 64, D1), fileEntry('only-once', 9, D2)],
      [fileEntry('copy/a', 64, D1), fileEntry('a', 64, D1)],
    ]);
    expect(sizes.wasted).toBe(64);
    expect(sizes.duplicates.groups).toEqual([
      {
        contentDigest: D1,
        size: 64,
        copies: [
          { path: 'a', layerIndex: 0, present: false },
          { path: 'a', layerIndex: 1, present: true },
          { path: 'copy/a', layerIndex: 1, present: true },
        ],
      },
    ]);
    expect(sizes.duplicates.extraBytes).toBe(128);
    expect(sizes.duplicates.unhashed).toBe(0);
  });

  it('leaves out copies within one layer, empty files, and says how many files had no digest', () => {
    const sizes = analyzeSizes([[fileEntry('x', 5, D1), fileEntry('y', 5, D1), fileEntry('empty', 0), fileEntry('z', 3)]]);
    expect(sizes.duplicates).toEqual({ groups: [], extraBytes: 0, unhashed: 1 });
  });
});
