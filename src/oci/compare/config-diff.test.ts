import { describe, expect, it } from 'vitest';
import { type ImageConfig, readImageConfig } from '../spec/image-config';
import { alignHistory, diffConfigs, environmentOf } from './config-diff';

function config(json: object): ImageConfig {
  const parsed = readImageConfig(json);
  if (!parsed) throw new Error('not a config');
  return parsed;
}

const base = {
  created: '2024-01-02T03:04:05Z',
  architecture: 'amd64',
  os: 'linux',
  config: {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'],
    Cmd: ['/bin/sh'],
    Labels: { 'org.opencontainers.image.version': '1.0', maintainer: 'ops' },
    ExposedPorts: { '8080/tcp': {} },
  },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + '1'.repeat(64)] },
  history: [{ created: '2024-01-02T03:04:05Z', created_by: '/bin/sh -c #(nop) ADD file:base.tar in / ' }],
};

const derived = {
  created: '2024-02-03T04:05:06Z',
  architecture: 'amd64',
  os: 'linux',
  config: {
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/app/bin', 'LANG=C.UTF-8', 'APP_HOME=/app'],
    Entrypoint: ['/app/start.sh'],
    Cmd: ['--serve'],
    User: '1000:1000',
    WorkingDir: '/app',
    Labels: { 'org.opencontainers.image.version': '1.1', 'org.opencontainers.image.revision': 'abc123' },
    ExposedPorts: { '8080/tcp': {}, '9090/tcp': {} },
    Volumes: { '/data': {} },
  },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + '1'.repeat(64), 'sha256:' + '2'.repeat(64)] },
  history: [
    { created: '2024-01-02T03:04:05Z', created_by: '/bin/sh -c #(nop) ADD file:base.tar in / ' },
    { created: '2024-02-03T04:05:06Z', created_by: 'WORKDIR /app', comment: 'buildkit.dockerfile.v0', empty_layer: true },
    { created: '2024-02-03T04:05:06Z', created_by: 'COPY app/ /app/ # buildkit', comment: 'buildkit.dockerfile.v0' },
  ],
};

describe('diffConfigs: a base image and an application built on it', () => {
  const diff = diffConfigs(config(base), config(derived));
  const fieldsBy = (status: string) => diff.fields.filter((f) => f.status === status).map((f) => f.label);

  it('says which settings were added, changed or kept', () => {
    expect(fieldsBy('added')).toEqual(['config.User', 'config.WorkingDir', 'config.Entrypoint']);
    expect(fieldsBy('changed')).toEqual(['created', 'config.Cmd', 'rootfs.diff_ids']);
    expect(fieldsBy('same')).toContain('os/architecture/variant');
    expect(diff.fields.find((f) => f.field === 'cmd')).toMatchObject({ a: ['/bin/sh'], b: ['--serve'] });
  });

  it('compares the environment by variable name', () => {
    expect(diff.env.map((c) => [c.key, c.status])).toEqual([
      ['APP_HOME', 'added'],
      ['LANG', 'same'],
      ['PATH', 'changed'],
    ]);
  });

  it('compares labels, ports and volumes by key', () => {
    expect(diff.labels.map((c) => [c.key, c.status])).toEqual([
      ['maintainer', 'removed'],
      ['org.opencontainers.image.revision', 'added'],
      ['org.opencontainers.image.version', 'changed'],
    ]);
    expect(diff.exposedPorts.map((c) => [c.key, c.status])).toEqual([
      ['8080/tcp', 'same'],
      ['9090/tcp', 'added'],
    ]);
    expect(diff.volumes).toEqual([{ key: '/data', status: 'added', b: '/data' }]);
  });

  it('lines the base image’s history up with the derived image’s and marks its own steps added', () => {
    expect(diff.history.map((row) => [row.status, (row.a ?? row.b)?.createdBy])).toEqual([
      ['same', '/bin/sh -c #(nop) ADD file:base.tar in / '],
      ['added', 'WORKDIR /app'],
      ['added', 'COPY app/ /app/ # buildkit'],
    ]);
    expect(diff.changedCount).toBe(3 + 3 + 2 + 3 + 1 + 1 + 2);
  });

  it('finds nothing changed between a config and itself', () => {
    const same = diffConfigs(config(derived), config(derived));
    expect(same.changedCount).toBe(0);
    expect(same.history.every((row) => row.status === 'same' && !row.createdChanged)).toBe(true);
  });

  it('tells a platform change apart', () => {
    const arm = diffConfigs(config(base), config({ ...base, architecture: 'arm', variant: 'v7' }));
    expect(arm.fields[0]).toEqual({
      field: 'platform',
      label: 'os/architecture/variant',
      status: 'changed',
      a: 'linux/amd64',
      b: 'linux/arm/v7',
    });
  });
});

describe('alignHistory', () => {
  it('pairs a rebuilt step with itself and marks its new time', () => {
    const step = (createdBy: string, created: string) => ({ createdBy, created, emptyLayer: false });
    const rows = alignHistory([step('RUN a', 't1'), step('RUN b', 't1')], [step('RUN a', 't2'), step('RUN c', 't2')]);
    expect(rows.map((r) => [r.status, (r.a ?? r.b)?.createdBy, r.createdChanged ?? false])).toEqual([
      ['same', 'RUN a', true],
      ['removed', 'RUN b', false],
      ['added', 'RUN c', false],
    ]);
  });
});

describe('environmentOf', () => {
  it('lets the last definition of a name win, as a process would see it, and keeps bare names', () => {
    expect(environmentOf(['A=1', 'B=x=y', 'A=2', 'BARE'])).toEqual({ A: '2', B: 'x=y', BARE: '' });
  });
});
