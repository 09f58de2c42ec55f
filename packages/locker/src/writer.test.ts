import { describe, it, expect, afterEach } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hashCanonical } from '@evidentia/evidence';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocker, LockerError } from './index.js';
import { account, beginTestRun, collect, createTestLocker, drain, MEMBERS, provenance, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

describe('abort', () => {
  it('throws away what the run wrote and seals it as interrupted', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    const body = await stream.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'alice' }]);
    await stream.putRecord(account('alice', [body]));
    await stream.finish({ status: 'complete', error: null, requests: 1, apiTotal: 1, cursorAfter: null });
    await run.abort();

    expect(await drain(test.locker.records({}))).toEqual([]);
    for (const table of ['records', 'snapshots', 'stream_runs', 'set_members']) expect(rowCount(test.dir, table)).toBe(0);
    expect(await test.locker.runs()).toMatchObject([{ runId: run.runId, status: 'interrupted', sequence: 1, streams: [] }]);
    const report = await test.locker.verify();
    expect(report).toMatchObject({ ok: true, counts: { manifests: 1, snapshots: 0, records: 0 } });
    expect(report.notes.join('\n')).toMatch(/object\(s\) are referenced by no manifest or snapshot/);
    await expect(run.commit()).rejects.toThrow(LockerError);
    expect(existsSync(join(test.dir, 'writer.lock'))).toBe(false);
  });
});

describe('a commit that fails', () => {
  it('rolls the run back, lets abort() pass, and the next run seals it as interrupted', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const objects = join(test.dir, 'objects');
    renameSync(objects, `${objects}.away`);
    writeFileSync(objects, 'not a directory');
    await expect(run.commit()).rejects.toThrow(/ENOTDIR|EEXIST/);
    await expect(run.abort()).resolves.toBeUndefined();
    rmSync(objects);
    renameSync(`${objects}.away`, objects);

    expect(await test.locker.runs()).toMatchObject([{ runId: run.runId, status: 'interrupted', sequence: null }]);
    await collect(test.locker, ['alice']);
    expect((await test.locker.runs()).map((r) => [r.status, r.sequence])).toEqual([
      ['interrupted', 1],
      ['complete', 2],
    ]);
    expect((await test.locker.verify()).ok).toBe(true);
  });
});

describe('a run left without commit', () => {
  it('is declared interrupted by the next run, which then commits and verifies clean', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    await stream.putRecord(account('mallory', []));
    await test.reopen();

    expect((await test.locker.runs()).map((r) => [r.runId, r.status, r.sequence])).toEqual([
      [expect.any(String), 'complete', 1],
      [run.runId, 'interrupted', null],
    ]);
    const next = await collect(test.locker, ['alice', 'bob']);
    expect(next.sequence).toBe(3);
    const runs = await test.locker.runs();
    expect(runs.map((r) => [r.status, r.sequence])).toEqual([
      ['complete', 1],
      ['interrupted', 2],
      ['complete', 3],
    ]);
    expect((await drain(test.locker.records({}))).map((r) => r.key)).toEqual(['alice', 'bob']);
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('shows as running while its writer is alive', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    expect(await test.locker.runs()).toMatchObject([{ runId: run.runId, status: 'running', sequence: null }]);
    const report = await test.locker.verify();
    expect(report.ok).toBe(true);
    expect(report.notes.join('\n')).toContain(`run ${run.runId}`);
    await run.commit();
  });
});

describe('the writer lock', () => {
  it('refuses a second live writer, naming its pid and run', async () => {
    test = await createTestLocker();
    const other = await openLocker(test.dir, { custody: test.keys });
    try {
      const run = await beginTestRun(test.locker);
      await expect(beginTestRun(other)).rejects.toThrow(LockerError);
      await expect(beginTestRun(other)).rejects.toThrow(`locker ${test.dir} is being written by pid ${process.pid} (run ${run.runId})`);
      await run.commit();
      const second = await beginTestRun(other);
      await second.commit();
    } finally {
      await other.close();
    }
    expect((await test.locker.verify()).ok).toBe(true);
  });

  it('replaces a stale lock left by a dead process', async () => {
    test = await createTestLocker();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(test.dir, 'writer.lock'), JSON.stringify({ pid: dead, id: 'gone' }));
    const run = await beginTestRun(test.locker);
    expect(JSON.parse(readFileSync(join(test.dir, 'writer.lock'), 'utf8'))).toEqual({ pid: process.pid, id: run.runId, process: expect.stringMatching(/^[0-9a-f-]+\/\d+$/) });
    await run.commit();
  });
});

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A collector that begins a run, writes some evidence and waits to be killed. */
const KILLED_WRITER = `
import { KeyDirectory, openLocker } from ${JSON.stringify(join(repoRoot, 'packages/locker/src/index.ts'))};
import { account, MEMBERS, provenance } from ${JSON.stringify(join(repoRoot, 'packages/locker/src/test-locker.ts'))};
const locker = await openLocker(process.argv[2], { custody: new KeyDirectory(process.argv[3]) });
const run = await locker.beginRun({ trigger: 'schedule', collectorVersion: '0.1.0', parameters: {} });
const stream = await run.beginStream(MEMBERS);
const body = await stream.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'eve' }]);
for (let i = 0; i < 500; i++) await stream.putRecord(account('eve' + i, [body]));
process.stdout.write(run.runId + '\\n');
setInterval(() => {}, 1000);
`;

/** Run KILLED_WRITER on the test locker and SIGKILL it once it has written; resolves to its run id. */
async function killedWriter(test: TestLocker): Promise<string> {
  const script = join(test.dir, 'killed-writer.mts');
  writeFileSync(script, KILLED_WRITER);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script, test.dir, test.keys.location], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const runId = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return runId;
}

