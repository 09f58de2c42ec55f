/**
 * What the locker's signed, chained entry tables share (document evidence,
 * exception acceptances, access reviews, the portal's audit log): people's additions that are not collection runs,
 * each a canonical-JSON object signed by the locker key for its own purpose
 * and naming the previous entry's hash, plus an append-only row. Writing
 * happens under the writer lock, so an entry is never interleaved with a run;
 * verify checks each table's chain, signatures and rows the same way.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ENTRY_TABLES, WITNESSED_CHAINS, type ChainLink, type EntryChain, type WitnessedChain } from './entry-formats.js';
import type { EntrySigners } from './entry-signers.js';
import { assertSignerInEffect } from './key-rotation.js';
import type { Signer } from './keys.js';
import type { ObjectStore } from './objects.js';
import { openDatabase, type Db } from './schema.js';
import { documentSignedBy, signDocument } from './sign-document.js';
import type { VerifyScope } from './verify-scope.js';
import { acquireWriterLock, BRIEF_HOLDER, releaseWriterLock } from './writer-lock.js';

/** Open the database under the writer lock (named `<what>-<random>`), use it, and release both. */
export async function withWriterDb<T>(dir: string, dbPath: string, what: string, use: (db: Db) => Promise<T>): Promise<T> {
  const lockId = `${BRIEF_HOLDER}${what}-${randomBytes(4).toString('hex')}`;
  acquireWriterLock(dir, lockId);
  try {
    const db = openDatabase(dbPath);
    try {
      return await use(db);
    } finally {
      db.close();
    }
  } finally {
    releaseWriterLock(dir, lockId);
  }
}

/** The newest entry of a chained table (its sequence and hash), or the empty chain's start. */
export function chainHead(db: Db, table: string): { sequence: number; previous: string | null } {
  const head = db.prepare(`SELECT sequence, hash FROM ${table} ORDER BY sequence DESC LIMIT 1`).get() as { sequence: number; hash: string } | undefined;
  return { sequence: head?.sequence ?? 0, previous: head?.hash ?? null };
}

/** The entry object stored as `bytes`, or null when it is not one of `schema`. */
export function parseEntryObject<T>(schema: z.ZodType<T>, bytes: Buffer): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What appending to an entry chain needs of the locker. */
export interface EntryContext {
  dir: string;
  signer: Signer;
  dbPath: string;
  objects: ObjectStore;
  now: () => Date;
}

/** What verify needs of a chained row. */
export interface ChainedRow {
  sequence: number;
  hash: string;
  previous: string | null;
  signature: string;
}

/** How verify names the entries of one table: `noun` in messages, and the problem code an altered entry gets. */
export interface ChainedTable {
  /** The SQL table. */
  name: string;
  noun: string;
  purpose: string;
  altered: 'document-altered' | 'acceptance-altered' | 'access-review-altered' | 'portal-log-altered';
}

/** One signed entry table: how verify names it, the schema of its entry objects, and the row an entry object makes. */
export interface EntryTable<E, R extends ChainedRow> extends ChainedTable {
  schema: z.ZodType<E>;
  /** The row as the entry object says it; verify compares the two column by column. */
  rowOf(entry: E, entryHash: string, signature: string): R;
}

/** Builds one entry object from its place in the chain and the time of the append (the same for a whole batch). */
export type EntryBuilder<E> = (link: { sequence: number; previous: string | null }, at: string) => E;

/**
 * Append entries to `table` (the caller holds the writer lock through
 * withWriterDb): each entry object is stored and signed in turn, chained to
 * the one before, then all rows are inserted in one transaction. A failure
 * or kill leaves at most objects nothing references (verify notes them),
 * never a row without its entry. The INSERT names the row's own columns, so
 * each table keeps exactly the columns it always had.
 */
