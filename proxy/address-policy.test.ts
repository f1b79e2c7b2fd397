import { describe, expect, it } from 'vitest';
import {
  assertHostAllowed,
  createHostAllowlist,
  isBlockedAddress,
  isLoopbackHostname,
  literalAddress,
} from './address-policy.ts';
import { BlockedAddressError } from './errors.ts';

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback /8'],
    ['10.1.2.3', 'RFC 1918'],
    ['172.16.0.1', 'RFC 1918'],
    ['172.31.255.255', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', '0.0.0.0/8'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved 240/4'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'TEST-NET-1'],
    ['198.18.0.1', 'benchmarking'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['fc00::1', 'ULA'],
    ['fd12:3456:789a::1', 'ULA'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with zone'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::7f00:1', 'IPv4-compatible (deprecated)'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b::808:808', 'NAT64 even for public v4'],
    ['2002:7f00:1::1', '6to4'],
    ['2001::1', 'Teredo'],
    ['2001:db8::1', 'documentation'],
    ['not-an-address', 'unparseable fails closed'],
  ])('blocks %s (%s)', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['140.82.112.34'],
    ['172.15.255.255'],
    ['172.32.0.1'],
    ['100.63.255.255'],
    ['100.128.0.1'],
    ['169.253.255.255'],
    ['2606:4700:4700::1111'],
    ['2a00:1450:4001:80b::200e'],
    ['::ffff:8.8.8.8'],
  ])('allows public %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('literalAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '::1'],
    ['[::ffff:7f00:1]', '::ffff:7f00:1'],
    ['registry.example', undefined],
    ['1e100', undefined],
  ])('%s -> %s', (hostname, expected) => {
    expect(literalAddress(hostname)?.toString()).toBe(expected);
  });

  it.each(['0x7f.1', '2130706433', '017700000001', '127.1'])(
    'sees %s as 127.0.0.1 once the URL parser has normalised it',
    (host) => {
      expect(literalAddress(new URL(`http://${host}/`).hostname)?.toString()).toBe('127.0.0.1');
    },
  );
});

describe('isLoopbackHostname', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['registry.localhost', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.9.9.9', true],
    ['[::1]', true],
    ['[::ffff:7f00:1]', true],
    ['notlocalhost', false],
    ['localhost.example', false],
    ['10.0.0.1', false],
    ['docker.io', false],
  ])('%s -> %s', (hostname, expected) => {
    expect(isLoopbackHostname(hostname)).toBe(expected);
  });
});

describe('createHostAllowlist', () => {
  const allowlist = createHostAllowlist(['127.0.0.1:5000', 'LocalHost:5001', '[::1]:5002', 'registry.lan']);

  it.each([
    ['http://127.0.0.1:5000/v2/', true],
    ['http://127.0.0.1:5001/v2/', false],
    ['http://0x7f.1:5000/v2/', true],
    ['http://localhost:5001/v2/', true],
    ['http://[::1]:5002/v2/', true],
    ['https://registry.lan/v2/', true],
    ['http://registry.lan/v2/', true],
    ['https://registry.lan:8443/v2/', false],
    ['http://127.0.0.2:5000/v2/', false],
  ])('%s allowed: %s', (url, expected) => {
    expect(allowlist.allows(new URL(url))).toBe(expected);
  });

  it.each(['', 'host/path', 'user@host:5000', 'host:99999', 'http://host:5000', 'foo.123'])(
    'rejects entry %j',
    (entry) => {
      expect(() => createHostAllowlist([entry])).toThrow(RangeError);
    },
  );
});

describe('assertHostAllowed', () => {
  const none = createHostAllowlist([]);

  it.each([
    ['http://localhost:5000/', '127.0.0.1'],
    ['http://a.localhost/', '127.0.0.1'],
    ['https://10.0.0.1/', '10.0.0.1'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe'],
  ])('refuses %s', (url, address) => {
    const error = (() => {
      try {
        assertHostAllowed(new URL(url), none);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).detail).toEqual({ host: new URL(url).host, address });
  });

  it('lets names that need DNS through (node-fetch checks what they resolve to)', () => {
    expect(() => assertHostAllowed(new URL('https://registry.example/'), none)).not.toThrow();
  });

  it('lets public literals through', () => {
    expect(() => assertHostAllowed(new URL('https://8.8.8.8/'), none)).not.toThrow();
  });

  it('lets allowlisted hosts through', () => {
    expect(() => assertHostAllowed(new URL('http://localhost:5000/'), createHostAllowlist(['localhost:5000']))).not.toThrow();
  });
});
