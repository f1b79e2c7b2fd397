/**
 * Text the way people read it: sizes human-sized with the exact count kept for titles, counts
 * with their noun in the right number, rates and durations rounded, dates in words with the exact value kept for a title, digests shortened to what the
 * eye compares (the start and the end). Pure functions, so every page says things the same way
 * and the rules are tested once.
 *
 * Numbers are grouped by hand rather than with `toLocaleString`: a tab's first Intl number
 * format starts ICU's locale data on the main thread, which showed as the largest self time of
 * the first view in a CPU profile of bench/first-view-bench.ts, and en-US grouping is all we show.
 */
/** 1234567 → "1,234,567"; non-integers keep up to `decimals` places. */
export function groupDigits(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '—';
  const [whole = '', fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = fraction?.replace(/0+$/, '');
  return `${value < 0 ? '-' : ''}${grouped}${trimmed ? `.${trimmed}` : ''}`;
}

/** Sizes the way people read them: "718 B", "3.42 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

/** The exact count, for titles and proofs: "3,590,144 bytes", "1 byte". */
export function exactBytes(bytes: number): string {
  return Number.isFinite(bytes) ? countOf(bytes, 'byte') : 'unknown size';
}

/** "1 match", "2 matches", "1,024 files": `plural` defaults to the singular plus "s". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${groupDigits(count)} ${count === 1 ? singular : plural}`;
}

/** Bytes per second, rounded like sizes: "831 B/s", "12.4 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '—';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** A duration in milliseconds as a person says it: "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1).replace(/\.0$/, '') : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return totalSeconds % 60 ? `${minutes} min ${totalSeconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

/**
 * `sha256:9fab63…04ffa`: the algorithm, the first `head` and the last `tail` characters of the
 * encoded part. Comparing two digests by eye means comparing both ends; the full value stays
 * one tap away wherever this is shown. Anything that is not a digest, or too short to shorten,
 * comes back unchanged.
 */
export function abbreviateDigest(digest: string, head = 6, tail = 5): string {
  const match = DIGEST.exec(digest);
  if (!match) return digest;
  const encoded = match[2]!;
  if (encoded.length <= head + tail + 1) return digest;
  return `${match[1]}:${encoded.slice(0, head)}…${encoded.slice(-tail)}`;
}

/** A timestamp read from an RFC 3339 string, with its fractional seconds beyond milliseconds kept as written. */
export interface ParsedTimestamp {
  /** Milliseconds since the epoch (UTC). */
  ms: number;
  /** The text as it was written, for titles and copying. */
  exact: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * RFC 3339 as image configs write it (`2026-12-02T01:16:08.078676815Z`, Go's RFC3339Nano). Date.parse
 * is not used: what it accepts beyond ISO 8601's profile differs between engines. Undefined for
 * anything else, so the caller shows the text as it is.
 */
export function parseTimestamp(text: string): ParsedTimestamp | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const offset = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offset;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined; // 31 April, 30 February
  return { ms, exact: text.trim() };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2 Dec 2026, 01:16 UTC": unambiguous in every locale, and the same for every reader of a shared link. */
export function formatUtc(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

const UNITS: [limitMs: number, unitMs: number, unit: string][] = [
  [60_000, 1000, 'second'],
  [3_600_000, 60_000, 'minute'],
  [86_400_000, 3_600_000, 'hour'],
  [30 * 86_400_000, 86_400_000, 'day'],
  [365 * 86_400_000, 30 * 86_400_000, 'month'],
  [Number.POSITIVE_INFINITY, 365 * 86_400_000, 'year'],
];

/** "3 days ago", "in 2 hours", "just now" (under 10 s either way). */
export function formatRelative(ms: number, now: number): string {
  const delta = now - ms;
  const distance = Math.abs(delta);
  if (distance < 10_000) return 'just now';
  const [, unitMs, unit] = UNITS.find(([limit]) => distance < limit)!;
  const amount = countOf(Math.floor(distance / unitMs), unit);
  return delta > 0 ? `${amount} ago` : `in ${amount}`;
}

/** What a date reads as on screen, and what its title says. */
export interface DateWords {
  /** "2 Dec 2026, 01:16 UTC (3 days ago)", or the text itself when it is not a timestamp. */
  text: string;
  /** The value exactly as written, for the title and copying. */
  exact: string;
  /** Machine-readable form for `<time dateTime>`, when it parsed. */
  iso?: string;
  /** The Unix epoch itself: reproducible builds write it on purpose. */
  epoch: boolean;
}

/**
 * A registry-written date in words. Time zero gets its own words, because reproducible builds
 * (SOURCE_DATE_EPOCH=0, ko, Bazel, Nix) set it on purpose and "56 years ago" would mislead.
 */
export function describeDate(text: string, now: number): DateWords {
  const parsed = parseTimestamp(text);
  if (!parsed) return { text, exact: text, epoch: false };
  const iso = new Date(parsed.ms).toISOString();
  if (parsed.ms === 0)
    return { text: '1 Jan 1970 (the Unix epoch: a reproducible build’s fixed date)', exact: parsed.exact, iso, epoch: true };
  return { text: `${formatUtc(parsed.ms)} (${formatRelative(parsed.ms, now)})`, exact: parsed.exact, iso, epoch: false };
}
