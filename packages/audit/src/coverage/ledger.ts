/**
 * The coverage ledger: for a period, per stream, the collections its schedule
 * expected against the slots that hold a successful one, and every gap with
 * its causes (open or closed, and by which run); per criterion, whether the
 * streams serving it cover the period. Pure: it is given the plans, the
 * daemon's downtimes, a period, "now" and the stream runs in commit order,
 * and does no I/O, so it is tested with synthetic years and fed straight from
 * a locker query. Runs may be interleaved across streams; memory is a number
 * per successful run plus the gaps.
 */
import { EventStreamLedger } from './event-ledger.js';
import { StateStreamLedger } from './state-ledger.js';
import { iso, type LedgerScope, type StreamLedger } from './stream-ledger.js';
import type { CollectionFact, CriterionCoverage, Downtime, ItemGapSeen, Ledger, Period, StreamCoverage, StreamPlan } from './types.js';

/** An item in scope the stream could not read, with no complete collection of the stream since: evidence still missing. */
export const unreadItem = (gap: ItemGapSeen): boolean => gap.inScope && gap.readAgainAt === null;

export interface LedgerInput {
  period: Period;
  now: Date;
  streams: StreamPlan[];
  downtimes: Downtime[];
  /** When each stream was first attempted, when the runs given do not reach back that far. */
  firstAttempts?: ReadonlyMap<string, Date>;
}

function criteriaOf(streams: StreamCoverage[]): CriterionCoverage[] {
  const byCriterion = new Map<string, StreamCoverage[]>();
  for (const stream of streams) for (const criterion of stream.controls) byCriterion.set(criterion, [...(byCriterion.get(criterion) ?? []), stream]);
  return [...byCriterion.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([criterion, serving]) => {
      const gapStreams = serving.filter((stream) => !stream.covered).map((stream) => stream.stream);
      // A stream without a time gap that could not read an in-scope item, with no complete collection since, still leaves part of the criterion's evidence out.
      const unreadStreams = serving.filter((stream) => stream.itemGaps.some(unreadItem)).map((stream) => stream.stream);
      return { criterion, streams: serving.map((stream) => stream.stream), covered: gapStreams.length === 0 && unreadStreams.length === 0, gapStreams, unreadStreams };
    });
}

/** Reads stream runs one at a time (any order of streams, each stream's runs in commit order) and then judges the period. */
export class LedgerBuilder {
  private readonly scope: LedgerScope;
  private readonly streams = new Map<string, StreamLedger>();

  constructor(private readonly input: LedgerInput) {
    const now = input.now.getTime();
    this.scope = {
      start: input.period.since.getTime(),
      end: Math.max(input.period.since.getTime(), Math.min(input.period.until.getTime(), now)),
      now,
      downtimes: input.downtimes
        .map((down) => ({ start: down.since.getTime(), end: down.until.getTime(), detail: `the daemon was not running: scheduled collections from ${iso(down.since.getTime())} were missed until its catch-up run ${down.runId} at ${iso(down.until.getTime())}` }))
        .sort((a, b) => a.start - b.start),
    };
    for (const plan of input.streams) {
      const ledger = plan.type === 'state' ? new StateStreamLedger(plan, this.scope) : new EventStreamLedger(plan, this.scope);
      const first = input.firstAttempts?.get(plan.id);
      if (first) ledger.attemptedAt(first.getTime());
      this.streams.set(plan.id, ledger);
    }
  }

  add(fact: CollectionFact): void {
    this.streams.get(fact.stream)?.add(fact);
  }

  finish(): Ledger {
    const fireCache = new Map<string, number[]>();
    const firesOf = (plan: StreamPlan) => {
      const key = `${plan.schedule.expression}\n${plan.schedule.timezone}`;
      let fires = fireCache.get(key);
      if (!fires) {
        fires = [...plan.schedule.fires(new Date(this.scope.start), new Date(this.scope.end))].map((fire) => fire.getTime());
        fireCache.set(key, fires);
      }
      return fires;
    };
    const streams = [...this.streams.values()].map((ledger) => ledger.finish(firesOf(ledger.plan)));
    const gaps = streams.flatMap((stream) => stream.gaps);
    return {
      period: { since: this.input.period.since.toISOString(), until: this.input.period.until.toISOString() },
      now: this.input.now.toISOString(),
      evaluatedUntil: iso(this.scope.end),
      streams,
      criteria: criteriaOf(streams),
      openGaps: gaps.filter((gap) => gap.status === 'open').length,
      closedGaps: gaps.filter((gap) => gap.status === 'closed').length,
    };
  }
}

/** The ledger over stream runs given as a (synchronous) iterable. */
export function computeLedger(input: LedgerInput, facts: Iterable<CollectionFact>): Ledger {
  const builder = new LedgerBuilder(input);
  for (const fact of facts) builder.add(fact);
  return builder.finish();
}

/** The ledger over stream runs streamed from the locker. */
export async function computeLedgerFrom(input: LedgerInput, facts: AsyncIterable<CollectionFact>): Promise<Ledger> {
  const builder = new LedgerBuilder(input);
  for await (const fact of facts) builder.add(fact);
  return builder.finish();
}
