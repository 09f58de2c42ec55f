/**
 * `verify` reads rows in batches, looks up rowids by range and hashes sets
 * without canonicalizing them; these tests hold those fast paths to the
 * meaning they replace, on lockers large enough to cross every batch edge.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { hashCanonical } from '@evidentia/evidence';
import { hashesOfRowids } from './compact-sets.js';
import { setHashOf } from './record-sets.js';
import { attackerConnection, collect, createTestLocker, ONE_DAY, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const hex = (i: number) => createHash('sha256').update(`member ${i}`).digest('hex');

describe('setHashOf', () => {
  it('is the SHA-256 of the canonical JSON of the sorted list, empty, short and across chunks', () => {
    for (const size of [0, 1, 1024, 2500]) {
      const sorted = Array.from({ length: size }, (_, i) => hex(i)).sort();
      expect(setHashOf(sorted)).toBe(hashCanonical(sorted).hash);
    }
  });

  it('canonicalizes a list whose members are not hex hashes (a tampered column)', () => {
    const odd = [hex(1), 'a"b\\c\u2028', hex(2).toUpperCase()];
    expect(setHashOf(odd)).toBe(hashCanonical(odd).hash);
  });
});

describe('hashesOfRowids', () => {
  it('gives what one lookup per rowid gives, for dense, sparse, unordered and missing rowids', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE records (hash TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO records (hash) VALUES (?)');
    for (let i = 0; i < 12_000; i++) insert.run(hex(i));
    db.exec('DELETE FROM records WHERE rowid % 997 = 0');
    const oneByOne = (rowids: number[]) => {
      const get = db.prepare('SELECT hash FROM records WHERE rowid = ?').pluck();
      const found = rowids.map((rowid) => get.get(rowid) as string | undefined);
      return { hashes: found.filter((hash) => hash !== undefined).sort(), missing: rowids.filter((_, i) => found[i] === undefined) };
    };
    const dense = Array.from({ length: 11_000 }, (_, i) => i + 500);
    const sparse = Array.from({ length: 400 }, (_, i) => 1 + i * 29);
    const unordered = [9000, 3, 8999, 12_500, 4, 9001, 1994, 2];
    for (const rowids of [dense, sparse, unordered, [], [20_000]]) expect(hashesOfRowids(db, rowids)).toEqual(oneByOne(rowids));
    db.close();
  });
});

describe('verify over batches', () => {
  /** 5,000 members (over two row batches and two rowid ranges), then two thirds of them a day later (new records: they rest on a new snapshot). */
  async function largeLocker(): Promise<TestLocker> {
    const created = await createTestLocker();
    const logins = Array.from({ length: 5000 }, (_, i) => `user${i}`);
    await collect(created.locker, logins, [['PR_1', 'first']]);
    created.clock.advance(ONE_DAY);
    await collect(created.locker, logins.filter((_, i) => i % 3 !== 0), [['PR_2', 'second']], '2025-03-02T00:00:00.000Z');
    return created;
  }

  it('a locker written by the writer verifies', async () => {
    test = await largeLocker();
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    expect(report.counts.records).toBe(5000 + 1 + 3333 + 1);
  });

  it('names a record altered in a later batch and index rows changed for it, and nothing else', async () => {
    test = await largeLocker();
    const db = attackerConnection(test.dir);
    const target = db.prepare('SELECT hash FROM records WHERE rowid = 4321').pluck().get() as string;
    const other = db.prepare('SELECT hash FROM records WHERE rowid = 77').pluck().get() as string;
    db.prepare("UPDATE records SET json = replace(json, '\"displayName\":\"', '\"displayName\":\"x') WHERE hash = ?").run(target);
    db.prepare("DELETE FROM record_controls WHERE record_hash = ? AND control = 'CC6.2'").run(other);
    db.prepare("INSERT INTO record_controls (control, record_hash) VALUES ('CC9.9', ?)").run(target);
    db.close();
    const problems = (await test.locker.verify()).problems.map((problem) => `${problem.code}: ${problem.message}`);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^record-altered: record ${target} .*now hashes to`)),
        `record-altered: record ${other} claims control CC6.2 but the control index does not list it`,
        `record-altered: the control index links record ${target} to control CC9.9, which the record does not claim`,
      ]),
    );
  });
});
