import { describe, expect, it } from 'vitest';
import { resolveLink } from './link-path';

describe('resolveLink', () => {
  it.each([
    ['usr/bin/tool-link', 'tool', 'usr/bin/tool'],
    ['usr/bin/sh', '../lib/busybox', 'usr/lib/busybox'],
    ['etc/localtime', '/usr/share/zoneinfo/UTC', 'usr/share/zoneinfo/UTC'],
    ['top', './x/../y', 'y'],
    ['a/b', '../../../../etc', 'etc'],
  ])('%s -> %s is %s', (link, target, resolved) => {
    expect(resolveLink(link, target)).toBe(resolved);
  });
});
