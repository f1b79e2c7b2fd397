/**
 * Which entry of one index corresponds to which entry of another: the same platform. Platforms
 * are matched by os/architecture/variant, the triple `--platform` names, after the defaults
 * container runtimes fill in (containerd's platforms.Normalize: arm64 is v8 and amd64 is v1 when
 * no variant is given, 32-bit arm is v7), so `linux/arm64` in one index meets `linux/arm64/v8` in
 * the other. Windows indexes list one os/arch several times for different `os.version`s; those
 * pair up by os.version first and by order after.
 */
import { type Descriptor, type Platform, formatPlatform } from '../spec/descriptor';

/** The variant a runtime assumes when none is written, per architecture. */
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', amd64: 'v1', arm: 'v7' };

/** Names people and `uname -m` use that mean a GOARCH value. */
const ARCH_ALIASES: Record<string, string> = { aarch64: 'arm64', x86_64: 'amd64', 'x86-64': 'amd64', armhf: 'arm' };

/** os/architecture/variant with defaults applied and case folded: equal keys run on the same machines. */
export function platformKey(platform: Platform): string {
  const os = platform.os.toLowerCase();
  const architecture = ARCH_ALIASES[platform.architecture.toLowerCase()] ?? platform.architecture.toLowerCase();
  const variant = (platform.variant ?? DEFAULT_VARIANT[architecture] ?? '').toLowerCase();
  return `${os}/${architecture}/${variant}`;
}

/** Whether two platforms are the same for matching purposes. */
export function samePlatform(a: Platform, b: Platform): boolean {
  return platformKey(a) === platformKey(b);
}

export interface MatchedPair<T> {
  a?: T;
  b?: T;
}

/**
 * Pairs items of A with items of B that share a key, in A's order, followed by B's leftovers in
 * B's order. Within a key, `prefer` picks the partner first (e.g. equal os.version); the rest pair
 * by position.
 */
export function pairByKey<T>(
  a: readonly T[],
  b: readonly T[],
  keyOf: (item: T) => string,
  prefer: (x: T, y: T) => boolean = () => false,
): MatchedPair<T>[] {
  const pool = new Map<string, T[]>();
  for (const item of b) {
    const key = keyOf(item);
    const list = pool.get(key);
    if (list) list.push(item);
    else pool.set(key, [item]);
  }
  const taken = new Set<T>();
  const pairs: MatchedPair<T>[] = [];
  for (const item of a) {
    const candidates = (pool.get(keyOf(item)) ?? []).filter((c) => !taken.has(c));
    const partner = candidates.find((c) => prefer(item, c)) ?? candidates[0];
    if (partner !== undefined) taken.add(partner);
    pairs.push(partner === undefined ? { a: item } : { a: item, b: partner });
  }
  for (const item of b) if (!taken.has(item)) pairs.push({ b: item });
  return pairs;
}

/** Index entries paired by platform; entries without a platform are left to the caller. */
export function pairByPlatform(a: readonly Descriptor[], b: readonly Descriptor[]): MatchedPair<Descriptor>[] {
  return pairByKey(
    a,
    b,
    (d) => (d.platform ? platformKey(d.platform) : ''),
    (x, y) => x.platform?.osVersion === y.platform?.osVersion,
  );
}

/**
 * The entry of an index that runs where `platform` runs, when there is exactly one obvious
 * choice: the single entry matching it (os.version breaking ties), or, without a platform to go
 * by, the only entry there is. Undefined says a person has to pick.
 */
export function entryForPlatform(entries: readonly Descriptor[], platform: Platform | undefined): Descriptor | undefined {
  if (platform === undefined) return entries.length === 1 ? entries[0] : undefined;
  const key = platformKey(platform);
  const matching = entries.filter((d) => d.platform && platformKey(d.platform) === key);
  if (matching.length <= 1) return matching[0];
  const sameVersion = matching.filter((d) => d.platform?.osVersion === platform.osVersion);
  return sameVersion.length === 1 ? sameVersion[0] : undefined;
}

/** How a platform is written on the page: `linux/arm/v7`, plus the Windows build when there is one. */
export function platformLabel(platform: Platform | undefined): string {
  if (platform === undefined) return 'no platform';
  return platform.osVersion ? `${formatPlatform(platform)} (${platform.osVersion})` : formatPlatform(platform);
}

/**
 * `linux/arm64`, `linux/arm/v7` (what `platformLabel` writes, without a Windows build) read back;
 * undefined for anything that is not two or three non-empty parts.
 */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}
