/**
 * Shared setup for the locker's tests: a fresh locker in a temp directory
 * with a controllable clock, and small valid evidence to write into it.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EvidenceRecord } from '@evidentia/evidence';
import type { Provenance } from '@evidentia/evidence';
import { KeyDirectory } from './file-keys.js';
import { initLocker, openLocker } from './locker.js';
import { encodeSnapshotList } from './snapshot-list-codec.js';
import { decodeListRow, ListCache, listRowOf, snapshotEntryHash, type ListRow, type SnapshotLine } from './snapshot-lists.js';
import type { Locker, Manifest, RunWriter, StreamStart } from './types.js';

export interface TestLocker {
  dir: string;
  /** The private key directory, outside the locker as `evidentia init` keeps it. */
  keys: KeyDirectory;
  locker: Locker;
  clock: { time: Date; advance(ms: number): void };
  reopen(): Promise<Locker>;
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;

export async function createTestLocker(start = '2025-03-01T09:00:00.000Z'): Promise<TestLocker> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-locker-'));
  const keys = new KeyDirectory(await mkdtemp(join(tmpdir(), 'evidentia-keys-')));
  await initLocker(dir, { custody: keys });
  const clock = {
    time: new Date(start),
    advance(ms: number) {
      this.time = new Date(this.time.getTime() + ms);
    },
  };
  const now = () => {
    const current = clock.time;
    clock.advance(1000);
    return current;
  };
  const test: TestLocker = {
    dir,
    keys,
    clock,
    locker: await openLocker(dir, { now, custody: keys }),
    async reopen() {
      await test.locker.close();
      test.locker = await openLocker(dir, { now, custody: keys });
      return test.locker;
    },
    async cleanup() {
      await test.locker.close();
      await rm(dir, { recursive: true, force: true });
      await rm(keys.location, { recursive: true, force: true });
    },
  };
  return test;
}

export const ONE_DAY = DAY;

export function provenance(url: string, collectedAt = '2025-03-01T09:00:00.000Z'): Provenance {
  return {
    method: 'GET',
    url,
    requestBody: null,
    status: 200,
    headers: { etag: '"abc"' },
    collectedAt,
    connector: 'github',
    connectorVersion: '1.0.0',
    collectorVersion: '0.1.0',
    identity: 'bot@acme',
  };
}

export function account(login: string, sources: string[], extra: { privileged?: boolean } = {}): EvidenceRecord {
  return {
    kind: 'access.account',
    key: login,
    system: 'github:acme',
    stream: 'github/members',
    occurredAt: null,
    data: {
      accountId: login,
      displayName: login,
      email: null,
      accountType: 'member',
      status: 'active',
      privileged: extra.privileged ?? false,
      roles: extra.privileged ? ['admin'] : ['member'],
      mfa: 'enabled',
      createdAt: null,
      lastLoginAt: null,
      credentials: [],
      ssoIdentity: null,
    },
    sources,
    controls: ['CC6.1', 'CC6.2'],
  };
}

export function pullRequest(id: string, title: string, sources: string[]): EvidenceRecord {
  return {
    kind: 'change.request',
    key: id,
    system: 'github:acme',
    stream: 'github/pull_requests',
    occurredAt: '2025-02-28T12:00:00.000Z',
    data: {
      id,
      title,
      url: null,
      author: { login: 'alice' },
      approvals: [],
      createdAt: null,
      mergedAt: '2025-02-28T12:00:00.000Z',
      mergedBy: null,
      closedAt: null,
      target: 'main',
      headRevision: null,
      headRevisionAt: null,
      linkedTickets: [],
      emergency: false,
    },
    sources,
    controls: ['CC8.1'],
  };
}

export const MEMBERS: StreamStart = {
  instance: 'github',
  connector: 'github',
  connectorVersion: '1.0.0',
  stream: 'members',
  type: 'state',
  cursorBefore: null,
  rangeSince: null,
  rangeUntil: null,
};

export const PULL_REQUESTS: StreamStart = { ...MEMBERS, stream: 'pull_requests', type: 'event' };

export function beginTestRun(locker: Locker): Promise<RunWriter> {
  return locker.beginRun({ trigger: 'manual', collectorVersion: '0.1.0', parameters: { streams: ['github/*'] } });
}

