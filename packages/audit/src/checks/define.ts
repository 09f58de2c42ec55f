/**
 * The check contract. A check is a small declarative module: an id, a title
 * in our own words, the criteria it serves, the record kinds it reads, a zod
 * schema for its settings (with defaults) and an evaluation that yields one
 * finding per item. Checks never call an API: they read the locker through
 * the CheckEvidence they are handed, so any check can be re-run on old
 * evidence and gives the same answer.
 */
import type { z } from 'zod';
import { isCriterionId } from '@evidentia/catalog';
import { isKindName, type KindName } from '@evidentia/evidence';
import type { AccessReviewEntry, HashedRecord, Inventory, StoredRecord } from '@evidentia/locker';
import type { AcceptanceMark } from './acceptances.js';
import type { PeopleDirectory } from './people.js';
import type { Period } from './period.js';
import type { Source } from './sources.js';

/**
 * pass: the item meets the control; exception: it does not; not-assessable:
 * the evidence cannot tell (e.g. MFA "unknown"); not-assessed: there was no
 * evidence to judge (a system without an inventory of the period, a stream
 * not configured or failing, nothing in the period), never counted as a pass.
 */
export type FindingStatus = 'pass' | 'exception' | 'not-assessable' | 'not-assessed';
export const FINDING_STATUSES: readonly FindingStatus[] = ['exception', 'not-assessed', 'not-assessable', 'pass'];

export interface Finding {
  /** What was judged: a pull request, an account, a person, a branch. */
  item: string;
  /** The system the item lives in, e.g. `github:acme-corp`; null when the item spans systems. */
  system: string | null;
  status: FindingStatus;
  /** One sentence an auditor can check against the records. */
  reason: string;
  /** Hashes of the records the judgement rests on. */
  records: string[];
  /**
   * On a not-assessable finding: the setting that exempted the item (e.g. `exemptAccountTypes`), its
   * reason saying why. An exemption is a judgement someone made in the configuration, not missing
   * evidence: it does not keep a criterion from being met, but it is never a pass either (a check whose
   * every item is exempt judged nothing). A not-assessable finding without it is evidence that could not decide.
   */
  exempt?: string;
  /** Set by the runner on an exception an acceptance names (checks never set it): accepted, or an acceptance that did not hold. Still an exception. */
  acceptance?: AcceptanceMark;
}

/**
 * A finding as a check yields it: `spans` names every system an item that
 * spans systems (`system: null`, e.g. one incident told by a ticket and a
 * channel) rests on, so each counts as judged; it is not kept in the results.
 */
export interface YieldedFinding extends Finding {
  spans?: string[];
}

/** An inventory item (an account, a branch, a trail) as every inventory in the window saw it. */
export interface InventoryItem {
  kind: KindName;
  system: string;
  key: string;
  stream: string;
  /** Each inventory that held the item, oldest first, with the version it held. */
  seen: { at: string; record: HashedRecord }[];
  /** When each inventory of the item's stream in the window was taken, oldest first (held the item or not). */
  /** Shared by every item of the stream: read it, never change it. */
  inventoryTimes: readonly string[];
}

/** A time window; defaults to the period. Lets a check look past the period's end, e.g. for a leaver's removal. */
export interface Window {
  since: Date;
  until: Date;
}

/** What a check may read. Only the kinds the check declares in `reads`; one query at a time (finish or break a loop before starting another). */
export interface CheckEvidence {
  readonly period: Period;
  /** Event records of `kind` that happened in the window (newest version of each item). */
  events(kind: KindName, window?: Window): AsyncIterable<StoredRecord>;
  /** The inventories of `kind` in effect during the window: the one in effect at its start, then every one inside it. */
  inventories(kind: KindName, window?: Window): Promise<Inventory[]>;
  /** Every item of those inventories with each observation of it, one item at a time. */
  items(kind: KindName, window?: Window): AsyncIterable<InventoryItem>;
  /** The streams collecting `kind` that this check applies to, and whether each holds evidence of the period (with the reason when not). */
  sources(kind: KindName): Promise<Source[]>;
  /** Every signed access-review entry (reviews started, decisions imported), in order. */
  accessReviews(): Promise<readonly AccessReviewEntry[]>;
}

