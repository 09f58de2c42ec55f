/**
 * The portal's audit log: who signed in (or failed to), viewed evidence,
 * downloaded a population or sample, or started a verify in `evidentia
 * serve`. Each event is one canonical-JSON entry object signed by the locker
 * key (purpose PORTAL_LOG_FORMAT) and chained to the previous entry, plus an
 * append-only row, the pattern of the other entry chains (signed-entries.ts).
 * The portal batches events and appends them under the writer lock, so a
 * batch is never interleaved with a collection run; verify checks the chain,
 * and a witness checkpoint covers it.
 */
import { z } from 'zod';
import { HASH_PATTERN } from '@evidentia/evidence';
import { PORTAL_LOG_FORMAT } from './entry-formats.js';
import { PORTAL_LOG_ACTIONS, type PortalLogAction, type PortalLogEntry, type PortalLogInput } from './portal-log-types.js';
import type { Db } from './schema.js';
import { appendEntries, withWriterDb, type EntryContext, type EntryTable } from './signed-entries.js';

export { PORTAL_LOG_FORMAT };

const text = z.string().min(1, 'must not be empty');

export const PortalLogObject = z
  .object({
    format: z.literal(PORTAL_LOG_FORMAT),
    sequence: z.number().int().positive(),
    previous: z.string().regex(HASH_PATTERN).nullable(),
    action: z.enum(PORTAL_LOG_ACTIONS),
    user: text,
    role: z.string().nullable(),
    target: text,
    outcome: text,
    address: text,
    at: z.iso.datetime(),
    recordedAt: z.iso.datetime(),
  })
  .strict();
/** An entry object: an event (portal-log-types.ts says what each field holds) with its place in the chain. */
export type PortalLogObject = z.infer<typeof PortalLogObject>;

export interface PortalLogRow {
  sequence: number;
  hash: string;
  previous: string | null;
  action: string;
  user_name: string;
  role: string | null;
  target: string;
  outcome: string;
  address: string;
  at: string;
  recorded_at: string;
  signature: string;
}

export const PORTAL_LOG_TABLE: EntryTable<PortalLogObject, PortalLogRow> = {
  name: 'portal_log_entries',
  noun: 'portal-log',
  purpose: PORTAL_LOG_FORMAT,
  altered: 'portal-log-altered',
  schema: PortalLogObject,
  rowOf: (entry, hash, signature) => ({
    sequence: entry.sequence,
    hash,
    previous: entry.previous,
    action: entry.action,
    user_name: entry.user,
    role: entry.role,
    target: entry.target,
    outcome: entry.outcome,
    address: entry.address,
    at: entry.at,
    recorded_at: entry.recordedAt,
    signature,
  }),
};

/** Append a batch of events under the writer lock (refused with LockerBusyError while a run holds it: the portal retries). */
export async function appendPortalLog(ctx: EntryContext, inputs: readonly PortalLogInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const entries = inputs.map((input) => PortalLogObject.omit({ format: true, sequence: true, previous: true, recordedAt: true }).parse(input));
  return withWriterDb(ctx.dir, ctx.dbPath, 'portal-log', async (db) => {
    const rows = await appendEntries(db, ctx, PORTAL_LOG_TABLE, entries.map((entry) => ({ sequence, previous }, recordedAt) => ({ format: PORTAL_LOG_FORMAT, sequence, previous, ...entry, recordedAt })));
    return rows.length;
  });
}

/** The events from `since` (an ISO instant, inclusive) on, oldest first. */
export function queryPortalLog(db: Db, since?: string): PortalLogEntry[] {
  const rows = db.prepare(`SELECT * FROM portal_log_entries ${since ? 'WHERE at >= ?' : ''} ORDER BY sequence`).all(...(since ? [since] : [])) as PortalLogRow[];
  return rows.map((row) => ({ sequence: row.sequence, hash: row.hash, action: row.action as PortalLogAction, user: row.user_name, role: row.role, target: row.target, outcome: row.outcome, address: row.address, at: row.at, recordedAt: row.recorded_at }));
}
