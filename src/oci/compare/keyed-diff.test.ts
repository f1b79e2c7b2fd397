import { describe, expect, it } from 'vitest';
import { byCodeUnit, countChanged, diffRecords, diffSets } from './keyed-diff';

describe('diffRecords', () => {
  it('says for every key of either side whether B added, removed, changed or kept it', () => {
    const changes = diffRecords(
      { 'org.opencontainers.image.version': '1.0', maintainer: 'a', keep: 'x' },
      { 'org.opencontainers.image.version': '1.1', keep: 'x', 'org.opencontainers.image.revision': 'abc' },
    );
    expect(changes).toEqual([
      { key: 'keep', status: 'same', a: 'x', b: 'x' },
      { key: 'maintainer', status: 'removed', a: 'a' },
      { key: 'org.opencontainers.image.revision', status: 'added', b: 'abc' },
      { key: 'org.opencontainers.image.version', status: 'changed', a: '1.0', b: '1.1' },
    ]);
    expect(countChanged(changes)).toBe(3);
  });

  it('treats a missing record as empty and keeps an empty string apart from an absent key', () => {
    expect(diffRecords(undefined, { a: '' })).toEqual([{ key: 'a', status: 'added', b: '' }]);
    expect(diffRecords({ a: '' }, undefined)).toEqual([{ key: 'a', status: 'removed', a: '' }]);
    expect(diffRecords(undefined, undefined)).toEqual([]);
  });

  it('does not mistake inherited object keys for entries', () => {
    expect(diffRecords({}, { constructor: 'x' })).toEqual([{ key: 'constructor', status: 'added', b: 'x' }]);
    expect(diffRecords({ toString: 'x' }, {})).toEqual([{ key: 'toString', status: 'removed', a: 'x' }]);
  });
});

describe('diffSets', () => {
  it('lists members of either set, sorted, as added, removed or same', () => {
    expect(diffSets(['8080/tcp', '53/udp'], ['8080/tcp', '443/tcp'])).toEqual([
      { key: '443/tcp', status: 'added', b: '443/tcp' },
      { key: '53/udp', status: 'removed', a: '53/udp' },
      { key: '8080/tcp', status: 'same', a: '8080/tcp', b: '8080/tcp' },
    ]);
  });
});

describe('byCodeUnit', () => {
  it('orders like sort in the C locale: upper case before lower case', () => {
    expect(['b', 'B', 'a', 'A'].sort(byCodeUnit)).toEqual(['A', 'B', 'a', 'b']);
  });
});
