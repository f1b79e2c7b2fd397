import { describe, expect, it } from 'vitest';
import { chooseEncoding, type StaticEncoding } from './content-encoding.ts';

const both: StaticEncoding[] = ['br', 'gzip'];

describe('chooseEncoding (RFC 9110 §12.5.3)', () => {
  it.each<[string | null | undefined, StaticEncoding[], StaticEncoding | undefined]>([
    // What browsers send.
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip, deflate, br', ['gzip'], 'gzip'],
    ['gzip, deflate', both, 'gzip'],
    // No header: clients that send none (curl, scripts) get the file itself.
    [undefined, both, undefined],
    [null, both, undefined],
    // An empty value asks for identity only.
    ['', both, undefined],
    // Weights, case and whitespace.
    ['br;q=1.0, gzip;q=0.5', both, 'br'],
    ['BR ; Q=0.2 , GZip;q=0.8', both, 'gzip'],
    ['gzip;q=0', both, undefined],
    ['br;q=0, gzip', both, 'gzip'],
    ['br;q=0.000', ['br'], undefined],
    // x-gzip is gzip.
    ['x-gzip', both, 'gzip'],
    // The wildcard stands for codings not named.
    ['*', both, 'br'],
    ['*;q=0.5, br;q=0', both, 'gzip'],
    ['*;q=0', both, undefined],
    // A client preferring identity over every variant gets identity.
    ['identity;q=1, br;q=0.3', both, undefined],
    ['identity;q=0.1, br', both, 'br'],
    // Malformed weights disqualify their member rather than win.
    ['br;q=high, gzip;q=0.1', both, 'gzip'],
    ['br;q=2', both, undefined],
    ['br;q=1.5, gzip;q=0.9', both, 'gzip'],
    // Only what was built can be sent.
    ['br', ['gzip'], undefined],
    ['gzip, br', [], undefined],
  ])('%j with %j built → %s', (header, available, expected) => {
    expect(chooseEncoding(header, available)).toBe(expected);
  });
});
