/**
 * Prepared statements cached per connection and SQL text: the record-set
 * lookups run per stream written, per set a query reads and per set verified,
 * and preparing each call was a measurable share of verify.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './schema.js';

const statements = new WeakMap<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
