import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { account, attackerConnection, beginTestRun, createTestLocker, drain, MEMBERS, ONE_DAY, provenance, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker;
afterEach(() => test.cleanup());

/** One run of the members state stream observing exactly `logins`. */
async function observe(logins: string[]) {
  const run = await beginTestRun(test.locker);
  const members = await run.beginStream(MEMBERS);
  const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), { page: 1 });
  for (const login of logins) await members.putRecord(account(login, [body]));
  await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  const manifest = await run.commit();
  test.clock.advance(ONE_DAY);
  return manifest.streams[0]!;
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
    expect(rowCount(test.dir, 'set_deltas')).toBe(33);
    expect(rowCount(test.dir, 'set_members')).toBe(400);
    expect(rowCount(test.dir, 'set_additions')).toBe(33 * 3);
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

  it('catches a membership row of a stored change that was removed, added or altered', async () => {
    test = await createTestLocker();
    for (let day = 1; day <= 3; day++) await observe(population(day));
    await test.locker.close();
    const db = attackerConnection(test.dir);
    const victim = db.prepare('SELECT set_hash, record_hash FROM set_additions LIMIT 1').get() as { set_hash: string; record_hash: string };
    db.prepare('DELETE FROM set_additions WHERE set_hash = ? AND record_hash = ?').run(victim.set_hash, victim.record_hash);
    db.prepare('INSERT INTO set_removals (set_hash, record_hash) SELECT ?, record_hash FROM set_members LIMIT 1').run(victim.set_hash);
    db.close();
    const report = await (await test.reopen()).verify();
    expect(report.ok).toBe(false);
    const altered = report.problems.filter((problem) => problem.code === 'record-set-altered');
    expect(altered.length).toBeGreaterThanOrEqual(1);
    expect(altered[0]?.message).toContain(victim.set_hash);
  });

  it('stores a small set, or a large change, whole', async () => {
    test = await createTestLocker();
    await observe(['alice', 'bob']);
    await observe(['alice', 'carol']);
    expect(rowCount(test.dir, 'set_deltas')).toBe(0);
    await observe(population(1));
    await observe(Array.from({ length: 200 }, (_, i) => `someone-else-${i}`));
    expect(rowCount(test.dir, 'set_deltas')).toBe(0);
    expect((await test.locker.verify()).ok).toBe(true);
  });
});
