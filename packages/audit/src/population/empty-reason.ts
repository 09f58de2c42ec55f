/**
 * Why a population has no items, for its IPE header and the command's
 * message: no stream collects the kinds behind it (not configured), its
 * streams have no run or no evidence of the period (with their failures), or
 * they ran and simply hold no record of the period; and, for a population
 * with items, the streams of its kinds that have no usable evidence of the
 * period, whose items it may lack. The same source judgement as the checks'
 * not-assessed findings (checks/sources.ts).
 */
import { defaultControlsForKind } from '@evidentia/catalog';
import { isKindName, isRecordKind, RECORD_KINDS, type KindName } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import { notConfigured, type Source, sourcesOf, type SourcePlan } from '../checks/sources.js';
import { emptyReviewReason } from './access-review-rows.js';
import { gapList, minute } from '../coverage/render.js';
import type { Ledger } from '../coverage/types.js';
import type { PopulationQuery } from './item.js';

/** A stream of a population's kind with no usable evidence of the period: the population may lack its items. */
export interface MissingSource {
  /** `<instance>/<stream>` */
  stream: string;
  kind: string;
  reason: string;
}

/**
 * The record kinds a population is drawn from: the one asked for, or those serving the criterion by default
 * and those of configured streams linked to it (a connector's own kind has no default criteria).
 */
export function kindsOf(query: PopulationQuery, plans: readonly SourcePlan[] | null): KindName[] {
  if (query.kind) return isKindName(query.kind) ? [query.kind] : [];
  const configured = (plans ?? []).filter((plan) => plan.controls?.includes(query.control ?? '')).map((plan) => plan.kind);
  const byDefault = RECORD_KINDS.filter((kind) => defaultControlsForKind(kind).some((criterion) => criterion === query.control));
  return [...new Set([...byDefault, ...configured])];
}

/**
 * Whether a stream's records serve the query: any stream of the kind asked for; for a criterion, a configured
 * stream linked to it (its criteria after the configuration's overrides, which replace the defaults) or one the
 * configuration does not name whose kind serves it by default (a connector's own kind: its records say).
 */
function serves(source: Pick<Source, 'stream' | 'kind'>, query: PopulationQuery, plans: readonly SourcePlan[] | null): boolean {
  if (query.kind !== undefined || query.control === undefined) return true;
  const plan = plans?.find((candidate) => candidate.stream === source.stream);
  const criteria = plan?.controls ?? (isRecordKind(source.kind) ? defaultControlsForKind(source.kind) : null);
  return criteria === null || criteria.includes(query.control);
}

export async function emptyReason(locker: Locker, query: PopulationQuery, plans: readonly SourcePlan[] | null): Promise<string> {
  const review = emptyReviewReason(query);
  if (review) return review;
  const kinds = kindsOf(query, plans);
  if (kinds.length === 0) return query.kind ? `${query.kind} is not a record kind evidentia collects` : `no record kind serves ${query.control} by default, and no record in the locker was linked to it`;
  const reasons: string[] = [];
  for (const kind of kinds) {
    const all = await sourcesOf(locker, query.period, kind, plans);
    const sources = all.filter((source) => serves(source, query, plans));
    if (all.length === 0) reasons.push(notConfigured(kind));
    else if (sources.length === 0) reasons.push(`the configuration links no stream of ${kind} records to ${query.control} (${all.map((source) => source.stream).join(', ')} serve other criteria)`);
    for (const source of sources) reasons.push(source.reason ?? `${source.stream} ran for the period but holds no ${kind} record of it${query.control ? ` linked to ${query.control}` : ''}`);
  }
  return reasons.join('; ');
}

/**
 * The streams of `kinds` (configured, or holding records of them) that serve the query and have no usable evidence of the period: none
 * collected, no inventory within its staleness, no complete collection reaching into it. Their items are absent
 * from the population (or only those of a stale inventory), however many items the other streams gave it.
 */
