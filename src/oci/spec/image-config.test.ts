import { describe, expect, it } from 'vitest';
import { joinHistory, readImageConfig } from './image-config';

const config = {
  architecture: 'arm',
  variant: 'v7',
  os: 'linux',
  config: {
    Env: ['PATH=/bin', 7],
    Entrypoint: ['/app'],
    Cmd: null,
    WorkingDir: '/srv',
    Labels: { a: 'b', n: 1 },
    ExposedPorts: { '80/tcp': {} },
  },
  rootfs: { type: 'layers', diff_ids: ['sha256:a', 'sha256:b'] },
  history: [{ created_by: 'ADD base' }, { created_by: 'ENV x', empty_layer: true }, { created_by: 'RUN make' }],
};

describe('image config', () => {
  it('reads the fields a person cares about and skips ill-typed values', () => {
    const c = readImageConfig(config)!;
    expect(c).toMatchObject({
      os: 'linux',
      architecture: 'arm',
      variant: 'v7',
      workingDir: '/srv',
      entrypoint: ['/app'],
      env: ['PATH=/bin'],
    });
    expect(c.cmd).toBeUndefined();
    expect(c.labels).toEqual({ a: 'b' });
    expect(c.exposedPorts).toEqual(['80/tcp']);
  });

  it('joins history to layers, skipping empty layers', () => {
    const { rows, mismatch } = joinHistory(readImageConfig(config)!);
    expect(rows.map((r) => r.layerIndex)).toEqual([0, undefined, 1]);
    expect(mismatch).toBeUndefined();
  });

  it('says when history and diff_ids disagree', () => {
    const { mismatch } = joinHistory(readImageConfig({ ...config, rootfs: { diff_ids: ['sha256:a'] } })!);
    expect(mismatch).toBe('History describes 2 layers but rootfs.diff_ids lists 1.');
  });

  it('is undefined for something that is not an object', () => {
    expect(readImageConfig([1, 2])).toBeUndefined();
  });
});
