/**
 * What every part of `verify` shares: the read-only database, the object
 * store, the decoded snapshot lists and the two ways to report (a problem,
 * or a note). Its own file so the checks and the walk that calls them form
 * no import circle.
 */
import { canonicalJson } from '@evidentia/evidence';
import type { FirstHolders } from './first-holders.js';
import type { MerklePool } from './merkle-pool.js';
import type { RowidMarks } from './rowid-marks.js';
import type { ListCache } from './snapshot-lists.js';
import type { ObjectStore } from './objects.js';
import type { Db } from './schema.js';
import type { ProblemCode } from './types.js';

export interface VerifyScope {
  db: Db;
  objects: ObjectStore;
  /** Snapshot lists decoded so far: a whole list that later lists patch is decoded once. */
  lists: ListCache;
  /** Record rows a manifest's record set holds, by rowid (sets stored in rows); other sets' members are in temp.v_record_refs by hash. */
  referenced: RowidMarks;
  /** The run each marked row belongs to: the first whose record set holds it. */
  holders: FirstHolders;
  /** Merkle roots of large record sets, computed on a second thread while the record rows are checked. */
  merkle: MerklePool;
  /** Checks waiting for such a root; all settled before the report is made. */
  pending: Promise<void>[];
  problem(code: ProblemCode, message: string): void;
  note(message: string): void;
}

function canonicalOrMarker(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch {
    return '\u0000(no JSON value)';
  }
}

/** Names of the fields whose JSON values differ. */
export function differingFields<T extends object>(expected: T, actual: T, fields: (keyof T & string)[]): string[] {
  return fields.filter((field) => canonicalOrMarker(expected[field]) !== canonicalOrMarker(actual[field]));
}