/** One run: the members state stream sees `logins`, the pull request event stream sees `prs`. */
export async function collect(locker: Locker, logins: string[], prs: [string, string][] = [], cursorAfter = '2025-03-01T00:00:00.000Z'): Promise<Manifest> {
  const run = await beginTestRun(locker);
  const members = await run.beginStream(MEMBERS);
  const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), logins.map((login) => ({ login })));
  for (const login of logins) await members.putRecord(account(login, [body]));
  await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: logins.length, cursorAfter: null });
  const pulls = await run.beginStream({ ...PULL_REQUESTS, cursorBefore: await locker.cursor('github', 'pull_requests') });
  const prBody = await pulls.putSnapshot(provenance('https://api.github.com/graphql'), prs.map(([id, title]) => ({ id, title })));
  for (const [id, title] of prs) await pulls.putRecord(pullRequest(id, title, [prBody]));
  await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter });
  return run.commit();
}

/** One run of the members state stream observing exactly `logins`, then a day passes; returns the stream's manifest entry. */
export async function observeMembers(test: TestLocker, logins: string[]) {
  const run = await beginTestRun(test.locker);
  const members = await run.beginStream(MEMBERS);
  const body = await members.putSnapshot(provenance('https://api.github.com/orgs/acme/members'), { page: 1 });
  for (const login of logins) await members.putRecord(account(login, [body]));
  await members.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  const manifest = await run.commit();
  test.clock.advance(ONE_DAY);
  return manifest.streams[0]!;
}

export async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A raw connection, as an attacker with file access would use: the append-only triggers dropped first. */
export function attackerConnection(dir: string): Database.Database {
  const db = new Database(join(dir, 'locker.db'));
  const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[];
  for (const name of triggers) db.exec(`DROP TRIGGER ${name}`);
  return db;
}

/** Rows in a locker table, read behind the locker's back. */
export function rowCount(dir: string, table: string): number {
  const db = new Database(join(dir, 'locker.db'), { readonly: true });
  try {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Blob files under objects/. */
export function objectCount(dir: string): number {
  return readdirSync(join(dir, 'objects'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

/** Rewrite one stream run's snapshot list behind the locker's back (whole, no base), as an attacker could. */
export function rewriteSnapshotList(dir: string, runId: string, stream: string, edit: (lines: SnapshotLine[]) => SnapshotLine[]): void {
  const db = attackerConnection(dir);
  try {
    const row = listRowOf(db, runId, stream);
    if (!row) throw new Error(`run ${runId} has no snapshot list for ${stream}`);
    const lines = edit([...decodeListRow(db, row, new ListCache())]);
    db.prepare('UPDATE snapshot_lists SET data = ?, base = NULL, entry_count = ? WHERE id = ?').run(encodeSnapshotList(lines, null), lines.length, row.id);
  } finally {
    db.close();
  }
}

/**
 * Turn a locker into what evidentia wrote before schema 5: one `snapshots` row
 * per entry, no snapshot lists or conditional-request pointers.
 */
export function toSchema3Snapshots(dir: string): void {
  // Inserting and dropping tables pass the append-only triggers, which stay as an older locker had them.
  const db = new Database(join(dir, 'locker.db'));
  try {
    const insert = db.prepare('INSERT INTO snapshots (run_id, stream, seq, entry_hash, body_hash, provenance) VALUES (?, ?, ?, ?, ?, ?)');
    const cache = new ListCache();
    for (const row of db.prepare('SELECT * FROM snapshot_lists ORDER BY id').all() as ListRow[]) {
      decodeListRow(db, row, cache).forEach((line, index) => insert.run(row.run_id, row.stream, index + 1, snapshotEntryHash(line.provenance, line.bodyHash), line.bodyHash, line.provenance));
    }
    // Schema 6's document_entries, 7's exception_acceptances 8's access_review_entries and 9's portal_log_entries (empty in these tests) go too: a schema 4 locker never had them.
    db.exec('DROP TABLE snapshot_lists; DROP TABLE conditional_bases; DROP TABLE document_entries; DROP TABLE exception_acceptances; DROP TABLE access_review_entries; DROP TABLE portal_log_entries;');
    db.pragma('user_version = 4');
  } finally {
    db.close();
  }
}
