import { describe, expect, it } from 'vitest';
import type { Descriptor, Platform } from '../spec/descriptor';
import { entryForPlatform, pairByKey, parsePlatform, pairByPlatform, platformKey, platformLabel, samePlatform } from './platform-match';

function entry(digest: string, platform?: Platform): Descriptor {
  return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1, digestValid: true, ...(platform && { platform }) };
}

describe('platformKey', () => {
  it('fills in the variants runtimes assume, so arm64 meets arm64/v8 and arm meets arm/v7', () => {
    expect(samePlatform({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(samePlatform({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'amd64', variant: 'v1' })).toBe(true);
    expect(samePlatform({ os: 'linux', architecture: 'arm' }, { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(true);
  });

  it('keeps real differences apart', () => {
    expect(samePlatform({ os: 'linux', architecture: 'arm', variant: 'v6' }, { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(
      false,
    );
    expect(samePlatform({ os: 'linux', architecture: 'amd64' }, { os: 'windows', architecture: 'amd64' })).toBe(false);
    expect(samePlatform({ os: 'linux', architecture: 'amd64', variant: 'v3' }, { os: 'linux', architecture: 'amd64' })).toBe(false);
  });

  it('reads uname names as the architectures they are', () => {
    expect(platformKey({ os: 'linux', architecture: 'aarch64' })).toBe(platformKey({ os: 'linux', architecture: 'arm64' }));
    expect(platformKey({ os: 'Linux', architecture: 'x86_64' })).toBe('linux/amd64/v1');
  });
});

describe('pairByPlatform', () => {
  it('pairs the same platforms whatever their order and leaves the rest on their own side', () => {
    const a = [entry('sha256:a1', { os: 'linux', architecture: 'arm64' }), entry('sha256:a2', { os: 'linux', architecture: 'amd64' })];
    const b = [
      entry('sha256:b1', { os: 'linux', architecture: 'amd64' }),
      entry('sha256:b2', { os: 'linux', architecture: 'arm', variant: 'v7' }),
      entry('sha256:b3', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    ];
    expect(pairByPlatform(a, b).map((p) => [p.a?.digest, p.b?.digest])).toEqual([
      ['sha256:a1', 'sha256:b3'],
      ['sha256:a2', 'sha256:b1'],
      [undefined, 'sha256:b2'],
    ]);
  });

  it('pairs Windows builds of one os/arch by os.version before order', () => {
    const win = (digest: string, osVersion: string) => entry(digest, { os: 'windows', architecture: 'amd64', osVersion });
    const pairs = pairByPlatform(
      [win('sha256:a-2019', '10.0.17763.5000'), win('sha256:a-2022', '10.0.20348.2000')],
      [win('sha256:b-2022', '10.0.20348.2000'), win('sha256:b-2019', '10.0.17763.5000')],
    );
    expect(pairs.map((p) => [p.a?.digest, p.b?.digest])).toEqual([
      ['sha256:a-2019', 'sha256:b-2019'],
      ['sha256:a-2022', 'sha256:b-2022'],
    ]);
  });
});

describe('pairByKey', () => {
  it('pairs one to one: a key listed twice in A and once in B leaves one A item alone', () => {
    expect(pairByKey(['x1', 'x2'], ['x3'], (s) => s[0]!)).toEqual([{ a: 'x1', b: 'x3' }, { a: 'x2' }]);
  });
});

describe('entryForPlatform', () => {
  const index = [
    entry('sha256:amd', { os: 'linux', architecture: 'amd64' }),
    entry('sha256:arm', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
  ];

  it('finds the entry for a platform written another way', () => {
    expect(entryForPlatform(index, { os: 'linux', architecture: 'arm64' })?.digest).toBe('sha256:arm');
  });

  it('has no answer for a platform the index lacks, nor without a platform when there is a choice', () => {
    expect(entryForPlatform(index, { os: 'linux', architecture: 's390x' })).toBeUndefined();
    expect(entryForPlatform(index, undefined)).toBeUndefined();
    expect(entryForPlatform(index.slice(0, 1), undefined)?.digest).toBe('sha256:amd');
  });
});

describe('platformLabel', () => {
  it('writes a platform as --platform does, with a Windows build in parentheses', () => {
    expect(platformLabel({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
    expect(platformLabel({ os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.2000' })).toBe('windows/amd64 (10.0.20348.2000)');
    expect(platformLabel(undefined)).toBe('no platform');
  });
});

describe('parsePlatform', () => {
  it('reads os/arch and os/arch/variant, and nothing else', () => {
    expect(parsePlatform('linux/arm/v7')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux')).toBeUndefined();
    expect(parsePlatform('linux//v7')).toBeUndefined();
    expect(parsePlatform('a/b/c/d')).toBeUndefined();
  });
});
