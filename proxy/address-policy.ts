/**
 * Which network addresses the proxy may connect to: the SSRF guard.
 *
 * Every upstream URL is attacker-chosen (registry host, token realm, redirect Location), so an
 * address is allowed only when ipaddr.js classifies it as plain global unicast; everything with
 * a special purpose is refused: loopback, RFC 1918 private, RFC 6598 CGNAT, RFC 3927 link-local
 * (169.254.169.254, the cloud metadata service), 0.0.0.0/8, multicast, 240/4 and the other
 * RFC 6890 special-purpose blocks; IPv6 ::, ::1, ULA fc00::/7, fe80::/10, ff00::/8, and the
 * forms that embed an IPv4 address a gateway or the kernel may route to — IPv4-compatible
 * ::/96 (deprecated), NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32. IPv4-mapped
 * ::ffff:0:0/96 is judged by the IPv4 address it carries. Any other IPv6 address outside
 * 2000::/3, the only block IANA allocates as global unicast, is refused too, so a range
 * ipaddr.js does not name yet cannot pass as plain unicast.
 *
 * Hostnames are judged the way a WHATWG URL parser sees them: `http://0x7f.1/`,
 * `http://2130706433/` and `http://127.1/` all have hostname `127.0.0.1`, so callers pass
 * `URL#hostname` and the numeric IPv4 spellings cannot slip past. `localhost` and
 * `*.localhost` are loopback by RFC 6761 whatever DNS says. Names that need DNS are checked
 * where the address is known: the runtime's upstream fetch (node-fetch.ts).
 *
 * Local registries are reachable only when their `host:port` is in the operator's allowlist.
 */
import ipaddr from 'ipaddr.js';
import { BlockedAddressError } from './errors.ts';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** True when the proxy must not connect to `address`; unparseable input is refused too. */
export function isBlockedAddress(address: string | IpAddress): boolean {
  let parsed: IpAddress;
  try {
    parsed = typeof address === 'string' ? ipaddr.parse(hexIpv4Tail(address)) : address;
  } catch {
    return true;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isBlockedAddress(v6.toIPv4Address());
    if (v6.match(IPV4_COMPATIBLE) || !v6.match(GLOBAL_UNICAST_V6)) return true;
  }
  return parsed.range() !== 'unicast';
}

const DOTTED_IPV4_TAIL = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/;

/**
 * Rewrites an IPv6 address's dotted IPv4 tail in hex: ipaddr.js reads any `::a.b.c.d` as
 * IPv4-mapped `::ffff:a.b.c.d`, but `::8.8.8.8` is IPv4-compatible, and that is how the system
 * resolver (inet_ntop) prints such AAAA answers. Out-of-range octets are left for parse to refuse.
 */
function hexIpv4Tail(address: string): string {
  const match = DOTTED_IPV4_TAIL.exec(address);
  if (match === null) return address;
  const [a, b, c, d] = match.slice(2, 6).map(Number) as [number, number, number, number];
  if ([a, b, c, d].some((octet) => octet > 255)) return address;
  const hex = (high: number, low: number): string => ((high << 8) | low).toString(16);
  return `${match[1]}${hex(a, b)}:${hex(c, d)}${match[6] ?? ''}`;
}

/**
 * The IP address a URL hostname denotes literally, or undefined when it is a name.
 * `hostname` must come from a parsed URL (IPv4 already canonical, IPv6 in brackets).
 */
export function literalAddress(hostname: string): IpAddress | undefined {
  if (hostname.startsWith('[') && hostname.endsWith(']')) {
    const inner = hostname.slice(1, -1);
    return ipaddr.IPv6.isValid(inner) ? ipaddr.IPv6.parse(inner) : undefined;
  }
  return ipaddr.IPv4.isValidFourPartDecimal(hostname) ? ipaddr.IPv4.parse(hostname) : undefined;
}

/** RFC 6761 §6.3: `localhost` and every name under it is loopback. */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Loopback by name or by literal address (IPv4-mapped forms included). */
export function isLoopbackHostname(hostname: string): boolean {
  if (isLocalhostName(hostname)) return true;
  const address = literalAddress(hostname);
  if (address === undefined) return false;
  const v4 =
    address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
  return v4.range() === 'loopback';
}

const ALLOWLIST_ENTRY = /^(\[[0-9a-fA-F:.]+\]|[^\s/\\:@?#[\]]+)(?::(\d{1,5}))?$/;

/** Operator-approved `host:port` pairs that skip the address checks (local registries). */
export interface HostAllowlist {
  allows(url: URL): boolean;
}

/**
 * Builds the allowlist from `host:port` entries (OCISCOPE_ALLOW_HOSTS). Entries are normalised
 * by the URL parser like the URLs they are compared with; an entry without a port stands for
 * the default ports 80 and 443. Throws RangeError on an entry that is not a bare host[:port].
 */
export function createHostAllowlist(entries: readonly string[]): HostAllowlist {
  const allowed = new Set<string>();
  for (const entry of entries) {
    const match = ALLOWLIST_ENTRY.exec(entry);
    const port = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match?.[1] || (port !== undefined && (port < 1 || port > 65535))) {
      throw new RangeError(`Allowed host "${entry}" is not a host[:port].`);
    }
    let hostname: string;
    try {
      hostname = new URL(`http://${match[1]}/`).hostname;
    } catch {
      throw new RangeError(`Allowed host "${entry}" is not a host[:port].`);
    }
    for (const each of port === undefined ? [80, 443] : [port]) allowed.add(`${hostname}:${each}`);
  }
  return {
    allows(url) {
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return allowed.has(`${url.hostname}:${port}`);
    },
  };
}

/**
 * Refuses a hop whose host is loopback by name or a blocked literal address, unless allowlisted.
 * Hostnames that need DNS pass here; the upstream fetch vets the addresses they resolve to.
 */
export function assertHostAllowed(url: URL, allowlist: HostAllowlist): void {
  if (allowlist.allows(url)) return;
  if (isLocalhostName(url.hostname)) {
    throw new BlockedAddressError({ host: url.host, address: '127.0.0.1' });
  }
  const address = literalAddress(url.hostname);
  if (address !== undefined && isBlockedAddress(address)) {
    throw new BlockedAddressError({ host: url.host, address: address.toString() });
  }
}
