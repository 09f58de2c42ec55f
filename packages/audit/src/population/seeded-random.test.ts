/** The seeded sampling generator: reproducible, documented, unbiased. */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { sampleRows, SeededRandom } from './seeded-random.js';

describe('seeded sampling', () => {
  it('draws from SHA-256 of "<seed>:<counter>", as documented, so anyone can reproduce it', () => {
    const expected = createHash('sha256').update('audit-2026:0').digest().readBigUInt64BE(0);
    expect(new SeededRandom('audit-2026').next()).toBe(expected);
  });

  it('gives the same sample for the same seed and a different one for another seed', () => {
    const first = sampleRows(1000, 25, 'audit-2026');
    expect(sampleRows(1000, 25, 'audit-2026')).toEqual(first);
    expect(sampleRows(1000, 25, 'audit-2027')).not.toEqual(first);
    expect(new Set(first).size).toBe(25);
    expect(first.every((row) => row >= 1 && row <= 1000)).toBe(true);
  });

  it('takes the whole population, shuffled, when the sample is as large as it', () => {
    expect(sampleRows(5, 10, 's').sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sampleRows(0, 3, 's')).toEqual([]);
  });

  it('is unbiased enough that every row is picked about equally often', () => {
    const counts = new Array<number>(10).fill(0);
    for (let trial = 0; trial < 2000; trial++) for (const row of sampleRows(10, 1, `seed-${trial}`)) counts[row - 1]!++;
    for (const count of counts) expect(count).toBeGreaterThan(140);
  });
});
