import { afterEach, describe, expect, it } from '@jest/globals';
import { account, attackerConnection, beginTestRun, createTestLocker, MEMBERS, ONE_DAY, provenance, pullRequest, PULL_REQUESTS, type TestLocker } from './test-locker.js';
import { decodeRowids, encodeRowids } from './rowid-list.js';
import type { Manifest, ProblemCode, VerifyReport } from './types.js';

let test: TestLocker;
afterEach(() => test.cleanup());

/** 200 members, three of them replaced each day. */
function population(day: number): string[] {
  const logins = Array.from({ length: 200 }, (_, i) => `user${i}`);
  for (let d = 2; d <= day; d++) for (let c = 0; c < 3; c++) logins[(d * 7 + c * 61) % 200] = `joiner-${d}-${c}`;
  return logins;
}

/** Three daily runs: the members state set is stored whole on day 1 and as changes after; each day three pull requests (an event set). */
async function threeDays(): Promise<Manifest[]> {
  test = await createTestLocker();
  const manifests: Manifest[] = [];
  for (let day = 1; day <= 3; day++) {
    const run = await beginTestRun(test.locker);
    const members = await run.beginStream(MEMBERS);
    // The same body every day, so an unchanged member is the same record and a day's set differs by three members.
    const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), { page: 1 });
    for (const login of population(day)) await members.putRecord(account(login, [body]));
    await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    const pulls = await run.beginStream(PULL_REQUESTS);
    const prBody = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), { day });
    for (let i = 0; i < 3; i++) await pulls.putRecord(pullRequest(`${day}-${i}`, `change ${day}-${i}`, [prBody]));
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    manifests.push(await run.commit());
    test.clock.advance(ONE_DAY);
  }
  await test.locker.close();
  return manifests;
}

interface SetRow {
  id: number;
  kind: string;
  members: Buffer;
  removed: Buffer | null;
}

/** Edit the record_sets row of a set as an attacker with file access would. */
function tamper(hash: string, edit: (row: SetRow) => Partial<Record<'kind' | 'base' | 'depth' | 'size' | 'members' | 'removed' | 'hash', unknown>>): void {
  const db = attackerConnection(test.dir);
  try {
    const row = db.prepare('SELECT id, kind, members, removed FROM record_sets WHERE hash = ?').get(hash) as SetRow;
    const changes = edit(row);
    for (const [column, value] of Object.entries(changes)) db.prepare(`UPDATE record_sets SET ${column} = ? WHERE id = ?`).run(value, row.id);
  } finally {
    db.close();
  }
}

function recordRowid(key: string): number {
  const db = attackerConnection(test.dir);
  try {
    return db.prepare('SELECT rowid FROM records WHERE key = ?').pluck().get(key) as number;
  } finally {
    db.close();
  }
}

const rowids = (bytes: Buffer) => decodeRowids(bytes, Number.MAX_SAFE_INTEGER);

async function verifyAgain(): Promise<VerifyReport> {
  return (await test.reopen()).verify();
}

function expectProblem(report: VerifyReport, code: ProblemCode, ...named: string[]): void {
  expect(report.ok).toBe(false);
  const matching = report.problems.filter((problem) => problem.code === code && named.every((part) => problem.message.includes(part)));
  if (matching.length === 0) throw new Error(`no ${code} problem naming ${named.join(', ')} in:\n${report.problems.map((p) => `${p.code}: ${p.message}`).join('\n')}`);
}