export async function missingSources(
  locker: Locker,
  query: PopulationQuery,
  kinds: Iterable<string>,
  plans: readonly SourcePlan[] | null,
  /** The sources of a kind for the query's period (sourcesOf), kept by a caller that asks for several criteria. */
  read: (kind: KindName) => Promise<Source[]> = (kind) => sourcesOf(locker, query.period, kind, plans),
): Promise<MissingSource[]> {
  const missing: MissingSource[] = [];
  for (const kind of new Set(kinds)) {
    if (!isKindName(kind)) continue;
    for (const source of await read(kind)) {
      if (!source.usable && serves(source, query, plans)) missing.push({ stream: source.stream, kind, reason: source.reason ?? 'no usable evidence of the period' });
    }
  }
  return missing;
}

/**
 * A configured stream of a population's kind that has evidence of the period but open coverage gaps in it (the
 * coverage ledger's, from its schedule): an inventory months before the period's end, a month no collection
 * reached. The population holds what was collected, not the items of that time.
 */
export interface CoverageGapSource {
  /** `<instance>/<stream>` */
  stream: string;
  kind: string;
  /** The open gaps in the period, oldest first, as `since..until` (to the minute). */
  gaps: string[];
}

/**
 * The configured streams of `kinds` serving the query with open coverage gaps in the ledger's period, except those
 * `missing` already names (no usable evidence at all). A stream the configuration does not name has no schedule,
 * so no ledger of its own: it is judged by `missingSources` alone.
 */
export function coverageGaps(ledger: Pick<Ledger, 'streams'> | null | undefined, query: PopulationQuery, kinds: Iterable<string>, plans: readonly SourcePlan[] | null, missing: readonly MissingSource[] = []): CoverageGapSource[] {
  if (!ledger || !plans) return [];
  const wanted = new Set(kinds);
  const found: CoverageGapSource[] = [];
  for (const stream of ledger.streams) {
    const plan = plans.find((candidate) => candidate.stream === stream.stream);
    if (!plan || !wanted.has(plan.kind) || missing.some((source) => source.stream === stream.stream)) continue;
    if (!serves({ stream: plan.stream, kind: plan.kind }, query, plans)) continue;
    const open = stream.gaps.filter((gap) => gap.status === 'open').sort((a, b) => a.since.localeCompare(b.since));
    if (open.length > 0) found.push({ stream: stream.stream, kind: plan.kind, gaps: open.map((gap) => `${minute(gap.since)}..${minute(gap.until)}`) });
  }
  return found.sort((a, b) => a.stream.localeCompare(b.stream));
}

/** "2 open coverage gaps in the period (a..b, c..d)", at most three shown. */
export function gapsText(source: CoverageGapSource): string {
  return `${source.gaps.length} open coverage gap${source.gaps.length === 1 ? '' : 's'} in the period (${gapList(source.gaps)})`;
}

/** Streams a terminal names a line each; more become one line naming them all, as `check`'s coverage notes do. */
const EACH_UP_TO = 3;

/**
 * What a terminal says of a population's streams with open coverage gaps: `each` stream's line, or, past three
 * streams (a first collection, a long outage), one line from `all` given their count and names ("a, b, c, d").
 * The IPE header and JSON keep each stream's gaps: the terminal is read once, the population file is kept.
 */
export function coverageGapLines(sources: readonly CoverageGapSource[], each: (source: CoverageGapSource) => string, all: (count: number, streams: string) => string): string[] {
  if (sources.length <= EACH_UP_TO) return sources.map(each);
  return [all(sources.length, sources.map((source) => source.stream).join(', '))];
}

/** The warnings `export population` prints of the streams with open coverage gaps (the CLI prefixes `evidentia: `). */
export function coverageGapWarnings(sources: readonly CoverageGapSource[]): string[] {
  return coverageGapLines(
    sources,
    (source) => `the population may be INCOMPLETE: ${source.stream} has ${gapsText(source)}, so its ${source.kind} items of that time may be missing (see coverage)`,
    (count, streams) => `the population may be INCOMPLETE: ${count} streams it draws from have open coverage gaps in the period (${streams}), so their items of those times may be missing (see coverage; the IPE header names each stream's gaps)`,
  );
}