describe('a writer killed with SIGKILL', () => {
  it('leaves no evidence counted; the next run seals it as interrupted', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const runId = await killedWriter(test);

    expect((await test.locker.runs()).at(-1)).toMatchObject({ runId, status: 'interrupted', sequence: null });
    expect((await drain(test.locker.records({}))).map((r) => r.key)).toEqual(['alice']);
    const next = await collect(test.locker, ['alice']);
    expect(next.sequence).toBe(3);
    expect((await test.locker.runs()).find((r) => r.runId === runId)).toMatchObject({ status: 'interrupted', sequence: 2 });
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
  });

  it('leaves object files that a power cut may empty; the next run to see the same response stores it again', async () => {
    test = await createTestLocker();
    await killedWriter(test);
    // The killed run's body was never flushed (only a sealed run's objects are): after a power cut its file may be empty.
    const { hash } = hashCanonical([{ login: 'eve' }]);
    const file = join(test.dir, 'objects', hash.slice(0, 2), hash.slice(2));
    expect(existsSync(file)).toBe(true);
    truncateSync(file, 0);

    const run = await beginTestRun(test.locker);
    const members = await run.beginStream(MEMBERS);
    const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'eve' }]);
    await members.putRecord(account('eve', [body]));
    await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: 1, cursorAfter: null });
    await run.commit();

    expect((await test.locker.verify()).problems).toEqual([]);
    expect(JSON.parse((await test.locker.readObject(body)).toString('utf8'))).toEqual([{ login: 'eve' }]);
  });
});

/**
 * A collector whose locker.db writes fail part-way through its second stream (the file-size limit the test sets
 * makes them fail with EFBIG, as a full disk fails them with ENOSPC), then carries on as the runner does: the
 * stream is finished as failed, the run committed, and aborted when that throws. Prints what it saw.
 */
const FILLED_WRITER = `
import { KeyDirectory, openLocker } from ${JSON.stringify(join(repoRoot, 'packages/locker/src/index.ts'))};
import { account, MEMBERS, provenance } from ${JSON.stringify(join(repoRoot, 'packages/locker/src/test-locker.ts'))};
const locker = await openLocker(process.argv[2], { custody: new KeyDirectory(process.argv[3]) });
const run = await locker.beginRun({ trigger: 'schedule', collectorVersion: '0.1.0', parameters: {} });
const members = await run.beginStream(MEMBERS);
const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'carol' }]);
await members.putRecord(account('carol', [body]));
await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: 1, cursorAfter: null });
const others = await run.beginStream({ ...MEMBERS, stream: 'outside' });
const page = await others.putSnapshot(provenance('https://api.github.com/orgs/acme/outside_collaborators'), [{ login: 'dave' }]);
let writeError = null;
for (let i = 0; i < 100000 && !writeError; i++) {
  await others.putRecord({ ...account('dave-' + i + '-'.repeat(400), [page]), stream: 'github/outside' }).catch((error) => (writeError = error.message));
}
// A record after the failure is refused too (records are guarded by the writer's check, not by a trigger).
const recordAfter = await others.putRecord({ ...account('erin', [page]), stream: 'github/outside' }).then(() => 'written', (error) => error.message);
const seen = { writeError, recordAfter, finished: null, committed: null, aborted: null };
try {
  await others.finish({ status: 'failed', error: writeError, requests: 1, apiTotal: null, cursorAfter: null });
  seen.finished = 'yes';
  seen.committed = (await run.commit()).status;
} catch (error) {
  seen.finished ??= error.message;
  await run.abort().then(() => (seen.aborted = 'yes'), (error) => (seen.aborted = error.message));
}
process.stdout.write(JSON.stringify(seen) + '\\n');
`;

describe('a run whose database writes fail (a full disk)', () => {
  it('keeps nothing of the run, commits no row of it on its own, and leaves a locker that verifies', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const script = join(test.dir, 'filled-writer.mts');
    writeFileSync(script, FILLED_WRITER);
    // Well above locker.db's size, so only the growing write-ahead log of the run reaches it.
    const limit = statSync(join(test.dir, 'locker.db')).size + 1_000_000;
    const child = spawnSync('prlimit', [`--fsize=${limit}`, process.execPath, '--conditions=source', '--import', 'tsx', script, test.dir, test.keys.location], { cwd: repoRoot, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const seen = JSON.parse(child.stdout) as Record<string, string | null>;
    expect(seen.writeError).toMatch(/disk I\/O error|database or disk is full/);
    expect(seen.recordAfter).toMatch(/an earlier write failed and SQLite rolled back the run's transaction/);
    expect(seen.committed).toBeNull();
    expect(seen.aborted).toBe('yes');
    expect(seen.finished).toMatch(/^cannot write .*locker\.db: an earlier write failed and SQLite rolled back the run's transaction \(a full disk, a file-size limit or a failing device\); nothing of run \S+ was kept/);

    await test.reopen();
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    expect((await drain(test.locker.records({}))).map((r) => r.key)).toEqual(['alice']);
    const next = await collect(test.locker, ['alice', 'bob']);
    expect(next.status).toBe('complete');
    expect((await test.locker.runs()).map((r) => r.status)).toEqual(['complete', 'interrupted', 'complete']);
    expect((await test.locker.verify()).problems).toEqual([]);
    expect((await drain(test.locker.records({}))).map((r) => r.key)).toEqual(['alice', 'bob']);
  }, 120_000);
});
