import { describe, it, expect } from '@jest/globals';
import { seededRandom } from '@evidentia/testing';
import { decodeDelta, encodeDelta } from './byte-delta.js';

function roundTrip(base: Buffer, target: Buffer): Buffer {
  const delta = encodeDelta(base, target);
  expect(decodeDelta(base, delta).equals(target)).toBe(true);
  return delta;
}

function randomBytes(random: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}

/** Apply a few random inserts, deletions and replacements at random places. */
function edit(random: () => number, base: Buffer, edits: number): Buffer {
  let bytes = base;
  for (let n = 0; n < edits; n++) {
    const at = Math.floor(random() * (bytes.length + 1));
    const removed = Math.floor(random() * 40);
    const inserted = randomBytes(random, Math.floor(random() * 40));
    bytes = Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(Math.min(bytes.length, at + removed))]);
  }
  return bytes;
}

const user = (id: number, title = `Engineer ${id % 7}`) => ({ id, login: `user-${id}`, email: `user-${id}@example.com`, title, groups: ['staff', `team-${id % 13}`], active: true });
const page = (items: unknown[]) => Buffer.from(JSON.stringify({ items, next: 'page-2' }));

describe('encodeDelta / decodeDelta', () => {
  it('round-trips seeded random edits of text and of binary input', () => {
    const random = seededRandom(12);
    for (let trial = 0; trial < 150; trial++) {
      const binary = trial % 2 === 0;
      const base = binary ? randomBytes(random, Math.floor(random() * 5000)) : page(Array.from({ length: Math.floor(random() * 60) }, (_, i) => user(i)));
      const target = edit(random, base, Math.floor(random() * 6));
      roundTrip(base, target);
    }
  });

  it('stores one changed item of a JSON page as about that item', () => {
    const items = Array.from({ length: 200 }, (_, i) => user(i));
    const base = page(items);
    const changed = items.map((item, i) => (i === 117 ? user(i, 'Director of Security') : item));
    const delta = roundTrip(base, page(changed));
    expect(base.length).toBeGreaterThan(20_000);
    expect(delta.length).toBeLessThan(JSON.stringify(user(117, 'Director of Security')).length);
  });

  it('stores a page shifted by an item added ahead of it as about the new item', () => {
    const items = Array.from({ length: 200 }, (_, i) => user(i + 1));
    const shifted = [user(5000, 'New hire'), ...items.slice(0, -1)];
    const delta = roundTrip(page(items), page(shifted));
    expect(delta.length).toBeLessThan(JSON.stringify(user(5000, 'New hire')).length + 32);
  });

  it('stores one changed line of a 5,000-line CSV in under 1 KB', () => {
    const line = (i: number, role = 'member') => `${i},user-${i}@example.com,User Number ${i},${role},2024-01-${String((i % 28) + 1).padStart(2, '0')},active,team-${i % 17},office-${i % 5}`;
    const lines = Array.from({ length: 5000 }, (_, i) => line(i));
    const base = Buffer.from(`${lines.join('\n')}\n`);
    lines[2750] = line(2750, 'administrator');
    const delta = roundTrip(base, Buffer.from(`${lines.join('\n')}\n`));
    expect(base.length).toBeGreaterThan(400_000);
    expect(delta.length).toBeLessThan(1024);
  });

  it('stores a binary blob with a few bytes replaced as about those bytes', () => {
    const random = seededRandom(7);
    const base = randomBytes(random, 100_000);
    const target = Buffer.from(base);
    target.set(randomBytes(random, 10), 60_000);
    expect(roundTrip(base, target).length).toBeLessThan(64);
  });

  it('handles an empty base, an empty target and both empty', () => {
    const body = page([user(1), user(2)]);
    expect(roundTrip(Buffer.alloc(0), body).length).toBeLessThan(body.length + 8);
    expect(roundTrip(body, Buffer.alloc(0)).length).toBeLessThan(8);
    roundTrip(Buffer.alloc(0), Buffer.alloc(0));
    roundTrip(Buffer.from('short'), Buffer.from('shorter'));
  });

  it('handles highly repetitive input (many blocks with the same hash)', () => {
    const base = Buffer.alloc(300_000, 'ab');
    const target = Buffer.concat([base.subarray(0, 150_001), Buffer.from('X'), base.subarray(150_001)]);
    expect(roundTrip(base, target).length).toBeLessThan(32);
    expect(roundTrip(Buffer.alloc(100_000), Buffer.alloc(250_000)).length).toBeLessThan(64);
  });

  it('is deterministic', () => {
    const items = Array.from({ length: 100 }, (_, i) => user(i));
    const target = page([user(999), ...items.slice(3)]);
    expect(encodeDelta(page(items), target).equals(encodeDelta(page(items), target))).toBe(true);
  });

  it('refuses a delta applied to another base, or cut short, saying why', () => {
    const base = page(Array.from({ length: 50 }, (_, i) => user(i)));
    const target = page(Array.from({ length: 50 }, (_, i) => user(i + 1)));
    const delta = encodeDelta(base, target);
    expect(() => decodeDelta(base.subarray(1), delta)).toThrow(/made against a base of \d+ bytes, the base has \d+/);
    expect(() => decodeDelta(base, delta.subarray(0, delta.length - 3))).toThrow(/past the end|rebuilds \d+ of the \d+ bytes/);
  });
});
