/**
 * A run in progress. The run row is committed on its own so the run is on
 * record even if the process dies; everything else the run writes sits in one
 * SQLite write transaction on the run's own connection, committed together
 * with the signed manifest. A kill at any point therefore leaves a run row
 * without a manifest, never a half-counted run; the next run seals such runs
 * as interrupted so the chain shows every attempt.
 */
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '@evidentia/evidence';
import { isSqliteWriteFailure, LockerError, LockerWriteError } from './errors.js';
import type { Signer } from './keys.js';
import { assertSignerInEffect } from './key-rotation.js';
import { interruptedDraft, runFields, runStatusOf, sealAlone, sealManifest, type RunRow } from './manifest.js';
import type { ObjectStore } from './objects.js';
import { beginRunTransaction, endRunTransactionGuard } from './run-transaction.js';
import { openDatabase, type Db } from './schema.js';
import { prepareRunStatements, SqliteStreamWriter, type RunScope } from './stream-writer.js';
import { acquireWriterLockForRun, releaseWriterLock } from './writer-lock.js';
import type { Manifest, RunOptions, RunWriter, StreamStart, StreamWriter } from './types.js';

export interface WriterContext {
  dir: string;
  dbPath: string;
  objects: ObjectStore;
  now: () => Date;
}

const UNFINISHED = { status: 'failed', error: 'the stream was not finished before the run was committed', requests: 0, apiTotal: null, cursorAfter: null } as const;

/** Sortable and readable: `20250303T101500Z-1f2e3d4c`. */
function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Seal runs that never got a manifest and whose writer is gone (the caller
 * holds the writer lock, so none is live). A run that has committed data but
 * no manifest is left alone: its manifest was removed, and sealing it would
 * hide that from `verify`.
 */
async function sealInterruptedRuns(db: Db, ctx: WriterContext, signer: Signer): Promise<void> {
  const orphans = db
    .prepare(
      `SELECT r.* FROM runs r
       WHERE NOT EXISTS (SELECT 1 FROM manifests m WHERE m.run_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM stream_runs s WHERE s.run_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.run_id = r.id)
         AND NOT EXISTS (SELECT 1 FROM snapshot_lists s WHERE s.run_id = r.id)
       ORDER BY r.rowid`,
    )
    .all() as RunRow[];
  for (const row of orphans) {
    await sealAlone(db, ctx.objects, signer, interruptedDraft(row, ctx.now().toISOString()));
  }
}

/** Open a run signed by `signer` (the key in effect, resolved by the caller before the lock is taken). */
export async function startRun(ctx: WriterContext, options: RunOptions, signer: Signer, onEnd: (writer: SqliteRunWriter) => void): Promise<SqliteRunWriter> {
  const startedAt = ctx.now();
  const runId = newRunId(startedAt);
  await acquireWriterLockForRun(ctx.dir, runId);
  let db: Db | undefined;
  try {
    // A rotation between choosing the key and taking the lock would have this run's manifest signed by a retired key.
    assertSignerInEffect(ctx.dir, signer);
    db = openDatabase(ctx.dbPath);
    await sealInterruptedRuns(db, ctx, signer);
    const row: RunRow = {
      id: runId,
      trigger: options.trigger,
      parameters: canonicalJson(options.parameters),
      collector_version: options.collectorVersion,
      started_at: startedAt.toISOString(),
      pid: process.pid,
    };
    db.prepare(
      'INSERT INTO runs (id, trigger, parameters, collector_version, started_at, pid) VALUES (@id, @trigger, @parameters, @collector_version, @started_at, @pid)',
    ).run(row);
    beginRunTransaction(db);
    return new SqliteRunWriter(ctx, db, signer, row, onEnd);
  } catch (error) {
    db?.close();
    releaseWriterLock(ctx.dir, runId);
    throw startFailure(ctx.dbPath, error);
  }
}

