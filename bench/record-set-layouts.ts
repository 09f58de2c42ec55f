/**
 * Record-set layouts compared on realistic sets, in bytes per member: what
 * the locker writes (schema 4: one record_sets row per set, members as
 * encoded record rowids), against (set id, rowid) pairs in a WITHOUT ROWID
 * table and schema 3's (set hash, record hash) pairs plus a gzip object of
 * the sorted hash list. The sets come from real locker runs: a state stream
 * of 10,000 accounts with 5 of them changed each day (stored as a change),
 * and an event stream with 3,000 new events each day.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { initLocker, openLocker, type Locker } from '@evidentia/locker';
import type { BenchSection } from './section.js';
import { syntheticAccount } from './synthetic-account.js';

const DAYS = 12;
const STATE_SIZE = 10_000;
const CHANGES = 5;
const EVENTS = 3_000;
const PROVENANCE = { method: 'GET', requestBody: null, status: 200, headers: {}, collectedAt: '2026-01-01T00:00:00.000Z', connector: 'bench', connectorVersion: '0', collectorVersion: 'bench', identity: 'bench' };

/** One day's run of one stream; returns its record set hash. */
async function day(locker: Locker, type: 'state' | 'event', n: number): Promise<string> {
  const run = await locker.beginRun({ trigger: 'bench', collectorVersion: 'bench', parameters: {} });
  const name = type === 'state' ? 'members' : 'events';
  const stream = await run.beginStream({ instance: 'bench', connector: 'bench', connectorVersion: '0', stream: name, type, cursorBefore: null, rangeSince: null, rangeUntil: null });
  const page = await stream.putSnapshot({ ...PROVENANCE, url: `https://bench.invalid/${name}` }, { page: 1 });
  if (type === 'state') {
    // From day 2, CHANGES accounts a day get a new version (a changed role), spread over the inventory.
    const changedOn = new Map<number, number>();
    for (let d = 2; d <= n; d++) for (let c = 0; c < CHANGES; c++) changedOn.set((d * 1_997 + c * 2_003) % STATE_SIZE, d);
    for (let index = 0; index < STATE_SIZE; index++) {
      const record = syntheticAccount(index, page);
      const changed = changedOn.get(index);
      await stream.putRecord(changed === undefined ? record : { ...record, data: { ...record.data, roles: [`role-${changed}`] } });
    }
  } else {
    for (let i = 0; i < EVENTS; i++) {
      const at = new Date(Date.UTC(2026, 0, n, 0, 0, i % 86_400)).toISOString();
      await stream.putRecord({ kind: 'audit.event', key: `event-${n}-${i}`, system: 'bench:synthetic', stream: 'bench/events', occurredAt: at, data: { actor: { login: `user-${i % 500}` }, action: 'ConsoleLogin', target: null, at, sourceAddress: null, outcome: 'success' }, sources: [page], controls: ['CC7.2'] });
    }
  }
  await stream.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null });
  return (await run.commit()).streams[0]!.recordSet;
}

/** Bytes the rows of some tables and indexes take in their pages (cell headers and pointers included, free space not). */
function usedBytes(db: Database.Database, names: string[]): number {
  return names.reduce((sum, name) => sum + ((db.prepare('SELECT SUM(pgsize - unused) FROM dbstat WHERE name = ?').pluck().get(name) as number | null) ?? 0), 0);
}

interface Layouts {
  schema4: number;
  integerRows: number;
  hashPairs: number;
  gzipObjects: number;
  members: number;
}

const SCRATCH = `CREATE TABLE pairs (set_id INTEGER, record_id INTEGER, PRIMARY KEY (set_id, record_id)) WITHOUT ROWID;
CREATE TABLE changes (set_id INTEGER, removed INTEGER, record_id INTEGER, PRIMARY KEY (set_id, removed, record_id)) WITHOUT ROWID;
CREATE TABLE hashes (set_hash TEXT, record_hash TEXT, PRIMARY KEY (set_hash, record_hash)) WITHOUT ROWID;
CREATE TABLE hash_changes (set_hash TEXT, removed INTEGER, record_hash TEXT, PRIMARY KEY (set_hash, removed, record_hash)) WITHOUT ROWID;
CREATE TABLE sets (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, base INTEGER, depth INTEGER NOT NULL, size INTEGER NOT NULL);
CREATE TABLE set_deltas (set_hash TEXT PRIMARY KEY, base_hash TEXT NOT NULL, depth INTEGER NOT NULL) WITHOUT ROWID;`;
/** Each layout's tables: the (set id, rowid) layout needs a row per set naming its hash too, schema 3 one per change. */
const INTEGER_TABLES = ['pairs', 'changes', 'sets', 'sqlite_autoindex_sets_1'];
const HASH_TABLES = ['hashes', 'hash_changes', 'set_deltas'];

/**
 * Write one stream's daily sets through the locker and, alongside, in the two
 * other layouts (a state set after day 1 as a change, as the locker stores
 * it); returns what days 2 to DAYS added in each, and their members.
 */