export interface CheckContext<S> {
  period: Period;
  settings: S;
  evidence: CheckEvidence;
  /** People known from the configuration (`people.aliases`). */
  people: PeopleDirectory;
  /** The audit time zone (IANA name; the config's `timezone`, else UTC): where a check counts calendar days. */
  timezone: string;
}

export interface CheckDefinition<S = unknown> {
  /** Lower-case letters, digits and dashes; the key of the check's settings in the config. */
  id: string;
  title: string;
  /** What the check asks and how it decides, for the report. */
  description: string;
  criteria: string[];
  /** The record kinds the check reads: built-in ones, or a connector's own (`acme.device`). */
  reads: KindName[];
  /** Settings with defaults: parsing `{}` must succeed. */
  settings: z.ZodType<S>;
  /** The kind whose systems are judged one by one: a system of it with no finding is not assessed (default: the first of `reads`). */
  perSystem?: KindName;
  /** Kinds read only to add context (e.g. more names for people): no source of them, or none with evidence of the period, leaves nothing not assessed. */
  supplementary?: KindName[];
  /** Whether a stream's evidence concerns this check (default: every stream of the kinds it reads), e.g. only code hosts. */
  appliesTo?(source: Pick<Source, 'stream' | 'connector' | 'systems'>, settings: S): boolean;
  evaluate(context: CheckContext<S>): AsyncIterable<YieldedFinding>;
}

const ID_PATTERN = /^[a-z][a-z0-9-]*$/;

/** Every problem with a check definition (empty when usable); custom checks are held to the same rules. */
export function checkProblems(definition: unknown): string[] {
  if (typeof definition !== 'object' || definition === null) return ['it is not a check definition'];
  const check = definition as Partial<CheckDefinition>;
  const problems: string[] = [];
  if (typeof check.id !== 'string' || !ID_PATTERN.test(check.id)) problems.push('id must be lower-case letters, digits and dashes');
  if (check.id === 'custom') problems.push('id "custom" is reserved for the list of custom check modules');
  if (typeof check.title !== 'string' || check.title === '') problems.push('title is required');
  if (typeof check.description !== 'string') problems.push('description is required');
  if (!Array.isArray(check.criteria) || check.criteria.length === 0) problems.push('criteria must list at least one criterion');
  else for (const id of check.criteria) if (!isCriterionId(id)) problems.push(`criteria: ${String(id)} is not a criterion in the catalog`);
  if (!Array.isArray(check.reads) || check.reads.length === 0) problems.push('reads must list the record kinds the check reads');
  else for (const kind of check.reads) if (!isKindName(kind)) problems.push(`reads: ${String(kind)} is not a record kind (a built-in kind, or a connector's own such as acme.device)`);
  if (typeof check.settings?.safeParse !== 'function') problems.push('settings must be a zod schema');
  else if (!check.settings.safeParse({}).success) problems.push('settings must accept {} (give every setting a default)');
  if (typeof check.evaluate !== 'function') problems.push('evaluate(context) is required');
  if (check.perSystem !== undefined && !check.reads?.includes(check.perSystem)) problems.push('perSystem must be one of the kinds in reads');
  if (check.supplementary !== undefined && !(Array.isArray(check.supplementary) && check.supplementary.every((kind) => check.reads?.includes(kind)))) problems.push('supplementary must list kinds in reads');
  if (check.appliesTo !== undefined && typeof check.appliesTo !== 'function') problems.push('appliesTo must be a function');
  return problems;
}

export class CheckDefinitionError extends Error {
  override name = 'CheckDefinitionError';
}

/** Declare a check; returns it unchanged after checking its shape. */
export function defineCheck<S>(definition: CheckDefinition<S>): CheckDefinition<S> {
  const problems = checkProblems(definition);
  if (problems.length > 0) throw new CheckDefinitionError(`check ${String(definition?.id)}: ${problems.join('; ')}`);
  return definition;
}
