import { describe, expect, it } from 'vitest';
import type { Descriptor } from '../../oci/spec/descriptor';
import { planLayerPasses } from './layer-plan';

const layer = (c: string, size = 10): Descriptor => ({
  mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  digest: `sha256:${c.repeat(64)}`,
  size,
  digestValid: true,
});
const base = { registry: 'registry.test', repository: 'base' };
const app = { registry: 'other.test', repository: 'app' };

describe('planLayerPasses', () => {
  it('reads a layer both images list once, through A’s repository, even across registries', () => {
    const plan = planLayerPasses(
      { repo: base, layers: [layer('1'), layer('2')] },
      { repo: app, layers: [layer('1'), layer('2'), layer('3')] },
    );
    expect(plan.distinct.map((t) => [t.repo.repository, t.digest.slice(7, 8)])).toEqual([
      ['base', '1'],
      ['base', '2'],
      ['app', '3'],
    ]);
    expect(plan.b[0]).toBe(plan.a[0]);
    expect(plan.b[2]!.repo).toBe(app);
    expect(plan.sharedCount).toBe(2);
  });

  it('reads a layer repeated within one image once', () => {
    const plan = planLayerPasses({ repo: base, layers: [layer('e', 32), layer('1'), layer('e', 32)] }, { repo: app, layers: [] });
    expect(plan.distinct).toHaveLength(2);
    expect(plan.a[0]).toBe(plan.a[2]);
    expect(plan.sharedCount).toBe(0);
  });

  it('leaves a size the descriptor does not give unknown', () => {
    const plan = planLayerPasses({ repo: base, layers: [layer('1', NaN)] }, { repo: app, layers: [] });
    expect(plan.a[0]!.size).toBeUndefined();
  });
});