async function measure(type: 'state' | 'event'): Promise<Layouts> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-bench-sets-'));
  const dir = join(root, 'locker');
  await initLocker(dir);
  const locker = await openLocker(dir);
  const scratch = new Database(':memory:');
  scratch.exec(SCRATCH);
  const sizes = () => {
    const db = new Database(join(dir, 'locker.db'), { readonly: true });
    try {
      return { schema4: usedBytes(db, ['record_sets', 'sqlite_autoindex_record_sets_1']), integerRows: usedBytes(scratch, INTEGER_TABLES), hashPairs: usedBytes(scratch, HASH_TABLES) };
    } finally {
      db.close();
    }
  };
  try {
    let previous: string[] = [];
    let previousSet = '';
    let afterDay1 = { schema4: 0, integerRows: 0, hashPairs: 0 };
    let gzipObjects = 0;
    let members = 0;
    for (let n = 1; n <= DAYS; n++) {
      const set = await day(locker, type, n);
      // The canonical list the set's hash covers, rebuilt from its row.
      const current = JSON.parse((await locker.readObject(set)).toString('utf8')) as string[];
      const db = new Database(join(dir, 'locker.db'), { readonly: true });
      const rowid = db.prepare('SELECT rowid FROM records WHERE hash = ?').pluck();
      const asChange = type === 'state' && n > 1;
      const had = new Set(previous);
      const keep = new Set(current);
      const rows: Array<[number, string]> = asChange ? [...current.filter((hash) => !had.has(hash)).map((hash): [number, string] => [0, hash]), ...previous.filter((hash) => !keep.has(hash)).map((hash): [number, string] => [1, hash])] : current.map((hash): [number, string] => [0, hash]);
      scratch.transaction(() => {
        scratch.prepare('INSERT INTO sets VALUES (?, ?, ?, ?, ?, ?)').run(n, set, asChange ? 'delta' : 'whole', asChange ? n - 1 : null, asChange ? n - 1 : 0, current.length);
        if (asChange) scratch.prepare('INSERT INTO set_deltas VALUES (?, ?, ?)').run(set, previousSet, n - 1);
        for (const [removed, hash] of rows) {
          if (asChange) {
            scratch.prepare('INSERT INTO changes VALUES (?, ?, ?)').run(n, removed, rowid.get(hash));
            scratch.prepare('INSERT INTO hash_changes VALUES (?, ?, ?)').run(set, removed, hash);
          } else {
            scratch.prepare('INSERT INTO pairs VALUES (?, ?)').run(n, rowid.get(hash));
            scratch.prepare('INSERT INTO hashes VALUES (?, ?)').run(set, hash);
          }
        }
      })();
      db.close();
      if (n === 1) afterDay1 = sizes();
      else {
        members += current.length;
        if (!asChange) gzipObjects += gzipSync(Buffer.from(JSON.stringify(current))).length;
      }
      previous = current;
      previousSet = set;
    }
    const last = sizes();
    return { schema4: last.schema4 - afterDay1.schema4, integerRows: last.integerRows - afterDay1.integerRows, hashPairs: last.hashPairs - afterDay1.hashPairs, gzipObjects, members };
  } finally {
    scratch.close();
    await locker.close();
    await rm(root, { recursive: true, force: true });
  }
}

const perMember = (bytes: number, members: number) => (bytes / members).toFixed(3);

export async function benchRecordSetLayouts(): Promise<BenchSection> {
  const rows: string[] = [];
  for (const [label, type] of [
    [`event stream: ${EVENTS.toLocaleString('en-US')} new events a day, each day's set stored whole`, 'event'],
    [`state stream: ${STATE_SIZE.toLocaleString('en-US')} accounts, ${CHANGES} changed a day, each day's set stored as a change`, 'state'],
  ] as const) {
    const m = await measure(type);
    rows.push(`| ${label} | ${perMember(m.schema4, m.members)} | ${perMember(m.integerRows, m.members)} | ${perMember(m.hashPairs, m.members)} + ${perMember(m.gzipObjects, m.members)} (object) |`);
  }
  const markdown = [
    `${DAYS} daily runs of each stream through the locker; bytes that days 2–${DAYS} added, divided by the members of their sets (a state set counts all ${STATE_SIZE.toLocaleString('en-US')} members each day, since a change stands for the whole set). Row bytes are what the rows take in their pages (SQLite \`dbstat\`: page size minus unused bytes, so cell headers and pointers count, free space does not). The locker writes the first layout; the other two are written alongside from the same sets for comparison: (set id, record rowid) pairs in a WITHOUT ROWID table with a row per set naming its hash, and schema 3's (set hash, record hash) pairs and change rows with a gzip object of each whole set's sorted hash list.`,
    '',
    '| sets | record_sets rows (schema 4) | (set id, rowid) rows | hash pairs + gzip object (schema 3) |',
    '|---|---:|---:|---:|',
    ...rows,
  ].join('\n');
  return { title: 'Record-set layouts: bytes per member', markdown };
}