export async function appendEntries<E, R extends ChainedRow>(db: Db, ctx: EntryContext, table: EntryTable<E, R>, builders: EntryBuilder<E>[]): Promise<R[]> {
  assertSignerInEffect(ctx.dir, ctx.signer);
  let { sequence, previous } = chainHead(db, table.name);
  const at = ctx.now().toISOString();
  const rows: R[] = [];
  for (const build of builders) {
    sequence += 1;
    const entry = build({ sequence, previous }, at);
    const entryHash = ctx.objects.putValue(entry);
    rows.push(table.rowOf(entry, entryHash, await signDocument(ctx.signer, table.purpose, Buffer.from(entryHash, 'utf8'))));
    previous = entryHash;
  }
  if (rows.length === 0) return rows;
  // The entries' objects (and any file they name, stored before) are on disk before their rows commit.
  await ctx.objects.flush();
  const columns = Object.keys(rows[0]!);
  const insert = db.prepare(`INSERT INTO ${table.name} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`);
  db.transaction(() => rows.forEach((row) => insert.run(row))).immediate();
  return rows;
}

/** Check a row's place in the chain (no gap before it, linked to the one before) and its signature by the key in effect when it was added (`at`, its entry object's time). */
export function checkChainedRow(scope: VerifyScope, signers: EntrySigners, table: ChainedTable, row: ChainedRow, prior: ChainedRow | null, label: string, at: string): void {
  const expected = (prior?.sequence ?? 0) + 1;
  if (row.sequence > expected) {
    const gap = row.sequence - 1 > expected ? `${table.noun} entries ${expected}–${row.sequence - 1} are` : `${table.noun} entry ${expected} is`;
    scope.problem(table.altered, `${gap} missing: the chain goes from ${prior ? `${table.noun} ${prior.sequence}` : 'its start'} to ${label}`);
  }
  if (row.previous !== (prior?.hash ?? null)) {
    scope.problem('chain-broken', `${label} links to previous entry ${row.previous ?? 'none'}, but ${prior ? `${table.noun} ${prior.sequence} has hash ${prior.hash}` : 'it is the first entry'}`);
  }
  const signature = signers.check(label, `entry ${row.hash}`, at, (key) => documentSignedBy(key, table.purpose, Buffer.from(row.hash, 'utf8'), row.signature));
  if (signature) scope.problem('signature-invalid', signature);
}

/** The row's columns that differ from `expected` (the row its entry object says). */
export function differingColumns<R extends object>(row: R, expected: R): string[] {
  return (Object.keys(expected) as (keyof R & string)[]).filter((column) => expected[column] !== row[column]);
}

/** Compare a row with its entry object when the object is readable (a missing or altered object is named by the object check). */
export function checkRowAgainstEntry<E, R extends ChainedRow>(scope: VerifyScope, table: EntryTable<E, R>, row: R, label: string): void {
  const loaded = scope.objects.load(row.hash);
  if (loaded.state !== 'ok') return;
  const entry = parseEntryObject(table.schema, loaded.bytes);
  if (!entry) {
    scope.problem(table.altered, `${label}: object ${row.hash} is not an evidentia ${table.noun} entry`);
    return;
  }
  const differing = differingColumns(row, table.rowOf(entry, row.hash, row.signature));
  if (differing.length > 0) scope.problem(table.altered, `${label}: ${differing.join(', ')} in the ${table.name} table differ from its entry ${row.hash}`);
}

/** A chain's entries as signed: each entry object (parsed from its stored bytes) with the row's signature, in order. */
export function querySignedEntries(db: Db, objects: ObjectStore, chain: EntryChain): { hash: string; signature: string; entry: unknown }[] {
  const rows = db.prepare(`SELECT hash, signature FROM ${ENTRY_TABLES[chain]} ORDER BY sequence`).all() as { hash: string; signature: string }[];
  return rows.map((row) => ({ ...row, entry: JSON.parse(objects.read(row.hash).toString('utf8')) as unknown }));
}

/** Every witnessed chain's entries (sequence and hash), in order: what a checkpoint names and verify compares it with. */
export function queryChainLinks(db: Db): Record<WitnessedChain, ChainLink[]> {
  const links = (chain: WitnessedChain) => db.prepare(`SELECT sequence, hash FROM ${WITNESSED_CHAINS[chain].table} ORDER BY sequence`).all() as ChainLink[];
  return { documents: links('documents'), acceptances: links('acceptances'), accessReviews: links('accessReviews'), portalLog: links('portalLog') };
}
