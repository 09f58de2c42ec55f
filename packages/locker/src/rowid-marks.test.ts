import { describe, expect, it } from '@jest/globals';
import { RowidMarks } from './rowid-marks.js';

describe('RowidMarks', () => {
  it('holds exactly the rowids marked, across growth, and refuses rowids it keeps no bits for', () => {
    const marks = new RowidMarks();
    expect(marks.mark([1, 7, 8, 9000, 123_457])).toBe(true);
    for (const rowid of [1, 7, 8, 9000, 123_457]) expect(marks.has(rowid)).toBe(true);
    for (const rowid of [0, 2, 6, 9, 8999, 9001, 123_456, 123_458, 10_000_000, -1]) expect(marks.has(rowid)).toBe(false);
    // One rowid beyond the bits makes the whole list go to the hash table: nothing of it is marked.
    expect(marks.mark([5, 2 ** 31 + 1])).toBe(false);
    expect(marks.has(5)).toBe(false);
    expect(marks.has(2 ** 31 + 1)).toBe(false);
  });

  it('refuses rowid 2^31 rather than saying it marked it: its byte index (rowid >> 3) is negative in 32-bit arithmetic', () => {
    const marks = new RowidMarks();
    expect(marks.mark([3, 2 ** 31])).toBe(false);
    expect(marks.has(3)).toBe(false);
  });
});
