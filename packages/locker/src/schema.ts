/**
 * The locker's SQLite schema and connection settings.
 *
 * Records are rows here, not one blob file each: a year of collection holds
 * millions of small records, and a million tiny files cost inodes, directory
 * scans and backup time, while rows batch into one transaction per run and
 * answer `--control CC6.1` or "who had access on 3 March" through indexes.
 * Snapshot bodies and manifests stay files: they are large, shared between
 * runs, and what an auditor receives in a bundle. Record sets are rows since
 * schema 4 (`record_sets`, record-sets.ts): a bundle receives their canonical
 * bytes rebuilt from the row.
 *
 * Every table is append-only, enforced by triggers: the collector never
 * updates or deletes. (`verify` does not rely on the triggers: an attacker can
 * drop them; it re-derives everything from content hashes instead.)
 *
 * The schema is versioned in `user_version`. A new locker is built by the
 * version 1 DDL followed by every migration, so an upgraded locker and a new
 * one are the same; opening an older locker applies the missing migrations.
 */
import Database from 'better-sqlite3';
import { isSqliteWriteFailure, LockerError, LockerWriteError } from './errors.js';

export type Db = Database.Database;

/** "EVDT": marks the file as an evidentia locker. */
const APPLICATION_ID = 0x45564454;
const V1_TABLES = ['runs', 'stream_runs', 'snapshots', 'records', 'record_controls', 'set_members', 'manifests'] as const;
/** Every table, each guarded by append-only triggers. */
export const TABLES = [...V1_TABLES, 'catalog_text_imports', 'set_deltas', 'set_additions', 'set_removals', 'record_sets', 'snapshot_lists', 'conditional_bases', 'document_entries', 'exception_acceptances', 'access_review_entries', 'portal_log_entries'] as const;

const DDL = `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  trigger TEXT NOT NULL,
  parameters TEXT NOT NULL,
  collector_version TEXT NOT NULL,
  started_at TEXT NOT NULL,
  pid INTEGER NOT NULL
);
CREATE TABLE stream_runs (
  run_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  instance TEXT NOT NULL,
  name TEXT NOT NULL,
  stream TEXT GENERATED ALWAYS AS (instance || '/' || name) VIRTUAL,
  connector TEXT NOT NULL,
  connector_version TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  requests INTEGER NOT NULL,
  api_total INTEGER,
  snapshot_count INTEGER NOT NULL,
  snapshot_root TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  record_root TEXT NOT NULL,
  record_set TEXT NOT NULL,
  cursor_before TEXT,
  cursor_after TEXT,
  range_since TEXT,
  range_until TEXT,
  gaps TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  PRIMARY KEY (run_id, instance, name)
);
CREATE INDEX stream_runs_by_stream ON stream_runs (stream, status);
CREATE TABLE snapshots (
  run_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entry_hash TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  provenance TEXT NOT NULL,
  PRIMARY KEY (run_id, stream, seq)
);
CREATE INDEX snapshots_by_entry ON snapshots (entry_hash);
CREATE INDEX snapshots_by_request ON snapshots (stream, json_extract(provenance, '$.url'), json_extract(provenance, '$.method'));
CREATE TABLE records (
  hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  system TEXT NOT NULL,
  stream TEXT NOT NULL,
  occurred_at TEXT,
  run_id TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX records_by_kind ON records (kind, occurred_at);
CREATE TABLE record_controls (
  control TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  PRIMARY KEY (control, record_hash)
) WITHOUT ROWID;
CREATE TABLE set_members (
  set_hash TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  PRIMARY KEY (set_hash, record_hash)
) WITHOUT ROWID;
CREATE TABLE manifests (
  sequence INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE,
  previous TEXT,
  signature TEXT NOT NULL
);
`;

function appendOnlyTriggers(table: string): string {
  return ['UPDATE', 'DELETE']
    .map(
      (operation) => `CREATE TRIGGER ${table}_no_${operation.toLowerCase()} BEFORE ${operation} ON ${table}
BEGIN SELECT RAISE(ABORT, 'evidence locker is append-only'); END;`,
    )
    .join('\n');
}

