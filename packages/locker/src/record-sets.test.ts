import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashCanonical } from '@evidentia/evidence';
import { seededRandom } from '@evidentia/testing';
import { LockerError } from './errors.js';
import { MerkleBuilder } from './merkle.js';
import { account, attackerConnection, beginTestRun, collect, createTestLocker, drain, MEMBERS, objectCount, observeMembers, provenance, pullRequest, PULL_REQUESTS, type TestLocker } from './test-locker.js';

let test: TestLocker;
afterEach(() => test.cleanup());

const observe = (logins: string[]) => observeMembers(test, logins);

/** How many record_sets rows are stored whole and as changes, and the bytes of their member lists. */
function storedSets(dir: string): { whole: number; delta: number; memberBytes: number } {
  const db = new Database(join(dir, 'locker.db'), { readonly: true });
  try {
    const count = (kind: string) => db.prepare('SELECT COUNT(*) FROM record_sets WHERE kind = ?').pluck().get(kind) as number;
    const memberBytes = db.prepare('SELECT SUM(length(members) + IFNULL(length(removed), 0)) FROM record_sets').pluck().get() as number;
    return { whole: count('whole'), delta: count('delta'), memberBytes };
  } finally {
    db.close();
  }
}

/** 200 members, three of them replaced each day. */
function population(day: number): string[] {
  const logins = Array.from({ length: 200 }, (_, i) => `user${i}`);
  for (let d = 2; d <= day; d++) for (let c = 0; c < 3; c++) logins[(d * 7 + c * 61) % 200] = `joiner-${d}-${c}`;
  return logins;
}

describe('record sets stored as changes', () => {
  it('answers every day with exactly the set observed, while a changed day stores only the change', async () => {
    test = await createTestLocker();
    const sets: string[] = [];
    for (let day = 1; day <= 35; day++) {
      const stream = await observe(population(day));
      sets.push(stream.recordSet);
      const held = (await drain(test.locker.records({ stream: 'github/members' }))).map((record) => record.key).sort();
      expect(held).toEqual([...new Set(population(day))].sort());
      expect(stream.recordCount).toBe(new Set(population(day)).size);
    }
    // Day 1 and day 32 (the chain is cut after 30 links) are stored whole; the other days as changes.
    expect(storedSets(test.dir)).toMatchObject({ whole: 2, delta: 33 });
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    // The set a change describes is the same canonical list a whole set would be: its bytes hash to its name.
    const rebuilt = await test.locker.readObject(sets[9]!);
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(sets[9]);
    expect(JSON.parse(rebuilt.toString('utf8'))).toHaveLength(200);
  });

  it('gives the inventory history of a period with every version and the sets that hold it', async () => {
    test = await createTestLocker('2025-03-01T09:00:00.000Z');
    for (let day = 1; day <= 5; day++) await observe(population(day));
    const versions = await drain(test.locker.inventoryHistory({ since: new Date('2025-03-01T00:00:00Z'), until: new Date('2025-03-10T00:00:00Z') }));
    const byKey = new Map(versions.map((version) => [version.record.key, version.sets.length]));
    expect(byKey.get('user0')).toBe(5);
    // joiner-2-0 replaced someone on day 2 and stays: held by the sets of days 2 to 5.
    expect(byKey.get('joiner-2-0')).toBe(4);
    expect(versions).toHaveLength(200 + 4 * 3);
  });

  it('stores a small set, or a large change, whole', async () => {
    test = await createTestLocker();
    await observe(['alice', 'bob']);
    await observe(['alice', 'carol']);
    expect(storedSets(test.dir)).toMatchObject({ whole: 2, delta: 0 });
    await observe(population(1));
    await observe(Array.from({ length: 200 }, (_, i) => `someone-else-${i}`));
    expect(storedSets(test.dir)).toMatchObject({ whole: 4, delta: 0 });
    expect((await test.locker.verify()).ok).toBe(true);
  });

  it('stores a day of new events in a few bytes and writes no object for any set', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream(PULL_REQUESTS);
    const body = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), { page: 1 });
    for (let i = 0; i < 3000; i++) await pulls.putRecord(pullRequest(String(i), `change ${i}`, [body]));
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    const manifest = await run.commit();
    // One snapshot body and the manifest: the set of 3,000 is a row whose member list is one run of consecutive rowids.
    expect(objectCount(test.dir)).toBe(2);
    expect(storedSets(test.dir)).toEqual({ whole: 1, delta: 0, memberBytes: expect.any(Number) });
    expect(storedSets(test.dir).memberBytes).toBeLessThanOrEqual(6);
    expect(await drain(test.locker.records({ stream: 'github/pull_requests' }))).toHaveLength(3000);
    const bytes = await test.locker.readObject(manifest.streams[0]!.recordSet);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.streams[0]!.recordSet);
    expect((await test.locker.verify()).problems).toEqual([]);
  });
});

describe('set names and record roots', () => {
  /** The RFC 6962 root as the builder computes it, one leaf at a time. */
  const rootOf = (sorted: string[]) => {
    const builder = new MerkleBuilder();
    for (const hash of sorted) builder.push(hash);
    return builder.root();
  };

  it('are what the canonical list of sorted hashes and the tree over them give, for random state and event sets, empty and single ones included', async () => {
    test = await createTestLocker();
    const random = seededRandom(15);
    const token = () => Math.floor(random() * 2 ** 32).toString(36);
    for (const size of [0, 1, 2, 1024, 1025, 1 + Math.floor(random() * 3000), 1 + Math.floor(random() * 3000)]) {
      const run = await beginTestRun(test.locker);
      const members = await run.beginStream(MEMBERS);
      const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), { size });
      const memberHashes = [];
      for (let i = 0; i < size; i++) memberHashes.push(await members.putRecord(account(`user-${size}-${i}-${token()}`, [body])));
      await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
      const pulls = await run.beginStream(PULL_REQUESTS);
      const prBody = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), { size });
      const prHashes = [];
      for (let i = 0; i < size; i++) prHashes.push(await pulls.putRecord(pullRequest(`${size}-${i}-${token()}`, `change ${token()}`, [prBody])));
      await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
      const manifest = await run.commit();
      for (const [stream, hashes] of [[manifest.streams[0]!, memberHashes], [manifest.streams[1]!, prHashes]] as const) {
        const sorted = [...hashes].sort();
        expect(stream.recordCount).toBe(size);
        expect(stream.recordSet).toBe(hashCanonical(sorted).hash);
        expect(stream.recordRoot).toBe(rootOf(sorted));
      }
    }
    expect((await test.locker.verify()).problems).toEqual([]);
  });

  it('is refused by queries when a committed stream run names it and no rows hold it, rather than read as empty', async () => {
    test = await createTestLocker();
    const manifest = await collect(test.locker, ['alice', 'bob'], [['acme/api#1', 'first']]);
    expect((await drain(test.locker.records({ stream: 'github/members' }))).map((record) => record.key)).toEqual(['alice', 'bob']);
    const members = manifest.streams.find((stream) => stream.stream === 'members')!.recordSet;
    await test.locker.close();
    const db = attackerConnection(test.dir);
    db.prepare('DELETE FROM record_sets WHERE hash = ?').run(members);
    db.close();
    await test.reopen();
    await expect(drain(test.locker.records({ stream: 'github/members' }))).rejects.toThrow(
      new LockerError(`record set ${members} is named by a committed stream run but no rows hold its members; run \`evidentia verify\``),
    );
  });
});
