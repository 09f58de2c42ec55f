/**
 * Coverage of a state stream (an inventory that cannot be rebuilt later).
 * A snapshot describes the state for the allowed staleness after it; every
 * interval between successful snapshots longer than that leaves the state
 * unknown from (last snapshot + staleness) to the next snapshot: a gap, open
 * for good, since no backfill can recover past state. Its causes are read in
 * the whole interval since the last snapshot (failures, downtime).
 */
import { StreamLedger } from './stream-ledger.js';
import type { CollectionFact } from './types.js';

export class StateStreamLedger extends StreamLedger {
  protected onSuccess(_fact: CollectionFact, time: number): void {
    if (this.lastSuccess !== null && time <= this.lastSuccess) return;
    this.staleInterval(this.lastSuccess, time);
  }

  protected finishGaps(): void {
    this.staleInterval(this.lastSuccess, null);
  }

  /** The interval from `previous` (or the beginning) to `next` (or now, still without a snapshot). */
  private staleInterval(previous: number | null, next: number | null): void {
    const staleFrom = previous === null ? -Infinity : previous + this.allowance;
    const end = next ?? this.scope.now;
    if (!(end > staleFrom)) return;
    this.addGap(
      { start: previous ?? -Infinity, end },
      this.shown(staleFrom, end),
      { status: 'open', ongoing: next === null, closable: false, closedAt: null, closedBy: null },
      this.context(),
      this.failures,
    );
  }
}
