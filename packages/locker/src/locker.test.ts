import { describe, it, expect, afterEach } from '@jest/globals';
import { existsSync, statSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify as verifySignature } from 'node:crypto';
import Database from 'better-sqlite3';
import { RecordValidationError } from '@evidentia/evidence';
import { initLocker, openLocker, LockerError } from './index.js';
import {
  account,
  beginTestRun,
  collect,
  createTestLocker,
  drain,
  MEMBERS,
  objectCount,
  ONE_DAY,
  provenance,
  PULL_REQUESTS,
  pullRequest,
  rowCount,
  type TestLocker,
} from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'evidentia-locker-'));
}

describe('initLocker', () => {
  it('creates the database in WAL mode, objects/ and an Ed25519 key readable only by its owner', async () => {
    const dir = await tempDir();
    try {
      const result = await initLocker(dir);
      expect(result).toMatchObject({ dir, created: true });
      expect(result.keyId).toMatch(/^[0-9a-f]{64}$/);
      expect(result.publicKey).toContain('BEGIN PUBLIC KEY');
      expect(existsSync(join(dir, 'objects'))).toBe(true);
      expect(statSync(join(dir, 'keys', 'signing.key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'keys', 'signing.pub'), 'utf8')).toBe(result.publicKey);
      const db = new Database(join(dir, 'locker.db'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is idempotent: a second init keeps the key and the data', async () => {
    const dir = await tempDir();
    try {
      const first = await initLocker(dir);
      const privateKey = readFileSync(join(dir, 'keys', 'signing.key'), 'utf8');
      const locker = await openLocker(dir);
      await collect(locker, ['alice']);
      await locker.close();
      const second = await initLocker(dir);
      expect(second).toEqual({ ...first, created: false, keyLocation: null });
      expect(readFileSync(join(dir, 'keys', 'signing.key'), 'utf8')).toBe(privateKey);
      expect(rowCount(dir, 'manifests')).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('openLocker', () => {
  it('names the directory and says to run evidentia init when there is no locker', async () => {
    const dir = await tempDir();
    try {
      await expect(openLocker(dir)).rejects.toThrow(LockerError);
      await expect(openLocker(dir)).rejects.toThrow(`${dir} is not an evidence locker (no locker.db); run \`evidentia init\``);
      await expect(openLocker(join(dir, 'nowhere'))).rejects.toThrow(/nowhere is not an evidence locker/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a SQLite file that is not a locker', async () => {
    const dir = await tempDir();
    try {
      mkdirSync(join(dir, 'keys'));
      writeFileSync(join(dir, 'keys', 'signing.pub'), '');
      new Database(join(dir, 'locker.db')).exec('CREATE TABLE t (x)');
      await expect(openLocker(dir)).rejects.toThrow(/locker\.db is not a locker database.*evidentia init/);
      await expect(initLocker(dir)).rejects.toThrow(/locker\.db is a SQLite database but not an evidence locker/);
      rmSync(join(dir, 'keys', 'signing.pub'));
      await expect(initLocker(dir)).rejects.toThrow(/has a locker database but no keys\/signing\.pub/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a run', () => {
  it('with a state and an event stream commits a signed manifest and verifies clean', async () => {
    test = await createTestLocker();
    const manifest = await collect(test.locker, ['alice', 'bob'], [['101', 'Fix login']]);
    expect(manifest).toMatchObject({ format: 'evidentia.manifest/1', sequence: 1, previous: null, status: 'complete', trigger: 'manual' });
    expect(manifest.streams.map((s) => [s.stream, s.status, s.snapshotCount, s.recordCount])).toEqual([
      ['members', 'complete', 1, 2],
      ['pull_requests', 'complete', 1, 1],
    ]);

    const [run] = await test.locker.runs();
    expect(run).toMatchObject({ runId: manifest.runId, sequence: 1, status: 'complete', finishedAt: manifest.finishedAt });
    const bytes = await test.locker.readObject(run!.manifestHash!);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(manifest);
    const db = new Database(join(test.dir, 'locker.db'), { readonly: true });
    const signature = db.prepare('SELECT signature FROM manifests WHERE sequence = 1').pluck().get() as string;
    db.close();
    expect(verifySignature(null, bytes, await test.locker.publicKey(), Buffer.from(signature, 'base64'))).toBe(true);

    const report = await test.locker.verify();
    expect(report).toMatchObject({ ok: true, problems: [], counts: { manifests: 1, snapshots: 2, records: 3 } });
  });

  it('stores identical snapshot bodies once and keeps each snapshot entry with its provenance', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    const before = objectCount(test.dir);
    const first = await stream.putSnapshot(provenance('https://api.github.com/orgs/acme/members?page=1'), [{ login: 'alice' }]);
    const second = await stream.putSnapshot(provenance('https://api.github.com/orgs/acme/members?page=2'), [{ login: 'alice' }]);
    expect(second).toBe(first);
    expect(objectCount(test.dir) - before).toBe(1);
    await stream.finish({ status: 'complete', error: null, requests: 2, apiTotal: null, cursorAfter: null });
    const manifest = await run.commit();
    expect(manifest.streams[0]!.snapshotCount).toBe(2);

    const entries = (await drain(test.locker.snapshotEntries(manifest.runId, 'github/members'))).map((entry) => entry.entryHash);
    expect(new Set(entries).size).toBe(2);
    // Both entries sit in one list row for the stream run, not a row each.
    expect(rowCount(test.dir, 'snapshot_lists')).toBe(1);
    const stored = await test.locker.snapshot(entries[1]!);
    expect(stored).toEqual({
      entryHash: entries[1],
      bodyHash: first,
      provenance: provenance('https://api.github.com/orgs/acme/members?page=2'),
      runId: manifest.runId,
      stream: 'github/members',
    });
    expect(JSON.parse((await test.locker.readObject(first)).toString('utf8'))).toEqual([{ login: 'alice' }]);
    expect(await test.locker.snapshot('0'.repeat(64))).toBeNull();
  });

  it('validates records and refuses one written to another stream', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    const invalid = { ...account('alice', []), data: { accountId: 'alice' } };
    await expect(stream.putRecord(invalid)).rejects.toThrow(RecordValidationError);
    await expect(stream.putRecord(pullRequest('1', 'x', []))).rejects.toThrow('names stream github/pull_requests but was written to github/members');
    await expect(run.beginStream(MEMBERS)).rejects.toThrow(`stream github/members was already begun in run ${run.runId}`);
    await run.abort();
  });

  it("refuses a record naming a source it never stored, and takes this run's snapshots and an earlier run's as sources", async () => {
    test = await createTestLocker();
    const first = await beginTestRun(test.locker);
    const members = await first.beginStream(MEMBERS);
    const earlier = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'alice' }]);
    await members.putRecord(account('alice', [earlier]));
    await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    await first.commit();

    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    const made = 'c'.repeat(64);
    await expect(stream.putRecord(account('bob', [made]))).rejects.toThrow(`record access.account "bob" names sources that were never stored: ${made}`);
    const page = await stream.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'bob' }]);
    await stream.putRecord(account('bob', [page]));
    await stream.putRecord(account('alice', [earlier]));
    await stream.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
    const manifest = await run.commit();
    expect(manifest.streams[0]).toMatchObject({ status: 'complete', recordCount: 2 });
  });

  it('records a stream left unfinished at commit as failed', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const stream = await run.beginStream(MEMBERS);
    await stream.putRecord(account('alice', []));
    const manifest = await run.commit();
    expect(manifest.status).toBe('failed');
    expect(manifest.streams[0]).toMatchObject({ status: 'failed', error: 'the stream was not finished before the run was committed', recordCount: 1 });
    await expect(stream.putRecord(account('bob', []))).rejects.toThrow(/run .* is no longer open/);
    expect((await test.locker.verify()).ok).toBe(true);
  });
});

describe('growth', () => {
  it('an unchanged state stream reuses the same record set and adds no record rows', async () => {
    test = await createTestLocker();
    const first = await collect(test.locker, ['alice', 'bob'], [['101', 'Fix login']]);
    const records = rowCount(test.dir, 'records');
    const sets = rowCount(test.dir, 'record_sets');
    const objects = objectCount(test.dir);
    test.clock.advance(ONE_DAY);
    const second = await collect(test.locker, ['alice', 'bob'], [['101', 'Fix login']]);
    expect(second.streams[0]!.recordSet).toBe(first.streams[0]!.recordSet);
    expect(second.streams[0]!.recordRoot).toBe(first.streams[0]!.recordRoot);
    expect(rowCount(test.dir, 'records')).toBe(records);
    expect(rowCount(test.dir, 'record_sets')).toBe(sets);
    // Only the new manifest: snapshot bodies are identical to yesterday's, and record sets are rows, not objects.
    expect(objectCount(test.dir)).toBe(objects + 1);
    expect(second).toMatchObject({ sequence: 2, previous: (await test.locker.runs())[0]!.manifestHash });
  });
});

describe('records', () => {
  it('answers "who had access at a time" from the last complete state run at or before it', async () => {
    test = await createTestLocker('2025-03-01T09:00:00.000Z');
    const march1 = await collect(test.locker, ['alice', 'bob']);
    test.clock.time = new Date('2025-03-02T09:00:00.000Z');
    await collect(test.locker, ['alice', 'carol']);
    test.clock.time = new Date('2025-03-03T09:00:00.000Z');
    const run = await beginTestRun(test.locker);
    const failed = await run.beginStream(MEMBERS);
    await failed.putRecord(account('mallory', []));
    await failed.finish({ status: 'failed', error: 'HTTP 502', requests: 1, apiTotal: null, cursorAfter: null });
    await run.commit();

    const logins = async (at?: string) =>
      (await drain(test!.locker.records({ stream: 'github/members', ...(at ? { at: new Date(at) } : {}) }))).map((r) => r.key);
    expect(await logins('2025-03-01T23:59:59.000Z')).toEqual(['alice', 'bob']);
    expect(await logins('2025-03-02T23:59:59.000Z')).toEqual(['alice', 'carol']);
    expect(await logins('2025-03-03T23:59:59.000Z')).toEqual(['alice', 'carol']);
    expect(await logins()).toEqual(['alice', 'carol']);
    expect(await logins('2025-02-28T00:00:00.000Z')).toEqual([]);

    const [alice] = await drain(test.locker.records({ stream: 'github/members', at: new Date('2025-03-01T12:00:00.000Z'), limit: 1 }));
    expect(alice).toMatchObject({ key: 'alice', kind: 'access.account', runId: march1.runId, observedAt: march1.streams[0]!.startedAt });
    expect(alice!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps every version of an event record and serves the newest', async () => {
    test = await createTestLocker();
    const first = await collect(test.locker, ['alice'], [['101', 'Fix login'], ['102', 'Add audit log']]);
    test.clock.advance(ONE_DAY);
    await collect(test.locker, ['alice'], [['101', 'Fix login (edited)']]);

    const pulls = await drain(test.locker.records({ kind: 'change.request' }));
    expect(pulls.map((r) => [r.key, r.data.title])).toEqual([
      ['101', 'Fix login (edited)'],
      ['102', 'Add audit log'],
    ]);
    expect(pulls[1]).toMatchObject({ runId: first.runId, observedAt: first.streams[1]!.startedAt });
    expect(rowCount(test.dir, "records WHERE kind = 'change.request'")).toBe(3);
    expect((await drain(test.locker.records({ kind: 'change.request', at: new Date(first.finishedAt) }))).map((r) => r.data.title)).toEqual([
      'Fix login',
      'Add audit log',
    ]);
  });

  it('filters by control, kind and limit', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice', 'bob'], [['101', 'Fix login']]);
    expect((await drain(test.locker.records({ control: 'CC8.1' }))).map((r) => r.key)).toEqual(['101']);
    expect((await drain(test.locker.records({ control: 'CC6.2' }))).map((r) => r.key)).toEqual(['alice', 'bob']);
    expect(await drain(test.locker.records({ control: 'CC9.9' }))).toEqual([]);
    expect((await drain(test.locker.records({ kind: 'access.account', limit: 1 }))).map((r) => r.key)).toEqual(['alice']);
    expect(await drain(test.locker.records({}))).toHaveLength(3);
  });
});

describe('conditional requests', () => {
  it('offers the last successful response with an ETag for revalidation, never an error response', async () => {
    test = await createTestLocker();
    const first = await beginTestRun(test.locker);
    const members = await first.beginStream(MEMBERS);
    const ok = { ...provenance('https://api.github.com/orgs/acme/members'), headers: { etag: '"m1"', link: '<https://api.github.com/x?page=2>; rel="next"' } };
    const notProtected = { ...provenance('https://api.github.com/repos/acme/api/branches/main/protection'), status: 404, headers: { etag: '"p1"' } };
    await members.putSnapshot(ok, [{ login: 'alice' }]);
    await members.putSnapshot(notProtected, { message: 'Branch not protected' });
    await members.finish({ status: 'complete', error: null, requests: 2, apiTotal: 1, cursorAfter: null });
    await first.commit();

    const second = await beginTestRun(test.locker);
    const again = await second.beginStream(MEMBERS);
    expect(await again.previousSnapshot?.('GET', ok.url)).toEqual({ etag: '"m1"', entryHash: expect.stringMatching(/^[0-9a-f]{64}$/), body: [{ login: 'alice' }], headers: ok.headers });
    expect(await again.previousSnapshot?.('GET', notProtected.url)).toBeNull();
    expect(await again.previousSnapshot?.('POST', ok.url)).toBeNull();
    await second.abort();
  });
});

describe('what a stream can read back', () => {
  it('serves the newest record of a key and a stored body by hash, never an altered or missing one', async () => {
    test = await createTestLocker();
    const first = await beginTestRun(test.locker);
    const members = await first.beginStream(MEMBERS);
    const listing = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), [{ login: 'alice' }]);
    const detail = await members.putSnapshot(provenance('https://api.github.com/users/alice'), { login: 'alice', name: 'Alice' });
    await members.putRecord(account('alice', [listing, detail]));
    await members.finish({ status: 'complete', error: null, requests: 2, apiTotal: 1, cursorAfter: null });
    await first.commit();

    const second = await beginTestRun(test.locker);
    const again = await second.beginStream(MEMBERS);
    const previous = await again.previousRecord?.('access.account', 'alice');
    expect(previous?.sources).toEqual([listing, detail].sort());
    expect(await again.previousRecord?.('access.account', 'bob')).toBeNull();
    expect(await again.storedBody?.(listing)).toEqual([{ login: 'alice' }]);
    expect(await again.storedBody?.('0'.repeat(64))).toBeUndefined();
    writeFileSync(join(test.dir, 'objects', detail.slice(0, 2), detail.slice(2)), 'altered');
    expect(await again.storedBody?.(detail)).toBeUndefined();
    await second.abort();
  });
});

describe('cursor', () => {
  it('moves only when the stream completes', async () => {
    test = await createTestLocker();
    expect(await test.locker.cursor('github', 'pull_requests')).toBeNull();
    await collect(test.locker, ['alice'], [], '2025-03-01T00:00:00.000Z');
    expect(await test.locker.cursor('github', 'pull_requests')).toBe('2025-03-01T00:00:00.000Z');

    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream({ ...PULL_REQUESTS, cursorBefore: '2025-03-01T00:00:00.000Z' });
    await pulls.finish({ status: 'failed', error: 'rate limited', requests: 3, apiTotal: null, cursorAfter: '2025-03-02T00:00:00.000Z' });
    const failed = await run.commit();
    expect(failed.streams[0]).toMatchObject({ status: 'failed', cursorBefore: '2025-03-01T00:00:00.000Z', cursorAfter: null });
    expect(await test.locker.cursor('github', 'pull_requests')).toBe('2025-03-01T00:00:00.000Z');

    await collect(test.locker, ['alice'], [], '2025-03-03T00:00:00.000Z');
    expect(await test.locker.cursor('github', 'pull_requests')).toBe('2025-03-03T00:00:00.000Z');
    expect(await test.locker.cursor('github', 'members')).toBeNull();
  });

  it('keeps declared gaps in the signed manifest, and verify notices an edited one', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream({ ...PULL_REQUESTS, rangeSince: '2024-12-01T00:00:00.000Z', rangeUntil: '2025-03-01T00:00:00.000Z' });
    const gap = { since: '2024-12-01T00:00:00.000Z', until: '2024-12-02T00:00:00.000Z', reason: 'the source keeps 90 days of history' };
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: 0, cursorAfter: '2025-03-01T00:00:00.000Z', gaps: [gap] });
    const manifest = await run.commit();
    expect(manifest.streams[0]?.gaps).toEqual([gap]);
    expect((await test.locker.runs())[0]?.streams[0]?.gaps).toEqual([gap]);
    expect((await test.locker.verify()).ok).toBe(true);

    const db = new Database(join(test.dir, 'locker.db'));
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${name}"`);
    db.prepare("UPDATE stream_runs SET gaps = '[]'").run();
    db.close();
    const report = await test.locker.verify();
    expect(report.problems).toEqual([expect.objectContaining({ code: 'run-altered', message: expect.stringContaining('gaps') })]);
  });

  it('ignores a run that is not committed yet', async () => {
    test = await createTestLocker();
    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream(PULL_REQUESTS);
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: '2025-03-05T00:00:00.000Z' });
    expect(await test.locker.cursor('github', 'pull_requests')).toBeNull();
    expect(await drain(test.locker.records({}))).toEqual([]);
    await run.commit();
    expect(await test.locker.cursor('github', 'pull_requests')).toBe('2025-03-05T00:00:00.000Z');
  });
});

describe('append-only', () => {
  it('rejects UPDATE and DELETE on every table through a normal connection', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice'], [['101', 'Fix login']]);
    const db = new Database(join(test.dir, 'locker.db'));
    try {
      for (const table of ['runs', 'stream_runs', 'snapshot_lists', 'records', 'record_controls', 'record_sets', 'manifests']) {
        expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()).toBeGreaterThan(0);
        expect(() => db.exec(`DELETE FROM ${table}`)).toThrow('evidence locker is append-only');
        const column = db.prepare(`SELECT name FROM pragma_table_info('${table}') LIMIT 1`).pluck().get() as string;
        expect(() => db.exec(`UPDATE ${table} SET ${column} = ${column}`)).toThrow('evidence locker is append-only');
      }
    } finally {
      db.close();
    }
    expect((await test.locker.verify()).ok).toBe(true);
  });
});
