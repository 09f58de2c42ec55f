import { describe, expect, it } from '@jest/globals';
import { EmittedRecords } from './emitted-records.js';

const hashA = 'a'.repeat(64);
const hashB = `${'a'.repeat(13)}${'b'.repeat(51)}`;
const hashC = `c${'a'.repeat(63)}`;

describe('EmittedRecords', () => {
  it('tells a new item, the same record again and another version apart, per kind', () => {
    const emitted = new EmittedRecords();
    expect(emitted.note('k.one', 'x', hashA)).toBe('new');
    expect(emitted.note('k.one', 'x', hashA)).toBe('same');
    expect(emitted.note('k.one', 'x', hashC)).toBe('changed');
    expect(emitted.note('k.one', 'x', hashA)).toBe('changed');
    // The same key under another kind is another item.
    expect(emitted.note('k.two', 'x', hashA)).toBe('new');
    expect(emitted.size).toBe(2);
    expect([...emitted.identities()]).toEqual([
      { kind: 'k.one', key: 'x' },
      { kind: 'k.two', key: 'x' },
    ]);
  });

  it('compares the first 52 bits of the hash', () => {
    const emitted = new EmittedRecords();
    emitted.note('k', 'x', hashA);
    expect(emitted.note('k', 'x', hashB)).toBe('same');
  });

  it('refuses what is not a hex hash', () => {
    expect(() => new EmittedRecords().note('k', 'x', 'not-a-hash-at-all')).toThrow(/not a hex hash/);
  });
});
