import { describe, expect, it } from '@jest/globals';
import { decodeRowids, encodeRowids } from './rowid-list.js';

describe('rowid lists', () => {
  it('round-trips runs, scattered rowids, large rowids and the empty list', () => {
    const lists = [[], [1], [1, 2, 3, 4], [5, 7, 9], [3, 4, 10, 11, 12, 200, 201, 90_000_000_000], Array.from({ length: 1000 }, (_, i) => 17 + i * 3)];
    for (const list of lists) expect(decodeRowids(encodeRowids(list), Number.MAX_SAFE_INTEGER)).toEqual(list);
  });

  it('writes a run of consecutive rowids in a few bytes, whatever its length', () => {
    const day = Array.from({ length: 3000 }, (_, i) => 1_200_001 + i);
    expect(encodeRowids(day).length).toBeLessThanOrEqual(6);
    expect(decodeRowids(encodeRowids(day), 1_203_000)).toEqual(day);
  });

  it('refuses a list that is not sorted ascending without duplicates', () => {
    expect(() => encodeRowids([3, 2])).toThrow('got 2 after 3');
    expect(() => encodeRowids([3, 3])).toThrow('got 3 after 3');
    expect(() => encodeRowids([0])).toThrow('positive integers');
  });

  it('names where bytes that are not such a list go wrong', () => {
    expect(() => decodeRowids(Buffer.from([0x82]), 100)).toThrow('truncated number at byte 0 of 1');
    expect(() => decodeRowids(Buffer.from([0x02, 0x01]), 100)).toThrow('a run at byte 1 does not advance');
    // A run of 2 + 200 rowids from 1 reaches 202, beyond the 100 record rows there are.
    expect(() => decodeRowids(Buffer.from([0x03, 0xc8, 0x01]), 100)).toThrow('a run at byte 0 reaches rowid 202, beyond the last record row 100');
    expect(() => decodeRowids(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Number.MAX_SAFE_INTEGER)).toThrow('number too large at byte 0');
  });
});
