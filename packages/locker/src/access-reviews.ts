/**
 * User access reviews: a review started from a system's inventory (its
 * population of accounts) and the batches of decisions imported on it. Like
 * document evidence, each entry is one canonical-JSON object and one
 * append-only row carrying the locker key's signature over the object's hash
 * (purpose ACCESS_REVIEW_FORMAT, so it can pass for nothing else), chained
 * to the previous entry, so verify names an entry altered, removed or slipped
 * in. The locker keeps the body as signed; what a row of a review or a
 * decision holds is the judging half's (packages/audit/src/access-reviews).
 */
import { z } from 'zod';
import { HASH_PATTERN, sha256Hex } from '@evidentia/evidence';
import type { AccessReviewEntry, AccessReviewGuard, AccessReviewInput } from './access-review-types.js';
import { ACCESS_REVIEW_FORMAT } from './entry-formats.js';
import { LockerError } from './errors.js';
import type { ObjectStore } from './objects.js';
import type { Db } from './schema.js';
import { appendEntries, withWriterDb, type EntryContext, type EntryTable } from './signed-entries.js';

const hash = z.string().regex(HASH_PATTERN, 'expected a SHA-256 hex hash');

/** What an entry object holds. */
export const AccessReviewObject = z
  .object({
    format: z.literal(ACCESS_REVIEW_FORMAT),
    sequence: z.number().int().positive(),
    previous: hash.nullable(),
    reviewId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected letters, digits and dashes'),
    kind: z.enum(['review', 'decisions']),
    system: z.string().min(1),
    addedBy: z.string().min(1),
    addedAt: z.iso.datetime(),
    body: z.json(),
    /** SHA-256 of each file the entry rests on (kept as objects); absent when none. */
    files: z.array(hash).min(1).optional(),
  })
  .strict();
export type AccessReviewObject = z.infer<typeof AccessReviewObject>;

export interface AccessReviewRow {
  sequence: number;
  hash: string;
  previous: string | null;
  review_id: string;
  kind: string;
  system: string;
  added_by: string;
  added_at: string;
  /** The locker key's signature over the entry object's hash (purpose ACCESS_REVIEW_FORMAT). */
  signature: string;
}

/** The row as the entry object says it; verify compares the two column by column. */
export function accessReviewRowOf(entry: AccessReviewObject, entryHash: string, signature: string): AccessReviewRow {
  return {
    sequence: entry.sequence,
    hash: entryHash,
    previous: entry.previous,
    review_id: entry.reviewId,
    kind: entry.kind,
    system: entry.system,
    added_by: entry.addedBy,
    added_at: entry.addedAt,
    signature,
  };
}

/** The access-review chain, for appending and verifying. */
export const ACCESS_REVIEW_TABLE: EntryTable<AccessReviewObject, AccessReviewRow> = {
  name: 'access_review_entries',
  noun: 'access-review',
  purpose: ACCESS_REVIEW_FORMAT,
  altered: 'access-review-altered',
  schema: AccessReviewObject,
  rowOf: accessReviewRowOf,
};

/** Every entry in order, each with its body as the signed object holds it. */
export function queryAccessReviews(db: Db, objects: ObjectStore): AccessReviewEntry[] {
  const rows = db.prepare('SELECT * FROM access_review_entries ORDER BY sequence').all() as AccessReviewRow[];
  return rows.map((row) => {
    const parsed = AccessReviewObject.safeParse(JSON.parse(objects.read(row.hash).toString('utf8')));
    if (!parsed.success) throw new LockerError(`access-review entry ${row.sequence}: object ${row.hash} is not an access-review entry (run verify)`);
    const { reviewId, kind, system, addedBy, addedAt, body } = parsed.data;
    return { sequence: row.sequence, hash: row.hash, reviewId, kind, system, addedBy, addedAt, body };
  });
}

/** The files the entry names, then the entry object, then its row: an entry never names an object that is not there. */
async function store(db: Db, ctx: EntryContext, input: AccessReviewInput): Promise<void> {
  const { files = [], ...fields } = input;
  await appendEntries(db, ctx, ACCESS_REVIEW_TABLE, [
    ({ sequence, previous }, addedAt) => {
      const parsed = AccessReviewObject.safeParse({
        format: ACCESS_REVIEW_FORMAT,
        sequence,
        previous,
        ...fields,
        addedAt,
        ...(files.length > 0 ? { files: [...new Set(files.map((bytes) => sha256Hex(bytes)))] } : {}),
      });
      if (!parsed.success) throw new LockerError(`access review ${input.reviewId}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      for (const bytes of files) ctx.objects.put(sha256Hex(bytes), bytes);
      return parsed.data;
    },
  ]);
}

/**
 * What the chain must hold for the entry to belong: a review id is started
 * once (read back, a second review under it would replace the first and drop
 * the decisions on it), and decisions go on a started review of their system.
 */
function checkPlace(stored: readonly AccessReviewEntry[], input: AccessReviewInput): void {
  const started = stored.find((entry) => entry.kind === 'review' && entry.reviewId === input.reviewId);
  if (input.kind === 'review' && started) throw new LockerError(`access review ${input.reviewId}: already started (access-review entry ${started.sequence}); a new review takes a new id`);
  if (input.kind === 'decisions' && !started) throw new LockerError(`access review ${input.reviewId}: decisions on a review never started`);
  if (input.kind === 'decisions' && started!.system !== input.system) throw new LockerError(`access review ${input.reviewId}: decisions for ${input.system} on a review of ${started!.system}`);
}

/**
 * Append one entry under the writer lock (never interleaved with a run or
 * another import); refused when the chain has no place for it (checkPlace),
 * and `guard` sees every stored entry first and may refuse.
 */
export async function appendAccessReview(ctx: EntryContext, input: AccessReviewInput, guard?: AccessReviewGuard): Promise<AccessReviewEntry> {
  return withWriterDb(ctx.dir, ctx.dbPath, 'access-review', async (db) => {
    const stored = queryAccessReviews(db, ctx.objects);
    checkPlace(stored, input);
    guard?.(stored);
    await store(db, ctx, input);
    return queryAccessReviews(db, ctx.objects).at(-1)!;
  });
}
