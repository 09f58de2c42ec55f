/**
 * What the locker's signed, chained entry tables share (document evidence,
 * exception acceptances, access reviews): people's additions that are not collection runs,
 * each a canonical-JSON object signed by the locker key for its own purpose
 * and naming the previous entry's hash, plus an append-only row. Writing
 * happens under the writer lock, so an entry is never interleaved with a run;
 * verify checks each table's chain, signatures and rows the same way.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ENTRY_TABLES, type EntryChain } from './entry-formats.js';
import type { KeyChain } from './key-rotation.js';
import type { ObjectStore } from './objects.js';
import { openDatabase, type Db } from './schema.js';
import { documentSignedBy } from './sign-document.js';
import type { VerifyScope } from './verify-scope.js';
import { acquireWriterLock, releaseWriterLock } from './writer-lock.js';

/** Open the database under the writer lock (named `<what>-<random>`), use it, and release both. */
export async function withWriterDb<T>(dir: string, dbPath: string, what: string, use: (db: Db) => Promise<T>): Promise<T> {
  const lockId = `${what}-${randomBytes(4).toString('hex')}`;
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
  altered: 'document-altered' | 'acceptance-altered' | 'access-review-altered';
}

/** Check a row's place in the chain (no gap before it, linked to the one before) and its signature by any key of the trusted chain. */
export function checkChainedRow(scope: VerifyScope, keys: KeyChain, table: ChainedTable, row: ChainedRow, prior: ChainedRow | null, label: string): void {
  const expected = (prior?.sequence ?? 0) + 1;
  if (row.sequence > expected) {
    const gap = row.sequence - 1 > expected ? `${table.noun} entries ${expected}–${row.sequence - 1} are` : `${table.noun} entry ${expected} is`;
    scope.problem(table.altered, `${gap} missing: the chain goes from ${prior ? `${table.noun} ${prior.sequence}` : 'its start'} to ${label}`);
  }
  if (row.previous !== (prior?.hash ?? null)) {
    scope.problem('chain-broken', `${label} links to previous entry ${row.previous ?? 'none'}, but ${prior ? `${table.noun} ${prior.sequence} has hash ${prior.hash}` : 'it is the first entry'}`);
  }
  // Entries are not sequenced with manifests: any key of the trusted chain may have signed one.
  if (!keys.epochs.some(({ key }) => documentSignedBy(key, table.purpose, Buffer.from(row.hash, 'utf8'), row.signature))) {
    scope.problem('signature-invalid', `${label}: the signature over entry ${row.hash} does not verify with key ${keys.epochs.map(({ key }) => key.keyId).join(' or ')}`);
  }
}

/** The row's columns that differ from `expected` (the row its entry object says). */
export function differingColumns<R extends object>(row: R, expected: R): string[] {
  return (Object.keys(expected) as (keyof R & string)[]).filter((column) => expected[column] !== row[column]);
}

/** Compare a row with its entry object when the object is readable (a missing or altered object is named by the object check). */
export function checkRowAgainstEntry<E, R extends ChainedRow>(scope: VerifyScope, table: ChainedTable, schema: z.ZodType<E>, row: R, label: string, rowOf: (entry: E) => R): void {
  const loaded = scope.objects.load(row.hash);
  if (loaded.state !== 'ok') return;
  const entry = parseEntryObject(schema, loaded.bytes);
  if (!entry) {
    scope.problem(table.altered, `${label}: object ${row.hash} is not an evidentia ${table.noun} entry`);
    return;
  }
  const differing = differingColumns(row, rowOf(entry));
  if (differing.length > 0) scope.problem(table.altered, `${label}: ${differing.join(', ')} in the ${table.name} table differ from its entry ${row.hash}`);
}

/** A chain's entries as signed: each entry object (parsed from its stored bytes) with the row's signature, in order. */
export function querySignedEntries(db: Db, objects: ObjectStore, chain: EntryChain): { hash: string; signature: string; entry: unknown }[] {
  const rows = db.prepare(`SELECT hash, signature FROM ${ENTRY_TABLES[chain]} ORDER BY sequence`).all() as { hash: string; signature: string }[];
  return rows.map((row) => ({ ...row, entry: JSON.parse(objects.read(row.hash).toString('utf8')) as unknown }));
}
