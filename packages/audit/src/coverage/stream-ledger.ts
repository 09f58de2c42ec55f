/**
 * What the ledger keeps per stream while it reads that stream's runs in
 * commit order: first attempt, last success, failures since, schedule slots
 * hit, and the gaps found so far. The state and event variants decide what a
 * gap is; this base counts and builds gaps the same way for both. Memory is a
 * number per successful run in the period plus the gaps.
 */
import { attribute, FailureLog, type AttributionContext, type TimedInterval } from './causes.js';
import type { Interval } from './intervals.js';
import type { CollectionFact, Gap, ItemGapSeen, StreamCoverage, StreamPlan } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The evaluated window, shared by every stream of one ledger. */
export interface LedgerScope {
  /** Period start. */
  start: number;
  /** Evaluated end: min(period end, now). */
  end: number;
  now: number;
  downtimes: TimedInterval[];
}

export const iso = (time: number) => new Date(time).toISOString();

export abstract class StreamLedger {
  protected firstAttempt: number | null = null;
  protected lastSuccess: number | null = null;
  protected readonly failures = new FailureLog();
  protected readonly gaps: Gap[] = [];
  /** Staleness (state) or allowed lag (event), in ms. */
  protected readonly allowance: number;
  private readonly successes: number[] = [];
  private failed = 0;
  private readonly itemGaps = new Map<string, ItemGapSeen>();

  constructor(
    readonly plan: StreamPlan,
    protected readonly scope: LedgerScope,
  ) {
    this.allowance = plan.maxStalenessHours * HOUR_MS;
  }

  /** An attempt known from elsewhere (the first one, when the runs read start later). */
  attemptedAt(time: number): void {
    if (this.firstAttempt === null || time < this.firstAttempt) this.firstAttempt = time;
  }

  add(fact: CollectionFact): void {
    const time = Date.parse(fact.startedAt);
    if (!(time <= this.scope.now)) return;
    this.attemptedAt(time);
    const inPeriod = time >= this.scope.start && time < this.scope.end;
    if (inPeriod) for (const gap of fact.itemGaps ?? []) this.noteItemGap(gap, fact.startedAt);
    if (fact.status !== 'complete') {
      if (inPeriod) this.failed++;
      // A partial collection stored what it got but not all the source holds: it closes no gap either.
      this.failures.add(time, fact.status === 'partial' ? `incomplete: ${fact.error ?? 'no reason recorded'}` : fact.error);
      return;
    }
    if (inPeriod) this.successes.push(time);
    this.onSuccess(fact, time);
    this.lastSuccess = Math.max(this.lastSuccess ?? time, time);
    this.failures.reset();
  }

  /** `fires`: the schedule's fire times inside the evaluated window, ascending. */
  finish(fires: readonly number[]): StreamCoverage {
    this.finishGaps();
    const gaps = this.gaps.filter((gap) => Date.parse(gap.since) < Date.parse(gap.until)).sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    return {
      stream: this.plan.id,
      type: this.plan.type,
      schedule: this.plan.schedule.expression,
      timezone: this.plan.schedule.timezone,
      controls: this.plan.controls,
      expected: fires.length,
      successful: this.slotsHit(fires),
      failed: this.failed,
      lastSuccessAt: this.lastSuccess === null ? null : iso(this.lastSuccess),
      covered: !gaps.some((gap) => gap.status === 'open'),
      gaps,
      itemGaps: [...this.itemGaps.values()].map((gap) => ({ ...gap, readAgainAt: this.successAfter(Date.parse(gap.lastAt)) })).sort((a, b) => a.item.localeCompare(b.item)),
    };
  }

  /** The first complete collection in the period after `time`, or null. */
  private successAfter(time: number): string | null {
    const first = this.successes.reduce((earliest, success) => (success > time && success < earliest ? success : earliest), Infinity);
    return Number.isFinite(first) ? iso(first) : null;
  }

  private noteItemGap(gap: { item: string; reason: string; inScope: boolean }, at: string): void {
    const seen = this.itemGaps.get(gap.item);
    if (seen) {
      seen.collections++;
      if (at >= seen.lastAt) Object.assign(seen, { reason: gap.reason, inScope: gap.inScope, lastAt: at });
    } else this.itemGaps.set(gap.item, { item: gap.item, reason: gap.reason, inScope: gap.inScope, collections: 1, lastAt: at, readAgainAt: null });
  }

  protected abstract onSuccess(fact: CollectionFact, time: number): void;
  protected abstract finishGaps(): void;

  /** The part of [start, end) inside the evaluated window. */
  protected shown(start: number, end: number): Interval {
    return { start: Math.max(start, this.scope.start), end: Math.min(end, this.scope.end) };
  }

  protected context(declared?: TimedInterval[]): AttributionContext {
    return { firstAttempt: this.firstAttempt, downtimes: this.scope.downtimes, declared };
  }

  /** Whether the source still keeps the history up to `end` (event streams). */
  protected withinRetention(end: number): boolean {
    return this.plan.retentionDays === undefined || end > this.scope.now - this.plan.retentionDays * DAY_MS;
  }

  protected addGap(window: Interval, shown: Interval, fields: Pick<Gap, 'status' | 'ongoing' | 'closable' | 'closedAt' | 'closedBy'>, context: AttributionContext, failures: FailureLog | null): void {
    if (!(shown.end > shown.start)) return;
    this.gaps.push({
      key: `${this.plan.id}@${Number.isFinite(window.start) ? iso(window.start) : 'start'}`,
      stream: this.plan.id,
      since: iso(shown.start),
      until: iso(shown.end),
      ...fields,
      causes: attribute(window, shown, context, failures),
    });
  }

  /** Slots [fire, next fire) holding at least one success. */
  private slotsHit(fires: readonly number[]): number {
    const successes = this.successes.sort((a, b) => a - b);
    let hit = 0;
    let next = 0;
    for (let slot = 0; slot < fires.length; slot++) {
      const slotEnd = fires[slot + 1] ?? Infinity;
      while (next < successes.length && successes[next]! < fires[slot]!) next++;
      if (next < successes.length && successes[next]! < slotEnd) hit++;
    }
    return hit;
  }
}
