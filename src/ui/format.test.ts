import { describe, expect, it } from 'vitest';
import {
  abbreviateDigest,
  countOf,
  describeDate,
  exactBytes,
  formatBytes,
  formatDuration,
  formatRate,
  formatRelative,
  formatUtc,
  groupDigits,
  parseTimestamp,
} from './format';

const SHA = 'sha256:9fab6300000000000000000000000000000000000000000000000000000004ffa';

describe('groupDigits', () => {
  it.each<[number, number, string]>([
    [0, 0, '0'],
    [999, 0, '999'],
    [1000, 0, '1,000'],
    [1234567, 0, '1,234,567'],
    [-1234567, 0, '-1,234,567'],
    [1234.5678, 2, '1,234.57'],
    [1000.1, 2, '1,000.1'],
    [12.0, 2, '12'],
    [Number.NaN, 0, '—'],
  ])('%d (%d decimals) → %s', (value, decimals, text) => {
    expect(groupDigits(value, decimals)).toBe(text);
  });
});

describe('countOf', () => {
  it.each<[number, string, string | undefined, string]>([
    [0, 'match', 'matches', '0 matches'],
    [1, 'match', 'matches', '1 match'],
    [2, 'match', 'matches', '2 matches'],
    [1, 'file', undefined, '1 file'],
    [12345, 'file', undefined, '12,345 files'],
    [3, 'entry', 'entries', '3 entries'],
  ])('%d %s', (count, singular, plural, text) => {
    expect(countOf(count, singular, plural)).toBe(text);
  });
});

describe('formatRate', () => {
  it.each<[number, string]>([
    [830.9178743961353, '831 B/s'],
    [0, '0 B/s'],
    [1536, '1.50 KiB/s'],
    [12.4 * 1024 * 1024, '12.4 MiB/s'],
    [Number.POSITIVE_INFINITY, '—'],
    [-1, '—'],
  ])('%d → %s', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0 ms'],
    [849.6, '850 ms'],
    [1000, '1 s'],
    [4210, '4.2 s'],
    [42_400, '42 s'],
    [185_000, '3 min 5 s'],
    [180_000, '3 min'],
    [7_800_000, '2 h 10 min'],
    [7_200_000, '2 h'],
    [Number.NaN, '—'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('abbreviateDigest', () => {
  it('keeps the algorithm and both ends', () => {
    expect(abbreviateDigest(SHA)).toBe('sha256:9fab63…04ffa');
    expect(abbreviateDigest(`sha512:${'ab'.repeat(64)}`)).toBe('sha512:ababab…babab');
    expect(abbreviateDigest(SHA, 12, 0 + 4)).toBe('sha256:9fab63000000…4ffa');
  });

  it.each(['latest', 'sha256:abc', '', 'not a digest at all', 'sha256:'])('leaves %j as it is', (text) => {
    expect(abbreviateDigest(text)).toBe(text);
  });
});

describe('parseTimestamp (RFC 3339)', () => {
  it.each<[string, number]>([
    ['2026-12-02T01:16:08.078676815Z', Date.UTC(2026, 11, 2, 1, 16, 8, 78)],
    ['2026-12-02T01:16:08Z', Date.UTC(2026, 11, 2, 1, 16, 8)],
    ['2026-12-02t01:16:08.5z', Date.UTC(2026, 11, 2, 1, 16, 8, 500)],
    ['2026-12-02T03:16:08+02:00', Date.UTC(2026, 11, 2, 1, 16, 8)],
    ['2026-12-01T20:16:08-05:00', Date.UTC(2026, 11, 2, 1, 16, 8)],
    ['1970-01-01T00:00:00Z', 0],
    ['2016-12-31T23:59:60Z', Date.UTC(2016, 11, 31, 23, 59, 59)],
  ])('%s', (text, ms) => {
    expect(parseTimestamp(text)).toEqual({ ms, exact: text });
  });

  it.each(['', 'yesterday', '2026-12-02', '2026-13-02T00:00:00Z', '2026-02-30T00:00:00Z', '2026-12-02T24:00:00Z', '2026-12-02T01:16:08'])(
    'refuses %j',
    (text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    },
  );
});

describe('dates in words', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);

  it('formats in UTC, the same for every reader of a link', () => {
    expect(formatUtc(Date.UTC(2026, 11, 2, 1, 16, 8))).toBe('2 Dec 2026, 01:16 UTC');
  });

  it.each<[number, string]>([
    [now - 5_000, 'just now'],
    [now - 45_000, '45 seconds ago'],
    [now - 60_000, '1 minute ago'],
    [now - 3 * 3_600_000, '3 hours ago'],
    [now - 86_400_000, '1 day ago'],
    [now - 40 * 86_400_000, '1 month ago'],
    [now - 800 * 86_400_000, '2 years ago'],
    [now + 2 * 3_600_000, 'in 2 hours'],
  ])('%d → %s', (ms, text) => {
    expect(formatRelative(ms, now)).toBe(text);
  });

  it('says when and how long ago, keeping the exact text', () => {
    expect(describeDate('2026-12-02T01:16:08.078676815Z', now)).toEqual({
      text: '2 Dec 2026, 01:16 UTC (3 days ago)',
      exact: '2026-12-02T01:16:08.078676815Z',
      iso: '2026-12-02T01:16:08.078Z',
      epoch: false,
    });
  });

  it('names the epoch for what it is', () => {
    const words = describeDate('1970-01-01T00:00:00Z', now);
    expect(words.epoch).toBe(true);
    expect(words.text).toMatch(/Unix epoch/);
    expect(words.text).not.toMatch(/ago/);
  });

  it('shows what is not a timestamp as written', () => {
    expect(describeDate('last tuesday', now)).toEqual({ text: 'last tuesday', exact: 'last tuesday', epoch: false });
  });
});

describe('sizes', () => {
  it.each<[number, string, string]>([
    [0, '0 B', '0 bytes'],
    [1, '1 B', '1 byte'],
    [718, '718 B', '718 bytes'],
    [3_590_144, '3.42 MiB', '3,590,144 bytes'],
    [Number.NaN, '—', 'unknown size'],
  ])('%d → %s, exactly %s', (bytes, human, exact) => {
    expect(formatBytes(bytes)).toBe(human);
    expect(exactBytes(bytes)).toBe(exact);
  });
});
