import { describe, expect, it } from 'vitest';
import { assertHostAllowed, createHostAllowlist, isBlockedAddress, isLoopbackHostname, literalAddress } from './address-policy.ts';
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
    ['::8.8.8.8', 'IPv4-compatible as inet_ntop prints it (ipaddr.js alone reads it as mapped)'],
    ['::ffff:0:8.8.8.8', 'IPv4-translated (RFC 6145)'],
    ['fec0::1', 'deprecated site-local'],
    ['4000::1', 'outside 2000::/3, not allocated as global unicast'],
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

/** The ranges issue 4 names, each probed at its first and last address. */
const ISSUE_BLOCKED_RANGES: readonly [range: string, first: string, last: string][] = [
  ['0.0.0.0/8', '0.0.0.0', '0.255.255.255'],
  ['10/8', '10.0.0.0', '10.255.255.255'],
  ['100.64/10', '100.64.0.0', '100.127.255.255'],
  ['127/8', '127.0.0.0', '127.255.255.255'],
  ['169.254/16', '169.254.0.0', '169.254.255.255'],
  ['172.16/12', '172.16.0.0', '172.31.255.255'],
  ['192.0.0/24', '192.0.0.0', '192.0.0.255'],
  ['192.168/16', '192.168.0.0', '192.168.255.255'],
  ['198.18/15', '198.18.0.0', '198.19.255.255'],
  ['224/4', '224.0.0.0', '239.255.255.255'],
  ['240/4', '240.0.0.0', '255.255.255.255'],
  ['::', '::', '::'],
  ['::1', '::1', '::1'],
  ['::ffff:0:0/96 (private v4)', '::ffff:10.0.0.0', '::ffff:c0a8:ffff'],
  ['64:ff9b::/96', '64:ff9b::', '64:ff9b::ffff:ffff'],
  ['2002::/16', '2002::', '2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['fc00::/7', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['fe80::/10', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ['ff00::/8', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
];

describe('isBlockedAddress: every range the issue lists', () => {
  it.each(ISSUE_BLOCKED_RANGES)('blocks %s from %s to %s', (_range, first, last) => {
    expect(isBlockedAddress(first)).toBe(true);
    expect(isBlockedAddress(last)).toBe(true);
  });

  it.each([
    ['9.255.255.255'],
    ['11.0.0.0'],
    ['126.255.255.255'],
    ['128.0.0.0'],
    ['192.0.1.0'],
    ['192.167.255.255'],
    ['192.169.0.0'],
    ['198.17.255.255'],
    ['198.20.0.0'],
    ['223.255.255.255'],
    ['::ffff:8.8.8.8'],
    ['2001:4860:4860::8888'],
    ['2003::1'],
    ['2a00:1450::1'],
  ])('allows %s, just outside them', (address) => {
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

  it.each(['0x7f.1', '2130706433', '017700000001', '127.1'])('sees %s as 127.0.0.1 once the URL parser has normalised it', (host) => {
    expect(literalAddress(new URL(`http://${host}/`).hostname)?.toString()).toBe('127.0.0.1');
  });
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

  it.each(['', 'host/path', 'user@host:5000', 'host:99999', 'http://host:5000', 'foo.123'])('rejects entry %j', (entry) => {
    expect(() => createHostAllowlist([entry])).toThrow(RangeError);
  });
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
