/**
 * Accepted exceptions: a person with authority accepts the risk of one item a
 * check raised (check id + item key), with a reason, an approver and a last
 * day. Each acceptance, and each revocation of one, is one canonical-JSON
 * entry object signed by the locker key (purpose ACCEPTANCE_FORMAT) and
 * chained to the previous entry, plus an append-only row, the pattern of
 * document evidence (documents.ts). A revocation is a new entry naming the
 * acceptance it ends: nothing is ever replaced. Whether an acceptance covers
 * a period is judged by audit (it knows the audit zone and the period); here
 * it is only stored, listed and verified.
 */
import { z } from 'zod';
import { HASH_PATTERN } from '@evidentia/evidence';
import { LockerError } from './errors.js';
import type { Db } from './schema.js';
import { appendEntries, withWriterDb, type EntryContext, type EntryTable } from './signed-entries.js';
import type { AcceptanceInput, ExceptionAcceptance, RevocationInput } from './types.js';

import { ACCEPTANCE_FORMAT } from './entry-formats.js';

export { ACCEPTANCE_FORMAT };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z
  .string()
  .regex(DAY, 'expected a day such as 2026-03-31')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text, 'not a calendar day');
const text = z.string().trim().min(1, 'must not be empty');

/** What an entry object holds: an acceptance (with its last day) or a revocation (naming the acceptance it ends). */
export const AcceptanceObject = z
  .object({
    format: z.literal(ACCEPTANCE_FORMAT),
    sequence: z.number().int().positive(),
    previous: z.string().regex(HASH_PATTERN).nullable(),
    action: z.enum(['accept', 'revoke']),
    check: text,
    item: z.string().min(1, 'must not be empty'),
    reason: text,
    approver: text,
    until: day.nullable(),
    revokes: z.number().int().positive().nullable(),
    recordedBy: text,
    recordedAt: z.iso.datetime(),
  })
  .strict()
  .refine((entry) => (entry.action === 'accept') === (entry.until !== null && entry.revokes === null), 'an acceptance has a last day and revokes nothing; a revocation names the acceptance it revokes and has no last day');
export type AcceptanceObject = z.infer<typeof AcceptanceObject>;

export interface AcceptanceRow {
  sequence: number;
  hash: string;
  previous: string | null;
  action: string;
  check_id: string;
  item: string;
  reason: string;
  approver: string;
  until_day: string | null;
  revokes: number | null;
  recorded_by: string;
  recorded_at: string;
  /** The locker key's signature over the entry object's hash (purpose ACCEPTANCE_FORMAT). */
  signature: string;
}

/** The row as the entry object says it; verify compares the two column by column. */
export function acceptanceRowOf(entry: AcceptanceObject, entryHash: string, signature: string): AcceptanceRow {
  return {
    sequence: entry.sequence,
    hash: entryHash,
    previous: entry.previous,
    action: entry.action,
    check_id: entry.check,
    item: entry.item,
    reason: entry.reason,
    approver: entry.approver,
    until_day: entry.until,
    revokes: entry.revokes,
    recorded_by: entry.recordedBy,
    recorded_at: entry.recordedAt,
    signature,
  };
}

/** The acceptance chain, for appending and verifying. */
export const ACCEPTANCE_TABLE: EntryTable<AcceptanceObject, AcceptanceRow> = {
  name: 'exception_acceptances',
  noun: 'acceptance',
  purpose: ACCEPTANCE_FORMAT,
  altered: 'acceptance-altered',
  schema: AcceptanceObject,
  rowOf: acceptanceRowOf,
};

/** Every acceptance in order, each with the revocation that ended it, if any. */
export function queryAcceptances(db: Db): ExceptionAcceptance[] {
  const rows = db.prepare('SELECT * FROM exception_acceptances ORDER BY sequence').all() as AcceptanceRow[];
  const revocations = new Map(rows.filter((row) => row.action === 'revoke').map((row) => [row.revokes!, row]));
  return rows
    .filter((row) => row.action === 'accept')
    .map((row) => {
      const revocation = revocations.get(row.sequence);
      return {
        id: row.sequence,
        hash: row.hash,
        check: row.check_id,
        item: row.item,
        reason: row.reason,
        approver: row.approver,
        until: row.until_day!,
        recordedBy: row.recorded_by,
        recordedAt: row.recorded_at,
        revoked: revocation ? { id: revocation.sequence, reason: revocation.reason, approver: revocation.approver, recordedBy: revocation.recorded_by, at: revocation.recorded_at } : null,
      };
    });
}

function parsed(fields: Omit<AcceptanceObject, 'format' | 'sequence' | 'previous' | 'recordedAt'>, sequence: number, previous: string | null, recordedAt: string): AcceptanceObject {
  const result = AcceptanceObject.safeParse({ format: ACCEPTANCE_FORMAT, sequence, previous, ...fields, recordedAt });
  if (result.success) return result.data;
  throw new LockerError(result.error.issues.map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`).join('; '));
}

/** Sign and store one entry. */
async function append(ctx: EntryContext, db: Db, fields: Omit<AcceptanceObject, 'format' | 'sequence' | 'previous' | 'recordedAt'>): Promise<number> {
  const [row] = await appendEntries(db, ctx, ACCEPTANCE_TABLE, [({ sequence, previous }, recordedAt) => parsed(fields, sequence, previous, recordedAt)]);
  return row!.sequence;
}

/** Accept one exception under the writer lock (never interleaved with a run). */
export async function acceptException(ctx: EntryContext, input: AcceptanceInput): Promise<ExceptionAcceptance> {
  return withWriterDb(ctx.dir, ctx.dbPath, 'exception-accept', async (db) => {
    const id = await append(ctx, db, { action: 'accept', ...input, revokes: null });
    return queryAcceptances(db).find((acceptance) => acceptance.id === id)!;
  });
}

/** Revoke an acceptance by a new entry; refused for an unknown or already revoked acceptance. */
export async function revokeAcceptance(ctx: EntryContext, input: RevocationInput): Promise<ExceptionAcceptance> {
  return withWriterDb(ctx.dir, ctx.dbPath, 'exception-revoke', async (db) => {
    const target = queryAcceptances(db).find((acceptance) => acceptance.id === input.revokes);
    if (!target) throw new LockerError(`acceptance ${input.revokes} does not exist (see \`evidentia exception list --all\`)`);
    if (target.revoked) throw new LockerError(`acceptance ${target.id} was already revoked by entry ${target.revoked.id} at ${target.revoked.at}`);
    const { revokes, reason, approver, recordedBy } = input;
    await append(ctx, db, { action: 'revoke', check: target.check, item: target.item, reason, approver, until: null, revokes, recordedBy });
    return queryAcceptances(db).find((acceptance) => acceptance.id === target.id)!;
  });
}
