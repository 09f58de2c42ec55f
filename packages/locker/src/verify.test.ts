import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { canonicalJson, sha256Hex } from '@evidentia/evidence';
import type { Manifest, ProblemCode, VerifyReport } from './index.js';
import { account, attackerConnection, beginTestRun, collect, createTestLocker, drain, MEMBERS, ONE_DAY, provenance, rewriteSnapshotList, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

/** Three daily runs: members change each day, one pull request per day. */
async function threeRuns(): Promise<{ test: TestLocker; manifests: Manifest[] }> {
  test = await createTestLocker();
  const manifests = [await collect(test.locker, ['alice', 'bob'], [['101', 'Fix login']])];
  test.clock.advance(ONE_DAY);
  manifests.push(await collect(test.locker, ['alice', 'bob', 'carol'], [['102', 'Add audit log']]));
  test.clock.advance(ONE_DAY);
  manifests.push(await collect(test.locker, ['alice', 'carol'], [['103', 'Rotate keys']]));
  return { test, manifests };
}

/** Daily runs that ask the same 40 pages every day: each day's list is a patch to the first. */
async function pagedRuns(days: number): Promise<{ test: TestLocker; manifests: Manifest[] }> {
  test = await createTestLocker();
  const manifests: Manifest[] = [];
  for (let day = 0; day < days; day++) {
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    const at = test.clock.time.toISOString();
    let body = '';
    for (let page = 1; page <= 40; page++) body = await stream.putSnapshot(provenance(`https://api.github.com/orgs/acme/members?page=${page}`, at), [{ login: `user${page}` }]);
    await stream.putRecord(account('alice', [body]));
    await stream.finish({ status: 'complete', error: null, requests: 40, apiTotal: null, cursorAfter: null });
    manifests.push(await run.commit());
    test.clock.advance(ONE_DAY);
  }
  return { test, manifests };
}

function objectPath(dir: string, hash: string): string {
  return join(dir, 'objects', hash.slice(0, 2), hash.slice(2));
}

/** Flip one byte in the middle of a blob file. */
function flipByte(dir: string, hash: string): void {
  const path = objectPath(dir, hash);
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(path, bytes);
}

function attack(dir: string, ...statements: string[]): void {
  const db = attackerConnection(dir);
  try {
    for (const sql of statements) db.exec(sql);
  } finally {
    db.close();
  }
}

function query<T>(dir: string, sql: string): T {
  const db = attackerConnection(dir);
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
}

function expectProblem(report: VerifyReport, code: ProblemCode, ...named: string[]): void {
  expect(report.ok).toBe(false);
  const matching = report.problems.filter((problem) => problem.code === code && named.every((part) => problem.message.includes(part)));
  if (matching.length === 0) throw new Error(`no ${code} problem naming ${named.join(', ')} in:\n${report.problems.map((p) => `${p.code}: ${p.message}`).join('\n')}`);
}

describe('verify', () => {
  it('passes a clean locker and counts what it checked', async () => {
    const { test } = await threeRuns();
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    // Each day's members snapshot differs, so each day's records cite a different source: 2 + 3 + 2 accounts, 3 pull requests.
    expect(report).toMatchObject({ ok: true, counts: { manifests: 3, snapshots: 6, records: 10 } });
    expect(report.counts.objects).toBeGreaterThan(0);
  });

  it('names a snapshot blob with a changed byte', async () => {
    const { test, manifests } = await threeRuns();
    const [entry] = await drain(test.locker.snapshotEntries(manifests[1]!.runId, 'github/members'));
    const body = entry!.bodyHash;
    flipByte(test.dir, body);
    expectProblem(await test.locker.verify(), 'object-altered', `object ${body}`, 'snapshot body #1');
    await expect(test.locker.readObject(body)).rejects.toThrow(`object ${body} is altered`);
  });

  it('names a manifest blob with a changed byte', async () => {
    const { test } = await threeRuns();
    const hash = query<string>(test.dir, 'SELECT hash FROM manifests WHERE sequence = 2');
    flipByte(test.dir, hash);
    const report = await test.locker.verify();
    expectProblem(report, 'manifest-altered', 'manifest 2', hash);
    expectProblem(report, 'object-altered', `object ${hash}`, 'manifest 2');
  });

  it('names a deleted blob file', async () => {
    const { test, manifests } = await threeRuns();
    const [entry] = await drain(test.locker.snapshotEntries(manifests[2]!.runId, 'github/pull_requests'));
    const body = entry!.bodyHash;
    rmSync(objectPath(test.dir, body));
    expectProblem(await test.locker.verify(), 'object-missing', `object ${body}`, `run ${manifests[2]!.runId} stream github/pull_requests`);
  });

  it('names an object file that cannot be read, and goes on to check the rest', async () => {
    const { test, manifests } = await threeRuns();
    const [unreadable] = await drain(test.locker.snapshotEntries(manifests[0]!.runId, 'github/members'));
    const [altered] = await drain(test.locker.snapshotEntries(manifests[2]!.runId, 'github/pull_requests'));
    rmSync(objectPath(test.dir, unreadable!.bodyHash));
    mkdirSync(objectPath(test.dir, unreadable!.bodyHash));
    flipByte(test.dir, altered!.bodyHash);
    const report = await test.locker.verify();
    expectProblem(report, 'object-missing', `object ${unreadable!.bodyHash}`, `run ${manifests[0]!.runId} stream github/members`, 'cannot be read (EISDIR');
    expectProblem(report, 'object-altered', `object ${altered!.bodyHash}`, `run ${manifests[2]!.runId} stream github/pull_requests`);
    expect(report.counts).toMatchObject({ manifests: 3, records: 10 });
    await expect(test.locker.readObject(unreadable!.bodyHash)).rejects.toThrow(`object ${unreadable!.bodyHash} cannot be read (EISDIR`);
  });

  it('names a deleted record row', async () => {
    const { test, manifests } = await threeRuns();
    const row = query<number>(test.dir, "SELECT rowid FROM records WHERE key = 'carol'");
    attack(test.dir, `DELETE FROM records WHERE rowid = ${row}`);
    expectProblem(await test.locker.verify(), 'record-missing', `record set ${manifests[1]!.streams[0]!.recordSet}`, `run ${manifests[1]!.runId} stream github/members`, `lists record row ${row}, which is missing from the records table`);
  });

  it('names an inserted record row', async () => {
    const { test, manifests } = await threeRuns();
    const forged = { ...account('mallory', [], { privileged: true }) };
    const json = canonicalJson(forged);
    const hash = sha256Hex(json);
    attack(
      test.dir,
      `INSERT INTO records (hash, kind, key, system, stream, occurred_at, run_id, json)
       VALUES ('${hash}', 'access.account', 'mallory', 'github:acme', 'github/members', NULL, '${manifests[0]!.runId}', '${json}')`,
    );
    expectProblem(await test.locker.verify(), 'record-inserted', `record ${hash}`, 'mallory');
  });

  it("names a record row whose JSON or indexed columns were edited", async () => {
    const { test } = await threeRuns();
    const bob = query<string>(test.dir, "SELECT hash FROM records WHERE key = 'bob'");
    const alice = query<string>(test.dir, "SELECT hash FROM records WHERE key = 'alice'");
    attack(
      test.dir,
      `UPDATE records SET json = replace(json, '"privileged":false', '"privileged":true') WHERE hash = '${bob}'`,
      `UPDATE records SET kind = 'audit.event' WHERE hash = '${alice}'`,
    );
    const report = await test.locker.verify();
    expectProblem(report, 'record-altered', `record ${bob}`, 'now hashes to');
    expectProblem(report, 'record-altered', `record ${alice}`, 'indexed column(s) kind');
  });

  it("names a record row whose run_id is not the run whose record set first holds it", async () => {
    const { test, manifests } = await threeRuns();
    const [first, second] = manifests.map((manifest) => manifest.runId);
    // Made up: queries join on run_id, so the record drops out of them. Another real run: it would seem observed later.
    const pr = query<string>(test.dir, "SELECT hash FROM records WHERE key = '101'");
    const alice = query<string>(test.dir, "SELECT hash FROM records WHERE key = 'alice' ORDER BY rowid LIMIT 1");
    attack(test.dir, `UPDATE records SET run_id = 'x' WHERE hash = '${pr}'`, `UPDATE records SET run_id = '${second}' WHERE hash = '${alice}'`);
    expect((await drain(test.locker.records({ kind: 'change.request' }))).map((record) => record.key)).not.toContain('101');
    const report = await test.locker.verify();
    expectProblem(report, 'record-altered', `record ${pr}`, `its run_id names run "x", but run ${first}'s record set is the first to hold it`);
    expectProblem(report, 'record-altered', `record ${alice}`, `its run_id names run "${second}", but run ${first}'s record set is the first to hold it`);
    expect(report.problems).toHaveLength(2);
  });

  it('names a control index entry that does not match its record', async () => {
    const { test } = await threeRuns();
    const alice = query<string>(test.dir, "SELECT hash FROM records WHERE key = 'alice'");
    attack(test.dir, `DELETE FROM record_controls WHERE record_hash = '${alice}' AND control = 'CC6.1'`, `INSERT INTO record_controls VALUES ('CC8.1', '${alice}')`);
    const report = await test.locker.verify();
    expectProblem(report, 'record-altered', `record ${alice} claims control CC6.1`);
    expectProblem(report, 'record-altered', `links record ${alice} to control CC8.1`);
  });

  it('names a manifest row deleted in the middle of the chain', async () => {
    const { test, manifests } = await threeRuns();
    attack(test.dir, 'DELETE FROM manifests WHERE sequence = 2');
    const report = await test.locker.verify();
    expectProblem(report, 'manifest-missing', 'sequence 2 is missing', 'manifest 3');
    expectProblem(report, 'chain-broken', 'manifest 3', 'manifest 1 has hash');
    expectProblem(report, 'manifest-missing', `run ${manifests[1]!.runId}`);
  });

  it('names the last manifest deleted', async () => {
    const { test, manifests } = await threeRuns();
    attack(test.dir, 'DELETE FROM manifests WHERE sequence = 3');
    const report = await test.locker.verify();
    expectProblem(report, 'manifest-missing', `run ${manifests[2]!.runId}`, 'its manifest was removed');
    expect(report.problems.every((problem) => problem.code === 'manifest-missing')).toBe(true);
    // The next run must not paper over it by sealing that run as interrupted.
    await collect(test.locker, ['alice']);
    expect((await test.locker.runs()).find((run) => run.runId === manifests[2]!.runId)).toMatchObject({ status: 'interrupted', sequence: null });
    expectProblem(await test.locker.verify(), 'manifest-missing', `run ${manifests[2]!.runId}`, 'its manifest was removed');
  });

  it('passes a locker nothing was collected into, noting that it holds no manifest', async () => {
    test = await createTestLocker();
    const report = await test.locker.verify();
    expect(report).toMatchObject({ ok: true, problems: [], counts: { manifests: 0, objects: 0 } });
    expect(report.notes).toContain('the locker holds no manifest: no run has been committed to it yet');
  });

  it('names a wiped locker by the manifests left in objects/, and by its objects once those are gone too', async () => {
    const { test, manifests } = await threeRuns();
    const wiped = ['manifests', 'runs', 'stream_runs', 'snapshot_lists', 'records', 'record_sets', 'record_controls', 'conditional_bases'];
    attack(test.dir, ...wiped.map((table) => `DELETE FROM ${table}`));
    const report = await test.locker.verify();
    expect(report.counts.manifests).toBe(0);
    expectProblem(report, 'manifest-missing', `signed manifest #1 of run ${manifests[0]!.runId}`, 'is in objects/ but not in the manifests table: runs were deleted');
    expectProblem(report, 'manifest-missing', `signed manifest #3 of run ${manifests[2]!.runId}`, 'runs were deleted');
    expect(report.notes.join('\n')).not.toMatch(/holds no manifest/);
    for (const manifest of manifests) {
      const hash = sha256Hex(canonicalJson(manifest));
      rmSync(objectPath(test.dir, hash));
    }
    const bare = await test.locker.verify();
    expectProblem(bare, 'manifest-missing', 'the locker holds no manifest, no run and no signed entry, yet', 'object(s) in objects/ are named by nothing: its runs were deleted');
  });

  it('names a manifest re-signed with another key', async () => {
    const { test } = await threeRuns();
    const hash = query<string>(test.dir, 'SELECT hash FROM manifests WHERE sequence = 2');
    const bytes = await test.locker.readObject(hash);
    const forged = sign(null, bytes, generateKeyPairSync('ed25519').privateKey).toString('base64');
    attack(test.dir, `UPDATE manifests SET signature = '${forged}' WHERE sequence = 2`);
    const report = await test.locker.verify();
    expectProblem(report, 'signature-invalid', 'manifest 2', hash);
    expect(report.problems).toHaveLength(1);
  });

  it('checks signatures against a trusted key when given one', async () => {
    const { test } = await threeRuns();
    expect((await test.locker.verify({ publicKey: await test.locker.publicKey() })).ok).toBe(true);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const report = await test.locker.verify({ publicKey: other });
    expect(report.problems.filter((problem) => problem.code === 'signature-invalid')).toHaveLength(3);
  });

  it('names deleted, edited and inserted snapshot entries', async () => {
    const { test, manifests } = await threeRuns();
    const [first, second, third] = manifests.map((manifest) => manifest.runId);
    rewriteSnapshotList(test.dir, second!, 'github/members', (lines) => lines.map((line) => ({ ...line, provenance: line.provenance.replace('bot@acme', 'someone-else') })));
    rewriteSnapshotList(test.dir, third!, 'github/members', (lines) => [...lines, lines[0]!]);
    attack(test.dir, `DELETE FROM snapshot_lists WHERE run_id = '${first}' AND stream = 'github/members'`);
    const report = await test.locker.verify();
    expectProblem(report, 'snapshot-missing', 'snapshot #1', `run ${first} stream github/members`);
    expectProblem(report, 'snapshot-altered', `run ${second} stream github/members`, 'hash to root', 'stored list was altered');
    expectProblem(report, 'snapshot-inserted', '1 snapshot entry', `run ${third} stream github/members`);
  });

  it('names a snapshot list that no longer decodes, and a list whose stored count lies', async () => {
    const { test, manifests } = await pagedRuns(3);
    const [first, second] = manifests.map((manifest) => manifest.runId);
    expect(query<number>(test.dir, `SELECT base FROM snapshot_lists WHERE run_id = '${second}'`)).not.toBeNull();
    attack(test.dir, `UPDATE snapshot_lists SET data = X'1f8b0800' WHERE run_id = '${first}' AND stream = 'github/members'`);
    const report = await test.locker.verify();
    expectProblem(report, 'snapshot-altered', `the snapshot list of run ${first} stream github/members (manifest 1) cannot be read`);
    // A list stored as a patch to it names the base as the cause.
    expectProblem(report, 'snapshot-altered', `run ${second} stream github/members`, `its base list (run ${first}) cannot be read`);
    await test.cleanup();

    const single = await pagedRuns(1);
    attack(single.test.dir, `UPDATE snapshot_lists SET entry_count = 7`);
    expectProblem(await single.test.locker.verify(), 'snapshot-altered', `run ${single.manifests[0]!.runId} stream github/members (manifest 1)`, 'says it holds 7 entries but holds 40');
  });

  it('names a list stored as a patch whose base was altered', async () => {
    const { test, manifests } = await pagedRuns(4);
    expect(query<number>(test.dir, "SELECT COUNT(*) FROM snapshot_lists WHERE stream = 'github/members' AND base IS NOT NULL")).toBe(3);
    expect((await test.locker.verify()).problems).toEqual([]);
    const [first, ...later] = manifests.map((manifest) => manifest.runId);
    rewriteSnapshotList(test.dir, first!, 'github/members', (lines) => lines.map((line) => ({ ...line, provenance: line.provenance.replace('bot@acme', 'someone-else') })));
    const report = await test.locker.verify();
    expectProblem(report, 'snapshot-altered', `run ${first} stream github/members`, 'stored list was altered');
    for (const runId of later) expectProblem(report, 'snapshot-altered', `run ${runId} stream github/members`, 'stored as a patch');
  });

  it('names run and stream run rows that differ from the signed manifest', async () => {
    const { test, manifests } = await threeRuns();
    attack(
      test.dir,
      `UPDATE stream_runs SET cursor_after = '2030-01-01T00:00:00.000Z' WHERE run_id = '${manifests[0]!.runId}' AND name = 'pull_requests'`,
      `UPDATE runs SET trigger = 'schedule' WHERE id = '${manifests[1]!.runId}'`,
    );
    const report = await test.locker.verify();
    expectProblem(report, 'run-altered', `stream run github/pull_requests of run ${manifests[0]!.runId}`, 'cursorAfter', 'manifest 1');
    expectProblem(report, 'run-altered', `run ${manifests[1]!.runId}`, 'trigger', 'manifest 2');
  });

  it('names item gaps injected into a stream run row whose signed manifest has none', async () => {
    const { test, manifests } = await threeRuns();
    const gaps = JSON.stringify([{ item: 'repository acme/payments', reason: 'forbidden', inScope: true }]);
    attack(test.dir, `UPDATE stream_runs SET item_gaps = '${gaps}' WHERE run_id = '${manifests[1]!.runId}' AND name = 'members'`);
    const report = await test.locker.verify();
    expectProblem(report, 'run-altered', `stream run github/members of run ${manifests[1]!.runId}`, 'itemGaps', 'manifest 2');
    expect(report.problems).toHaveLength(1);
  });

  it('does not rely on the append-only triggers, and notes that they are gone', async () => {
    const { test } = await threeRuns();
    attack(test.dir);
    const report = await test.locker.verify();
    expect(report.ok).toBe(true);
    expect(report.notes.join('\n')).toMatch(/append-only triggers are missing on runs, stream_runs, snapshots/);
  });
});