/** What a run that could not begin throws: a database this process may not write, or cannot write, said as such. */
function startFailure(dbPath: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message;
  if (typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM')) {
    return new LockerError(
      `cannot write ${dbPath}: ${message}: this process may not write the locker's database or the -wal and -shm files beside it (see their owner and mode); nothing was collected`,
      { cause: error },
    );
  }
  if (isSqliteWriteFailure(error)) return new LockerWriteError(`cannot write ${dbPath}: ${message} (a full disk, a file-size limit or a failing device); nothing was collected`, { cause: error });
  return error;
}

export class SqliteRunWriter implements RunWriter {
  readonly runId: string;
  private state: 'open' | 'committed' | 'rolled back' = 'open';
  private readonly streams: SqliteStreamWriter[] = [];
  private readonly scope: RunScope;

  constructor(
    private readonly ctx: WriterContext,
    private readonly db: Db,
    private readonly signer: Signer,
    private readonly row: RunRow,
    private readonly onEnd: (writer: SqliteRunWriter) => void,
  ) {
    this.runId = row.id;
    this.scope = {
      runId: row.id,
      db,
      statements: prepareRunStatements(db),
      objects: ctx.objects,
      now: () => ctx.now().toISOString(),
      assertOpen: () => this.assertOpen(),
    };
  }

  async beginStream(start: StreamStart): Promise<StreamWriter> {
    this.assertOpen();
    const key = `${start.instance}/${start.stream}`;
    if (this.streams.some((stream) => stream.key === key)) throw new LockerError(`stream ${key} was already begun in run ${this.runId}`);
    const writer = new SqliteStreamWriter(this.scope, start, this.streams.length, this.scope.now());
    this.streams.push(writer);
    return writer;
  }

  async commit(): Promise<Manifest> {
    this.assertOpen();
    try {
      const streams = this.streams.map((stream) => stream.outcome ?? stream.seal(UNFINISHED));
      const { manifest } = await sealManifest(this.db, this.ctx.objects, this.signer, {
        ...runFields(this.row),
        status: runStatusOf(streams),
        finishedAt: this.scope.now(),
        streams,
      });
      this.db.exec('COMMIT');
      this.state = 'committed';
      return manifest;
    } catch (error) {
      throw isSqliteWriteFailure(error) ? this.writeFailed((error as Error).message, error) : error;
    } finally {
      this.end();
    }
  }

  async abort(): Promise<void> {
    // After a failed commit the run is already rolled back and unlocked; the next run seals it as interrupted.
    if (this.state === 'rolled back') return;
    this.assertNotEnded();
    try {
      // SQLite may have rolled the transaction back already (a write that failed on a full disk).
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      endRunTransactionGuard(this.db);
      await sealAlone(this.db, this.ctx.objects, this.signer, interruptedDraft(this.row, this.scope.now()));
    } finally {
      this.end();
    }
  }

  /** The locker is closing with the run still open: roll back, and let the next run declare it interrupted. */
  discard(): void {
    if (this.state === 'open') this.end();
  }

  private assertNotEnded(): void {
    if (this.state !== 'open') throw new LockerError(`run ${this.runId} is no longer open: it was committed, aborted or its locker closed`);
  }

  private assertOpen(): void {
    this.assertNotEnded();
    // SQLite rolled the transaction back by itself after a write failed (the error went to the stream that made it).
    if (!this.db.inTransaction) throw this.writeFailed("an earlier write failed and SQLite rolled back the run's transaction");
  }

  private writeFailed(reason: string, cause?: unknown): LockerWriteError {
    return new LockerWriteError(
      `cannot write ${this.ctx.dbPath}: ${reason} (a full disk, a file-size limit or a failing device); nothing of run ${this.runId} was kept (\`evidentia runs\` lists it as interrupted)`,
      { cause },
    );
  }

  private end(): void {
    if (this.state === 'open') this.state = 'rolled back';
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
    releaseWriterLock(this.ctx.dir, this.runId);
    this.onEnd(this);
  }
}
