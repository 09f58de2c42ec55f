import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { attackerConnection, createTestLocker, drain, observeMembers, type TestLocker } from './test-locker.js';

let test: TestLocker;
afterEach(() => test.cleanup());

const observe = async (logins: string[]) => (await observeMembers(test, logins)).recordSet;

const DAY_ONE = Array.from({ length: 3000 }, (_, i) => `user${i}`);
// Day two: 40 leavers and 40 joiners, so its set is stored as a change to day one's.
const DAY_TWO = [...DAY_ONE.slice(40), ...Array.from({ length: 40 }, (_, i) => `joiner${i}`)];
// Day three, a change to day two's: day two's leavers come back, 20 of its joiners and 30 others leave.
const DAY_THREE = [...DAY_ONE.slice(30), ...Array.from({ length: 20 }, (_, i) => `joiner${i + 20}`)];

function setKinds(dir: string): string[] {
  const db = new Database(join(dir, 'locker.db'), { readonly: true });
  try {
    return db.prepare('SELECT kind FROM record_sets ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('record sets read as streams', () => {
  it('streams the same canonical bytes as the whole read, for a whole set and changes to it, in several chunks', async () => {
    test = await createTestLocker();
    const sets = [await observe(DAY_ONE), await observe(DAY_TWO), await observe(DAY_THREE)];
    // A whole set and a chain of two changes: each change is applied bit by bit to the marks.
    expect(setKinds(test.dir)).toEqual(['whole', 'delta', 'delta']);
    for (const set of sets) {
      const chunks = await drain(test.locker.readObjectChunks(set));
      // 3,000 hashes are about 200 KB of JSON: more than one chunk, so the joins between chunks are exercised.
      expect(chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(chunks).equals(await test.locker.readObject(set))).toBe(true);
    }
  });

  it('gives the distinct records of several sets once each, in hash order, as stored', async () => {
    test = await createTestLocker();
    const sets = [await observe(DAY_ONE), await observe(DAY_TWO)];
    const members = new Set<string>();
    for (const set of sets) for (const hash of JSON.parse((await test.locker.readObject(set)).toString('utf8')) as string[]) members.add(hash);
    const records = await drain(test.locker.setRecords(sets));
    expect(records.map((record) => record.hash)).toEqual([...members].sort());
    expect(records).toHaveLength(3040);
    const logins = new Set(records.map((record) => (JSON.parse(record.json) as { key: string }).key));
    expect(logins.size).toBe(3040);
    expect(logins.has('user0')).toBe(true);
    expect(logins.has('joiner39')).toBe(true);
  });

  it('fails after the last chunk when a member row is gone, naming it as the whole read does', async () => {
    test = await createTestLocker();
    const set = await observe(DAY_ONE.slice(0, 100));
    const db = attackerConnection(test.dir);
    // A row inside the set: the last one would fail the decode already (beyond the last record row).
    const rowid = db.prepare('SELECT MIN(rowid) + 50 FROM records').pluck().get() as number;
    db.prepare('DELETE FROM records WHERE rowid = ?').run(rowid);
    db.close();
    await expect(drain(test.locker.readObjectChunks(set))).rejects.toThrow(`record set ${set} lists record row(s) ${rowid} that are missing from the records table`);
  });

  it('fails when a member hash was altered, so the bytes no longer hash to the set name', async () => {
    test = await createTestLocker();
    const set = await observe(DAY_ONE.slice(0, 100));
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE records SET hash = '0000000000000000000000000000000000000000000000000000000000000000' WHERE rowid = (SELECT MIN(rowid) FROM records)").run();
    db.close();
    await expect(drain(test.locker.readObjectChunks(set))).rejects.toThrow(`record set ${set} is altered`);
  });
});
