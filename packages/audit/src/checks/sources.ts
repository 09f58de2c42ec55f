/**
 * Where a check's evidence comes from, and whether it is there for the
 * period: per stream that collects a record kind (configured, or found in the
 * locker), its systems and whether it can be judged. A state stream needs an
 * inventory inside the period, or one in effect at its start that stays
 * within its staleness to the period's end (a six-month period is not judged
 * on one inventory from the day before it); an
 * event stream needs a complete collection reaching into the period. When it
 * cannot be judged, the reason says why (not configured, never collected, no
 * recent inventory, failed or partial runs), so a check never passes on
 * evidence that is not there.
 */
import type { KindName } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import type { Period } from './period.js';

/** What the configuration says about a stream (absent when `check` runs without a config). */
export interface SourcePlan {
  /** `<instance>/<stream>` */
  stream: string;
  connector: string;
  kind: KindName;
  type: 'state' | 'event';
  maxStalenessHours: number;
  /** Event streams that collect an item again whenever it changes (StreamDefinition.recollectsChanges). */
  recollectsChanges?: boolean;
  /** The criteria its records serve after config overrides (a connector's own kind has no defaults to fall back on). */
  controls?: readonly string[];
}

export interface Source {
  /** `<instance>/<stream>` */
  stream: string;
  kind: KindName;
  type: 'state' | 'event';
  /** The connector behind the stream, when the configuration names it. */
  connector: string | null;
  /** Systems its records name (empty when it never stored one). */
  systems: string[];
  /** Evidence of the period is there to judge. */
  usable: boolean;
  /** Why it is not usable; null when it is. */
  reason: string | null;
  /**
   * Streams that collect a changed item again: the spans of time their
   * complete runs covered, merged, oldest first. An item stored before such a
   * span's end and not collected again was unchanged until then.
   */
  covered?: Array<{ since: string; until: string }>;
}

/** Staleness assumed for a state stream the configuration does not name. */
export const DEFAULT_STALENESS_HOURS = 36;

const HOUR_MS = 3_600_000;

/** Failed or partial runs of a stream started inside the period: "; 3 run(s) of it in the period did not complete (last failed: timeout)". */
async function troubles(locker: Locker, stream: string, period: Period): Promise<string> {
  let count = 0;
  let last: string | null = null;
  for await (const run of locker.streamRuns({ stream, since: period.since, startedBy: period.until })) {
    if (run.status === 'complete' || run.startedAt < period.since.toISOString()) continue;
    count++;
    last = `${run.status}: ${run.error ?? 'no error recorded'}`;
  }
  return count === 0 ? '' : `; ${count} run(s) of it in the period did not complete (last ${last})`;
}

async function stateReason(locker: Locker, stream: string, period: Period, stalenessHours: number): Promise<string | null> {
  const inventories = await locker.inventories({ stream, since: period.since, until: period.until });
  const staleness = stalenessHours * HOUR_MS;
  if (inventories.some((inventory) => Date.parse(inventory.observedAt) >= period.since.getTime())) return null;
  // Only the inventory in effect at the start: it stands for the period only as long as it is fresh.
  const inEffect = inventories.at(-1);
  const freshUntil = inEffect ? Date.parse(inEffect.observedAt) + staleness : -Infinity;
  if (freshUntil >= period.until.getTime()) return null;
  if (freshUntil >= period.since.getTime()) {
    return `no inventory from ${stream} inside the period: the one in effect at its start (${inEffect!.observedAt}) is stale from ${new Date(freshUntil).toISOString()} (staleness ${stalenessHours} h), before the period ends${await troubles(locker, stream, period)}`;
  }
  const last = inventories.at(-1)?.observedAt;
  const before = last ? `the last one before it is from ${last}` : 'none before it either';
  return `no inventory from ${stream} inside the period or within its staleness of ${stalenessHours} h before it (${before})${await troubles(locker, stream, period)}`;
}