describe('verify on record sets held in rows', () => {
  it('names a member added to, removed from or swapped in a whole set', async () => {
    const manifests = await threeDays();
    const members = manifests[0]!.streams[0]!;
    const pulls = manifests[1]!.streams[1]!;
    const events = manifests[2]!.streams[1]!;
    const intruder = recordRowid('2-0');
    tamper(members.recordSet, (row) => ({ members: encodeRowids([...rowids(row.members), recordRowid('3-0')].sort((a, b) => a - b)) }));
    tamper(pulls.recordSet, (row) => ({ members: encodeRowids(rowids(row.members).filter((rowid) => rowid !== intruder)) }));
    tamper(events.recordSet, (row) => ({ members: encodeRowids([intruder, ...rowids(row.members).slice(1)]) }));
    const report = await verifyAgain();
    const where = (manifest: Manifest, stream: string) => `of run ${manifest.runId} stream github/${stream} (manifest ${manifest.sequence}) resolves from its rows to`;
    expectProblem(report, 'record-set-altered', `record set ${members.recordSet}`, where(manifests[0]!, 'members'), '201 records hashing to');
    expectProblem(report, 'record-set-altered', `record set ${pulls.recordSet}`, where(manifests[1]!, 'pull_requests'), '2 records hashing to');
    expectProblem(report, 'record-set-altered', `record set ${events.recordSet}`, where(manifests[2]!, 'pull_requests'), '3 records hashing to');
    // The changes stored on top of the altered day-1 set resolve wrongly too, and say so.
    expectProblem(report, 'record-set-altered', `record set ${manifests[1]!.streams[0]!.recordSet}`);
    await expect(test.locker.readObject(pulls.recordSet)).rejects.toThrow(`record set ${pulls.recordSet} is altered: its stored membership (2 records) hashes to`);
  });

  it('names a change whose added or removed members were edited', async () => {
    const manifests = await threeDays();
    const day2 = manifests[1]!.streams[0]!.recordSet;
    const day3 = manifests[2]!.streams[0]!.recordSet;
    tamper(day2, (row) => {
      expect(row.kind).toBe('delta');
      return { removed: encodeRowids(rowids(row.removed!).slice(1)) };
    });
    tamper(day3, (row) => ({ members: encodeRowids([...rowids(row.members), recordRowid('user5')].sort((a, b) => a - b)) }));
    const report = await verifyAgain();
    expectProblem(report, 'record-set-altered', `record set ${day2}`, '201 records hashing to');
    expectProblem(report, 'record-set-altered', `record set ${day3}`, 'hashing to');
    expect(report.problems.filter((problem) => problem.code === 'record-set-altered')).toHaveLength(2);
  });

  it('names a set row whose count, depth, kind, base or member bytes were altered', async () => {
    const manifests = await threeDays();
    const [day1, day2, day3] = manifests.map((manifest) => manifest.streams[0]!.recordSet) as [string, string, string];
    const events = manifests[0]!.streams[1]!.recordSet;
    tamper(day1, () => ({ size: 199 }));
    tamper(day2, () => ({ depth: 7 }));
    tamper(day3, (row) => ({ base: row.id + 1 }));
    tamper(events, () => ({ members: Buffer.from([0x83]) }));
    const report = await verifyAgain();
    expectProblem(report, 'record-set-altered', `record set ${day1}`, 'its row counts 199 members, but its members are 200');
    expectProblem(report, 'record-set-altered', `record set ${day2}`, 'cannot be rebuilt from its rows', 'its depth 7 does not follow its base\'s 0');
    expectProblem(report, 'record-set-altered', `record set ${day3}`, 'cannot be rebuilt from its rows', 'which is not an earlier set');
    expectProblem(report, 'record-set-altered', `record set ${events}`, 'its members column does not decode (truncated number at byte 0 of 1)');
    // The records of a set that cannot be read are not each reported as belonging to no set.
    expect(report.problems.filter((problem) => problem.code === 'record-inserted')).toEqual([]);
  });

  it('names a whole set turned into a change, and a set row removed or renamed', async () => {
    const manifests = await threeDays();
    const day1 = manifests[0]!.streams[0]!.recordSet;
    const events1 = manifests[0]!.streams[1]!.recordSet;
    const events2 = manifests[1]!.streams[1]!.recordSet;
    tamper(day1, () => ({ kind: 'delta', base: null }));
    tamper(events1, () => ({ hash: 'f'.repeat(64) }));
    const db = attackerConnection(test.dir);
    db.prepare('DELETE FROM record_sets WHERE hash = ?').run(events2);
    db.close();
    const report = await verifyAgain();
    expectProblem(report, 'record-set-altered', `record set ${day1}`, 'is stored as a change to set row null, which does not exist');
    // A set that is in no row is looked for as an object, as sets written before schema 4 are.
    expectProblem(report, 'object-missing', `object ${events1}`, `record set of run ${manifests[0]!.runId} stream github/pull_requests`);
    expectProblem(report, 'object-missing', `object ${events2}`, `record set of run ${manifests[1]!.runId} stream github/pull_requests`);
    expect(report.problems.filter((problem) => problem.code === 'record-inserted')).toEqual([]);
  });
});