/** Migration to version N+1 at index N-1: each adds tables and their triggers, never rewrites rows (the tables are append-only). */
const MIGRATIONS: readonly string[] = [
  // 2: official requirement text a licence holder imported (see catalog-text.ts); the text itself is an object.
  `CREATE TABLE catalog_text_imports (
  sequence INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  framework TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  source_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE INDEX catalog_text_imports_by_framework ON catalog_text_imports (framework, sequence);
${appendOnlyTriggers('catalog_text_imports')}`,
  // 3: item gaps per stream run (a denied channel or repository, named); a lookup of an item's latest
  // record so an unchanged item observed again is stored once; record sets stored as a change to an
  // earlier set (record-sets.ts). Adding a column rewrites no row.
  `ALTER TABLE stream_runs ADD COLUMN item_gaps TEXT NOT NULL DEFAULT '[]';
CREATE INDEX records_by_item ON records (stream, kind, key);
CREATE INDEX stream_runs_by_set ON stream_runs (record_set);
CREATE TABLE set_deltas (
  set_hash TEXT PRIMARY KEY,
  base_hash TEXT NOT NULL,
  depth INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE set_additions (
  set_hash TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  PRIMARY KEY (set_hash, record_hash)
) WITHOUT ROWID;
CREATE TABLE set_removals (
  set_hash TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  PRIMARY KEY (set_hash, record_hash)
) WITHOUT ROWID;
${['set_deltas', 'set_additions', 'set_removals'].map(appendOnlyTriggers).join('\n')}`,
  // 4: record-set membership as record rowids, one row per set (record-sets.ts, rowid-list.ts): `members` lists
  // a whole set's rowids, or a change's added ones (`removed` its removed ones) against the set `base`, `depth`
  // links from a whole set. Picked by bytes per member (`pnpm bench record-set-layouts`, sets from real runs): a
  // day of 3,000 new events costs 0.05 (the row and its hash index), against 9.2 as (set id, rowid) rows of a
  // WITHOUT ROWID table and 137 as schema 3's hash pairs plus 36 for the gzip object no longer written; a
  // 10,000-member state set with 5 changes, stored as a change, 0.017 against 0.026 and 0.15.
  // Rowids are stable: records is append-only and never deleted from, so its rowids are dense and even a
  // VACUUM keeps them; verify would name any set whose rowids no longer resolve to its hash.
  // Sets written before schema 4 are read where they are (set_members and an object, or set_deltas/
  // set_additions/set_removals), not migrated: a migration never rewrites the append-only tables, verify keeps
  // checking those rows exactly as written, and an old set costs nothing more than it did. New sets go here
  // only, so a stream's first set after the upgrade is stored whole.
  `CREATE TABLE record_sets (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('whole', 'delta')),
  base INTEGER,
  depth INTEGER NOT NULL,
  size INTEGER NOT NULL,
  members BLOB NOT NULL,
  removed BLOB
);
${appendOnlyTriggers('record_sets')}`,
  // 5: a stream run's snapshot entries as one encoded list patched against the stream's latest whole list
  // (snapshot-lists.ts) instead of a ~1 KB row per request per run; conditional requests find the newest full
  // 200 of a URL through a pointer written only when it changes. Older runs keep their rows in \`snapshots\`;
  // their full 200s become the first pointers (rows are added, none rewritten).
  `CREATE TABLE snapshot_lists (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  entry_count INTEGER NOT NULL,
  base INTEGER,
  data BLOB NOT NULL,
  UNIQUE (run_id, stream)
);
CREATE INDEX snapshot_lists_whole ON snapshot_lists (stream, id) WHERE base IS NULL;
CREATE TABLE conditional_bases (
  stream TEXT NOT NULL,
  method TEXT NOT NULL,
  url TEXT NOT NULL,
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  body_hash TEXT NOT NULL,
  etag TEXT NOT NULL
);
CREATE INDEX conditional_bases_by_request ON conditional_bases (stream, url, method);
INSERT INTO conditional_bases (stream, method, url, run_id, seq, body_hash, etag)
  SELECT stream, json_extract(provenance, '$.method'), json_extract(provenance, '$.url'), run_id, seq, body_hash, json_extract(provenance, '$.headers.etag')
  FROM snapshots WHERE json_extract(provenance, '$.status') = 200 AND json_extract(provenance, '$.headers.etag') IS NOT NULL ORDER BY rowid;
${['snapshot_lists', 'conditional_bases'].map(appendOnlyTriggers).join('\n')}`,
  // 6: document evidence (documents.ts): one signed, chained row per file added for an evidence request; the
  // file's bytes and the entry's canonical JSON are objects.
  `CREATE TABLE document_entries (
  sequence INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  previous TEXT,
  request TEXT NOT NULL,
  file_name TEXT NOT NULL,
  type TEXT NOT NULL,
  size INTEGER NOT NULL,
  content TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  effective TEXT NOT NULL,
  subject TEXT,
  note TEXT,
  supersedes INTEGER,
  signature TEXT NOT NULL
);
${appendOnlyTriggers('document_entries')}`,
  // 7: accepted exceptions (acceptances.ts): one signed, chained row per acceptance or revocation; a revocation is
  // a new row naming the acceptance it ends, never a change to it. The entry's canonical JSON is an object.
  `CREATE TABLE exception_acceptances (
  sequence INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  previous TEXT,
  action TEXT NOT NULL,
  check_id TEXT NOT NULL,
  item TEXT NOT NULL,
  reason TEXT NOT NULL,
  approver TEXT NOT NULL,
  until_day TEXT,
  revokes INTEGER,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  signature TEXT NOT NULL
);
${appendOnlyTriggers('exception_acceptances')}`,
  // 8: access reviews (access-reviews.ts): one signed, chained row per review started or batch of decisions
  // imported; the entry's canonical JSON (population or decisions) is an object.
  `CREATE TABLE access_review_entries (
  sequence INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  previous TEXT,
  review_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  system TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE INDEX access_review_entries_by_review ON access_review_entries (review_id, sequence);
${appendOnlyTriggers('access_review_entries')}`,
  // 9: the portal's audit log (portal-log.ts): one signed, chained row per sign-in, sign-out, evidence page view,
  // download or verify started in `evidentia serve`; the entry's canonical JSON is an object.
  `CREATE TABLE portal_log_entries (
  sequence INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  previous TEXT,
  action TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  address TEXT NOT NULL,
  at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  signature TEXT NOT NULL
);
${appendOnlyTriggers('portal_log_entries')}`,
];

