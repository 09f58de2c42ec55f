import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rewriteAsSchema3 } from './legacy-layout.js';
import { SCHEMA_VERSION } from './schema.js';
import { account, attackerConnection, beginTestRun, createTestLocker, drain, MEMBERS, ONE_DAY, provenance, pullRequest, PULL_REQUESTS, rowCount, type TestLocker } from './test-locker.js';
import type { Manifest, VerifyReport } from './types.js';

let test: TestLocker;
afterEach(() => test.cleanup());

/** 200 members, three of them replaced each day. */
function population(day: number): string[] {
  const logins = Array.from({ length: 200 }, (_, i) => `user${i}`);
  for (let d = 2; d <= day; d++) for (let c = 0; c < 3; c++) logins[(d * 7 + c * 61) % 200] = `joiner-${d}-${c}`;
  return logins;
}

/** One daily run: the members state stream sees population(day), the pull request stream two new pull requests. */
async function day(n: number): Promise<Manifest> {
  const run = await beginTestRun(test.locker);
  const members = await run.beginStream(MEMBERS);
  const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), { page: 1 });
  for (const login of population(n)) await members.putRecord(account(login, [body]));
  await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  const pulls = await run.beginStream(PULL_REQUESTS);
  const prBody = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), { day: n });
  for (const i of [0, 1]) await pulls.putRecord(pullRequest(`${n}-${i}`, `change ${n}-${i}`, [prBody]));
  await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  const manifest = await run.commit();
  test.clock.advance(ONE_DAY);
  return manifest;
}

/** Four days written, then turned into what schema 3 left on disk (whole sets as objects and rows, changes as rows). */
async function schema3Locker(): Promise<Manifest[]> {
  test = await createTestLocker();
  const manifests: Manifest[] = [];
  for (let n = 1; n <= 4; n++) manifests.push(await day(n));
  await test.locker.close();
  rewriteAsSchema3(test.dir);
  expect(rowCount(test.dir, 'set_deltas')).toBe(3);
  await test.reopen();
  return manifests;
}

async function membersAt(manifest: Manifest): Promise<string[]> {
  const records = await drain(test.locker.records({ stream: 'github/members', at: new Date(manifest.streams[0]!.finishedAt) }));
  return records.map((record) => record.key).sort();
}

function problems(report: VerifyReport): string[] {
  return report.problems.map((problem) => `${problem.code}: ${problem.message}`);
}

describe('record sets written before schema 4', () => {
  it('are read in place after the upgrade, and later sets go to record_sets', async () => {
    const manifests = await schema3Locker();
    const db = new Database(join(test.dir, 'locker.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT COUNT(*) FROM record_sets').pluck().get()).toBe(0);
    db.close();
    for (const [index, manifest] of manifests.entries()) expect(await membersAt(manifest)).toEqual([...new Set(population(index + 1))].sort());
    expect(await drain(test.locker.records({ stream: 'github/pull_requests' }))).toHaveLength(8);
    const history = await drain(test.locker.inventoryHistory({ since: new Date('2025-03-01T00:00:00Z'), until: new Date('2025-03-10T00:00:00Z') }));
    expect(history).toHaveLength(200 + 3 * 3);
    const delta = manifests[2]!.streams[0]!.recordSet;
    expect(createHash('sha256').update(await test.locker.readObject(delta)).digest('hex')).toBe(delta);
    expect(problems(await test.locker.verify())).toEqual([]);

    // Day 5's base is a schema-3 set, so it is stored whole in record_sets; day 6 as a change to day 5.
    const later = [await day(5), await day(6)];
    const rows = new Database(join(test.dir, 'locker.db'), { readonly: true });
    expect(rows.prepare("SELECT kind FROM record_sets WHERE hash IN (?, ?) ORDER BY id").pluck().all(later[0]!.streams[0]!.recordSet, later[1]!.streams[0]!.recordSet)).toEqual(['whole', 'delta']);
    rows.close();
    expect(await membersAt(later[1]!)).toEqual([...new Set(population(6))].sort());
    expect(await drain(test.locker.records({ stream: 'github/pull_requests' }))).toHaveLength(12);
    const periodRuns = await test.locker.periodStreamRuns({ since: new Date('2025-03-01T00:00:00Z'), until: new Date('2025-03-10T00:00:00Z') });
    expect(periodRuns.filter((run) => run.type === 'event')).toHaveLength(6);
    expect(problems(await test.locker.verify())).toEqual([]);
  });

  it('are still checked as written: a set object, a membership row and a change row', async () => {
    const manifests = await schema3Locker();
    await test.locker.close();
    const whole = manifests[0]!.streams[0]!.recordSet;
    const events = manifests[1]!.streams[1]!.recordSet;
    const delta = manifests[2]!.streams[0]!.recordSet;
    const path = join(test.dir, 'objects', whole.slice(0, 2), whole.slice(2));
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(path, bytes);
    const db = attackerConnection(test.dir);
    const pr = db.prepare("SELECT hash FROM records WHERE key = '2-1'").pluck().get() as string;
    db.prepare('DELETE FROM set_members WHERE set_hash = ? AND record_hash = ?').run(events, pr);
    const added = db.prepare('SELECT record_hash FROM set_additions WHERE set_hash = ? LIMIT 1').pluck().get(delta) as string;
    db.prepare('DELETE FROM set_additions WHERE set_hash = ? AND record_hash = ?').run(delta, added);
    db.close();
    const report = await (await test.reopen()).verify();
    const found = problems(report);
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^object-altered: object ${whole} \\(record set of run ${manifests[0]!.runId} stream github/members`)));
    expect(found).toContainEqual(`record-missing: record ${pr} of record set ${events} (run ${manifests[1]!.runId} stream github/pull_requests (manifest 2)) has no membership row, so queries omit it`);
    expect(found).toContainEqual(expect.stringMatching(new RegExp(`^record-set-altered: record set ${delta} of run ${manifests[2]!.runId} stream github/members \\(manifest 3\\) is stored as a change whose membership rows resolve to 199 records`)));
  });

  it('are refused by queries when their rows no longer give them, never read short', async () => {
    const manifests = await schema3Locker();
    await test.locker.close();
    const base = manifests[0]!.streams[0]!.recordSet;
    const delta = manifests[2]!.streams[0]!.recordSet;
    const db = attackerConnection(test.dir);
    const added = db.prepare('SELECT record_hash FROM set_additions WHERE set_hash = ? LIMIT 1').pluck().get(delta) as string;
    db.prepare('DELETE FROM records WHERE hash = ?').run(added);
    db.close();
    await test.reopen();
    await expect(membersAt(manifests[2]!)).rejects.toThrow(`record set ${delta} lists record ${added}, which is missing from the records table; run \`evidentia verify\``);
    await test.locker.close();
    // The chain's whole set loses its rows: day 2 was read as its additions alone.
    const again = attackerConnection(test.dir);
    again.prepare('DELETE FROM set_members WHERE set_hash = ?').run(base);
    again.close();
    await test.reopen();
    const day2 = manifests[1]!.streams[0]!.recordSet;
    await expect(membersAt(manifests[1]!)).rejects.toThrow(`record set ${day2} is stored as a change whose base set is missing; run \`evidentia verify\``);
  });
});
