/**
 * Coverage of an event stream (a history collected by cursor). The union of
 * the ranges of complete stream runs, minus the gaps they declared (history
 * beyond the source's retention), must cover the period. A hole below the
 * collected frontier stays open until a backfill fills it, which closes it
 * (when, by which run); a frontier trailing "now" by more than the allowed lag
 * is an open gap that the next successful run closes, since collection
 * resumes from the cursor. Lags that were made up later are kept as closed
 * gaps, so an outage is visible even after it has healed.
 */
import type { TimedInterval } from './causes.js';
import { IntervalSet, type Interval } from './intervals.js';
import { StreamLedger } from './stream-ledger.js';
import type { CollectionFact } from './types.js';

/** `range` minus `cuts` (both half-open). */
function subtract(range: Interval, cuts: Interval[]): Interval[] {
  const pieces: Interval[] = [];
  let cursor = range.start;
  for (const cut of [...cuts].sort((a, b) => a.start - b.start)) {
    if (cut.start > cursor) pieces.push({ start: cursor, end: Math.min(cut.start, range.end) });
    cursor = Math.max(cursor, cut.end);
  }
  if (cursor < range.end) pieces.push({ start: cursor, end: range.end });
  return pieces.filter((piece) => piece.end > piece.start);
}

export class EventStreamLedger extends StreamLedger {
  private readonly covered = new IntervalSet();
  private readonly declared: TimedInterval[] = [];
  private readonly declaredSet = new IntervalSet();

  protected onSuccess(fact: CollectionFact, time: number): void {
    if (fact.rangeUntil === null) return;
    const range = { start: fact.rangeSince === null ? -Infinity : Date.parse(fact.rangeSince), end: Date.parse(fact.rangeUntil) };
    const declared = fact.gaps.map((gap) => ({ start: gap.since === null ? -Infinity : Date.parse(gap.since), end: Date.parse(gap.until), detail: gap.reason }));
    for (const gap of declared) {
      for (const added of this.declaredSet.add(gap.start, gap.end)) this.declared.push({ ...added, detail: gap.detail });
    }
    const frontier = this.covered.last;
    const closed = { status: 'closed' as const, ongoing: false, closable: false, closedAt: fact.finishedAt, closedBy: `${fact.trigger} ${fact.runId}` };
    if (Number.isFinite(frontier) && time - frontier > this.allowance && range.end > frontier) {
      const window = { start: frontier, end: time };
      this.addGap(window, this.shown(frontier, time), closed, this.context(), this.failures);
    }
    for (const piece of subtract(range, declared)) {
      for (const added of this.covered.add(piece.start, piece.end)) {
        const filled = { start: added.start, end: Math.min(added.end, frontier) };
        if (filled.end > filled.start) this.addGap(filled, this.shown(filled.start, filled.end), closed, this.context(this.declared), null);
      }
    }
  }

  protected finishGaps(): void {
    const frontier = this.covered.last;
    for (const hole of this.covered.holes(-Infinity, Math.min(frontier, this.scope.end))) {
      const beyondRetention = this.declaredSet.holes(hole.start, hole.end).length === 0;
      const closable = !beyondRetention && this.withinRetention(hole.end);
      this.addGap(hole, this.shown(hole.start, hole.end), { status: 'open', ongoing: false, closable, closedAt: null, closedBy: null }, this.context(this.declared), null);
    }
    if (frontier < this.scope.end && this.scope.now - frontier > this.allowance) {
      const window = { start: frontier, end: this.scope.now };
      // The next successful run resumes from the cursor: always closable (a part beyond retention is then declared).
      const fields = { status: 'open' as const, ongoing: true, closable: true, closedAt: null, closedBy: null };
      this.addGap(window, this.shown(frontier, this.scope.end), fields, this.context(this.declared), this.failures);
    }
  }
}