/** The version this code writes: 1 plus the migrations since. */
export const SCHEMA_VERSION = 1 + MIGRATIONS.length;

// better-sqlite3 reads this when it opens its first database: URI filenames are how a locker nobody may write is opened immutable.
process.env.SQLITE_USE_URI ??= '1';

export interface OpenDatabaseOptions {
  create?: boolean;
  readonly?: boolean;
  /**
   * Read the file as it is, taking no locks and touching no WAL or shared
   * memory file: for a locker in a directory this process cannot write (a
   * WORM copy, a read-only mount), where SQLite could not create them.
   */
  immutable?: boolean;
}

/** The database file as SQLite's URI that opens it immutable (each path segment escaped, so `?` or `#` in a folder name stays a name). */
function immutableUri(path: string): string {
  return `file:${path.split('/').map(encodeURIComponent).join('/')}?immutable=1`;
}

/** SQLite's refusal to open `path` said with the path and what may cause it; any other error unchanged. */
function openFailure(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message;
  if (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN')) {
    return new LockerError(`cannot open ${path}: ${message} (this process may not read or write it, or the folder holding it: see their owner and mode)`, { cause: error });
  }
  if (isSqliteWriteFailure(error)) return new LockerWriteError(`cannot open ${path}: ${message} (a full disk, a file-size limit or a failing device)`, { cause: error });
  return error;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  let db: Db | undefined;
  try {
    db = options.immutable
      ? new Database(immutableUri(path), { fileMustExist: true, readonly: true })
      : new Database(path, { fileMustExist: !options.create, readonly: options.readonly ?? false });
    configure(db, options);
    return db;
  } catch (error) {
    db?.close();
    throw openFailure(path, error);
  }
}

function configure(db: Db, options: OpenDatabaseOptions): void {
  db.pragma('busy_timeout = 5000');
  // 16 MiB of page cache for writing: a run's inserts land at random places in the hash indexes, which thrash the
  // 2 MiB default. Reading needs less, and the cache counts against every command's memory (issue 15), three times
  // over: the main database's cache, the temp database's (the decoded record sets, set-members-view.ts, 16 MiB by
  // default) and the sorter's memory before it spills to a temporary file (as large as the main cache).
  const cacheKib = options.readonly || options.immutable ? 4096 : 16384;
  db.pragma(`cache_size = -${cacheKib}`);
  db.pragma(`temp.cache_size = -${cacheKib}`);
  if (!options.readonly && !options.immutable) {
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk when it returns (NORMAL may lose the last commits in a power cut, after the
    // witness got the run's checkpoint: evidence lost, and a locker that then looks rolled back).
    db.pragma('synchronous = FULL');
  }
}

/** The locker schema version of a database, or null when it is not an evidentia locker. */
export function lockerSchemaVersion(db: Db): number | null {
  if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) return null;
  const version = db.pragma('user_version', { simple: true }) as number;
  return version >= 1 ? version : null;
}

/** Each table's CREATE TABLE statement as this code builds it, read from a new locker schema built in memory. */
export function tableDefinitions(): Map<string, string> {
  const db = new Database(':memory:');
  try {
    createSchema(db);
    const rows = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    return new Map(rows.map((row) => [row.name, row.sql]));
  } finally {
    db.close();
  }
}

function migrate(db: Db, from: number): void {
  for (let version = from; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version - 1]!);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

export function createSchema(db: Db): void {
  db.transaction(() => {
    db.exec(DDL);
    db.exec(V1_TABLES.map(appendOnlyTriggers).join('\n'));
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 1);
  }).immediate();
}

/**
 * Bring a locker written by an older evidentia up to this schema. The version
 * is read again inside the write transaction, so two processes opening the
 * same old locker migrate it once.
 */
export function upgradeSchema(db: Db): void {
  if (lockerSchemaVersion(db) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const version = lockerSchemaVersion(db);
    if (version !== null && version < SCHEMA_VERSION) migrate(db, version);
  }).immediate();
}