async function eventReason(locker: Locker, stream: string, period: Period): Promise<string | null> {
  for await (const run of locker.streamRuns({ stream })) {
    if (run.status !== 'complete') continue;
    const since = run.rangeSince === null ? -Infinity : Date.parse(run.rangeSince);
    const until = run.rangeUntil === null ? Date.parse(run.startedAt) : Date.parse(run.rangeUntil);
    if (since < period.until.getTime() && until > period.since.getTime()) return null;
  }
  return `no complete collection from ${stream} reaches into the period${await troubles(locker, stream, period)}`;
}

/** The complete runs' collection ranges of a stream, merged where they touch or overlap. */
async function coveredSpans(locker: Locker, stream: string): Promise<Array<{ since: string; until: string }>> {
  const ranges: Array<[number, number]> = [];
  for await (const run of locker.streamRuns({ stream })) {
    if (run.status !== 'complete' || run.rangeSince === null || run.rangeUntil === null) continue;
    ranges.push([Date.parse(run.rangeSince), Date.parse(run.rangeUntil)]);
  }
  const merged: Array<[number, number]> = [];
  for (const [since, until] of ranges.sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && since <= last[1]) last[1] = Math.max(last[1], until);
    else merged.push([since, until]);
  }
  return merged.map(([since, until]) => ({ since: new Date(since).toISOString(), until: new Date(until).toISOString() }));
}

async function systemsOf(locker: Locker, stream: string, kind: KindName): Promise<string[]> {
  const systems = new Set<string>();
  for await (const record of locker.records({ stream, kind, limit: 100 })) systems.add(record.system);
  return [...systems].sort();
}

/** The sources of `kind` for the period: configured streams, and streams of the locker holding records of the kind. */
export async function sourcesOf(locker: Locker, period: Period, kind: KindName, plans: readonly SourcePlan[] | null): Promise<Source[]> {
  const planned = (plans ?? []).filter((plan) => plan.kind === kind);
  const heads = await locker.streamHeads();
  // Each stream's systems are asked for twice below (whether it holds the kind, then to name them): one read of the locker each.
  const read = new Map<string, Promise<string[]>>();
  const systemsIn = (stream: string) => {
    if (!read.has(stream)) read.set(stream, systemsOf(locker, stream, kind));
    return read.get(stream)!;
  };
  // Streams the configuration does not name count when they hold records of the kind (their record queries are not reads of the check).
  const stored = new Map<string, 'state' | 'event'>();
  for (const head of heads) {
    if (!planned.some((plan) => plan.stream === head.stream) && (await systemsIn(head.stream)).length > 0) stored.set(head.stream, head.last.type);
  }
  const streams = new Map<string, { type: 'state' | 'event'; plan: SourcePlan | null }>();
  for (const plan of planned) streams.set(plan.stream, { type: plan.type, plan });
  for (const [stream, type] of stored) if (!streams.has(stream)) streams.set(stream, { type, plan: null });
  const sources: Source[] = [];
  for (const [stream, { type, plan }] of [...streams].sort(([a], [b]) => a.localeCompare(b))) {
    const reason = !heads.some((head) => head.stream === stream)
      ? `${stream} is configured but has never been collected`
      : type === 'state'
        ? await stateReason(locker, stream, period, plan?.maxStalenessHours ?? DEFAULT_STALENESS_HOURS)
        : await eventReason(locker, stream, period);
    const covered = type === 'event' && plan?.recollectsChanges ? { covered: await coveredSpans(locker, stream) } : {};
    sources.push({ stream, kind, type, connector: plan?.connector ?? null, systems: await systemsIn(stream), usable: reason === null, reason, ...covered });
  }
  return sources;
}

/** Said when no stream at all collects a kind. */
export function notConfigured(kind: KindName): string {
  return `no stream collects ${kind} records: none is configured and the locker holds none`;
}
