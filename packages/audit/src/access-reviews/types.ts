/**
 * What an access review holds, as the locker signs it: the review (its
 * population, one row per account of a system's latest inventory, and the
 * hash of those rows) and batches of decisions on it. The locker keeps both
 * as opaque signed JSON; this file is their one definition.
 */
import { z } from 'zod';

export const DECISIONS = ['keep', 'revoke', 'change'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why the reviewer should look twice, first that applies: the person left, nobody owns it, it is unused, it holds privileges; otherwise keep. */
export const SUGGESTIONS = ['leaver', 'no owner', 'inactive', 'privileged', 'keep'] as const;

/** One account under review. Every field is text as the workbook shows it, so an edited row is told by comparing text. */
export const ReviewRow = z
  .object({
    row: z.number().int().positive(),
    account: z.string(),
    email: z.string(),
    displayName: z.string(),
    accountType: z.string(),
    status: z.string(),
    person: z.string(),
    roles: z.string(),
    privileged: z.enum(['yes', 'no']),
    mfa: z.string(),
    /** ISO instant of the last sign-in the system reports, or ''. */
    lastActivity: z.string(),
    suggestedAction: z.enum(SUGGESTIONS),
    suggestionReason: z.string(),
    /**
     * The system's id of the account that a rename keeps (the record's `sourceId`), when it has one: a revoke is
     * judged on the account with this id whatever its name by then. Not a workbook column; absent in older reviews.
     */
    sourceId: z.string().optional(),
  })
  .strict();
export type ReviewRow = z.infer<typeof ReviewRow>;

/** The inventory a review was built from: one per stream that reports the system's accounts. */
export const ReviewSource = z.object({ stream: z.string(), runId: z.string(), observedAt: z.string(), recordSet: z.string() }).strict();

export const ReviewBody = z
  .object({
    sources: z.array(ReviewSource).min(1),
    /** SHA-256 of the canonical JSON of `rows`: the population the review was built from. */
    population: z.string(),
    reviewer: z.string().nullable(),
    rows: z.array(ReviewRow),
  })
  .strict();
export type ReviewBody = z.infer<typeof ReviewBody>;

export const DecisionEntry = z
  .object({
    row: z.number().int().positive(),
    account: z.string(),
    decision: z.enum(DECISIONS),
    reviewer: z.string().min(1),
    comment: z.string(),
  })
  .strict();
export type DecisionEntry = z.infer<typeof DecisionEntry>;

export const DecisionsBody = z
  .object({
    decisions: z.array(DecisionEntry).min(1),
    /** Imported with --partial: rows were left undecided, and the review stays open. */
    partial: z.boolean(),
    /** The file the decisions came from: its name and the SHA-256 of its bytes. */
    file: z.object({ name: z.string(), sha256: z.string() }).strict(),
  })
  .strict();
export type DecisionsBody = z.infer<typeof DecisionsBody>;

/** The workbook's and CSV's columns, in order: account columns (compared on import), then the reviewer's. */
export const ACCOUNT_COLUMNS = [
  ['review_id', 'reviewId'],
  ['row', 'row'],
  ['system', 'system'],
  ['account', 'account'],
  ['email', 'email'],
  ['display_name', 'displayName'],
  ['account_type', 'accountType'],
  ['status', 'status'],
  ['person', 'person'],
  ['roles', 'roles'],
  ['privileged', 'privileged'],
  ['mfa', 'mfa'],
  ['last_activity', 'lastActivity'],
  ['suggested_action', 'suggestedAction'],
  ['suggestion_reason', 'suggestionReason'],
] as const;
export const DECISION_COLUMNS = ['decision', 'reviewer', 'comment'] as const;
export const COLUMNS = [...ACCOUNT_COLUMNS.map(([column]) => column), ...DECISION_COLUMNS];

/** A review as stored, with every decision recorded on it so far. */
export interface ReviewState {
  reviewId: string;
  system: string;
  startedAt: string;
  startedBy: string;
  body: ReviewBody;
  /** Each decided row's decision, with when it was recorded (the import's time) and the import's entry hash. */
  decisions: Map<number, DecisionEntry & { decidedAt: string; entry: string }>;
  /** Hashes of the decisions files imported, so the same file is refused as a duplicate. */
  files: string[];
  /** Every row decided; false for a review with no row. */
  complete: boolean;
}
