/**
 * `verify` reads rows in batches, looks up rowids by range and hashes sets
 * without canonicalizing them; these tests hold those fast paths to the
 * meaning they replace, on lockers large enough to cross every batch edge.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { hashCanonical } from '@evidentia/evidence';
import { hashesOfRowids } from './compact-sets.js';
import { merkleRoot } from './merkle.js';
import { ObjectStore } from './objects.js';
import { decodeRowids, encodeRowids } from './rowid-list.js';
import { setHashOf } from './record-sets.js';
import { account, attackerConnection, beginTestRun, createTestLocker, MEMBERS, ONE_DAY, provenance, type TestLocker } from './test-locker.js';

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
    // Altered hash columns that SQLite (UTF-8 bytes) and JavaScript (UTF-16 units) order differently.
    for (const odd of ['\uffff', '\u{1f600}', 'zz\u00e9']) insert.run(odd);
    db.exec('DELETE FROM records WHERE rowid % 997 = 0');
    const oneByOne = (rowids: number[]) => {
      const get = db.prepare('SELECT hash FROM records WHERE rowid = ?').pluck();
      const found = rowids.map((rowid) => get.get(rowid) as string | undefined);
      return { hashes: found.filter((hash) => hash !== undefined).sort(), missing: rowids.filter((_, i) => found[i] === undefined) };
    };
    const dense = Array.from({ length: 11_000 }, (_, i) => i + 500);
    const sparse = Array.from({ length: 400 }, (_, i) => 1 + i * 29);
    const unordered = [9000, 3, 8999, 12_500, 4, 9001, 1994, 2];
    // Every row, so the set is read by walking the hash index: in any order, once with a rowid listed twice.
    const whole = (db.prepare('SELECT rowid FROM records').pluck().all() as number[]).reverse();
    const twice = [...whole, 77];
    for (const rowids of [dense, sparse, unordered, [], [20_000], whole, twice]) expect(hashesOfRowids(db, rowids)).toEqual(oneByOne(rowids));
    db.close();
  });
});

describe('verify over batches', () => {
  /** One run of the members stream: `count` accounts, one snapshot page per 16 (so 5,000 of them make 313 objects). */
  async function pagedRun(locker: TestLocker['locker'], count: number, day: number): Promise<void> {
    const run = await beginTestRun(locker);
    const members = await run.beginStream(MEMBERS);
    let page = '';
    for (let i = 0; i < count; i++) {
      if (i % 16 === 0) {
        const url = `https://api.github.com/orgs/acme/members?page=${i / 16 + 1}`;
        const body = { day, logins: Array.from({ length: 16 }, (_, j) => `user${i + j}`) };
        page = await members.putSnapshot(provenance(url), body);
      }
      await members.putRecord(account(`user${i}`, [page]));
    }
    await members.finish({ status: 'complete', error: null, requests: Math.ceil(count / 16), apiTotal: count, cursorAfter: null });
    await run.commit();
  }

  /** 5,000 members (over two row batches and two rowid ranges, 313 snapshot pages), then two thirds of them a day later. */
  async function largeLocker(): Promise<TestLocker> {
    const created = await createTestLocker();
    await pagedRun(created.locker, 5000, 1);
    created.clock.advance(ONE_DAY);
    await pagedRun(created.locker, 3333, 2);
    return created;
  }

  it('a locker written by the writer verifies, and its throughput counts the bytes it hashed', async () => {
    test = await largeLocker();
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    expect(report.counts.records).toBe(5000 + 3333);
    const db = new Database(join(test.dir, 'locker.db'), { readonly: true });
    const recordBytes = db.prepare('SELECT SUM(length(CAST(json AS BLOB))) FROM records').pluck().get() as number;
    db.close();
    const store = new ObjectStore(join(test.dir, 'objects'));
    const objectBytes = [...store.files()].reduce((sum, file) => sum + store.read(file.hash!).length, 0);
    expect(report.throughput.bytes).toBe(recordBytes + objectBytes);
    expect(report.throughput.recordsPerSecond).toBeGreaterThan(0);
  });

  it('names a record altered in a later batch, index rows changed for it and an altered object, and nothing else', async () => {
    test = await largeLocker();
    const db = attackerConnection(test.dir);
    const target = db.prepare('SELECT hash FROM records WHERE rowid = 4321').pluck().get() as string;
    const other = db.prepare('SELECT hash FROM records WHERE rowid = 77').pluck().get() as string;
    const manifests = new Set(db.prepare('SELECT hash FROM manifests').pluck().all() as string[]);
    db.prepare("UPDATE records SET json = replace(json, '\"displayName\":\"', '\"displayName\":\"x') WHERE hash = ?").run(target);
    db.prepare("DELETE FROM record_controls WHERE record_hash = ? AND control = 'CC6.2'").run(other);
    db.prepare("INSERT INTO record_controls (control, record_hash) VALUES ('CC9.9', ?)").run(target);
    db.close();
    const store = new ObjectStore(join(test.dir, 'objects'));
    const body = [...store.files()].map((file) => file.hash!).filter((hash) => !manifests.has(hash))[200]!;
    chmodSync(store.path(body), 0o644);
    writeFileSync(store.path(body), gzipSync('{"altered":true}'));
    const problems = (await test.locker.verify()).problems.map((problem) => `${problem.code}: ${problem.message}`);
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^record-altered: record ${target} .*now hashes to`)),
        `record-altered: record ${other} claims control CC6.2 but the control index does not list it`,
        `record-altered: the control index links record ${target} to control CC9.9, which the record does not claim`,
        expect.stringMatching(new RegExp(`^object-altered: object ${body} .*content hashes to`)),
      ]),
    );
  });

  it('compares the root of a set large enough for the second thread with its manifest, and names the difference', async () => {
    test = await createTestLocker();
    await pagedRun(test.locker, 17_000, 1);
    const db = attackerConnection(test.dir);
    const row = db.prepare('SELECT id, hash, members FROM record_sets').get() as { id: number; hash: string; members: Buffer };
    const kept = decodeRowids(row.members, Number.MAX_SAFE_INTEGER).slice(1);
    db.prepare('UPDATE record_sets SET members = ? WHERE id = ?').run(encodeRowids(kept), row.id);
    const hashes = (db.prepare('SELECT hash FROM records WHERE rowid > ?').pluck().all(Math.min(...decodeRowids(row.members, Number.MAX_SAFE_INTEGER))) as string[]).sort();
    const stream = db.prepare('SELECT record_count, record_root FROM stream_runs WHERE record_set = ?').get(row.hash) as { record_count: number; record_root: string };
    db.close();
    expect(hashes).toHaveLength(16_999);
    const problems = (await test.locker.verify()).problems.map((problem) => `${problem.code}: ${problem.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^record-set-altered: record set ${row.hash} .* resolves from its rows to 16999 records hashing to`)),
        expect.stringMatching(
          new RegExp(`^manifest-altered: record set ${row.hash} .* lists 16999 records with root ${merkleRoot(hashes)}, but the manifest says ${stream.record_count} with root ${stream.record_root}$`),
        ),
      ]),
    );
  });

  it('names a record re-hashed after a valid edit (a non-text control), one inserted in no set, and an index row moved to another control', async () => {
    test = await largeLocker();
    const db = attackerConnection(test.dir);
    const json = db.prepare("SELECT json FROM records WHERE rowid = 2100").pluck().get() as string;
    // Still valid JSON, and its hash column follows it: only the record sets (and the index) can tell.
    const record = { ...(JSON.parse(json) as Record<string, unknown>), controls: ['CC6.1', 7], displayName: 'Mallory' };
    const rewritten = JSON.stringify(record);
    const rehashed = createHash('sha256').update(rewritten).digest('hex');
    db.prepare('UPDATE records SET json = ?, hash = ? WHERE rowid = 2100').run(rewritten, rehashed);
    db.prepare("INSERT INTO record_controls (control, record_hash) VALUES ('CC6.1', ?)").run(rehashed);
    const forged = JSON.stringify({ ...(JSON.parse(json) as Record<string, unknown>), key: 'user:mallory' });
    const forgedHash = createHash('sha256').update(forged).digest('hex');
    db.prepare(
      `INSERT INTO records (hash, kind, key, system, stream, occurred_at, run_id, json)
       SELECT ?, kind, 'user:mallory', system, stream, occurred_at, run_id, ? FROM records WHERE rowid = 1`,
    ).run(forgedHash, forged);
    const moved = db.prepare('SELECT hash FROM records WHERE rowid = 4999').pluck().get() as string;
    db.prepare("UPDATE record_controls SET control = 'CC9.9' WHERE record_hash = ? AND control = 'CC6.2'").run(moved);
    db.close();
    const problems = (await test.locker.verify()).problems.map((problem) => `${problem.code}: ${problem.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^record-set-altered: record set .* resolves from its rows to 5000 records hashing to`)),
        `record-altered: record ${rehashed} claims control 7 but the control index does not list it`,
        expect.stringMatching(new RegExp(`^record-inserted: record ${forgedHash} \\(.*user:mallory.*is in no manifest's record set$`)),
        `record-altered: record ${moved} claims control CC6.2 but the control index does not list it`,
        `record-altered: the control index links record ${moved} to control CC9.9, which the record does not claim`,
      ]),
    );
    expect(problems.some((problem) => problem.includes(`record ${rehashed} claims control CC6.1`))).toBe(false);
    expect(problems.filter((problem) => problem.startsWith('record-inserted'))).toHaveLength(1);
  });
});
