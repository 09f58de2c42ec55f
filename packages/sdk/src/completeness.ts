/**
 * Whether a stream got everything the source holds. A stream is complete only
 * when every total the source reported matches the distinct records it
 * counts and no in-scope item was denied; otherwise it is partial, and the
 * reason carries the numbers and the items. Silence is never complete.
 */
import type { EvidenceRecord } from '@evidentia/evidence';
import type { ItemGap, TotalOptions } from './types.js';

interface Tally {
  reported: number;
  what: string;
  counts: (record: EvidenceRecord) => boolean;
  received: Set<string>;
}

/** How many item gaps a partial reason names before summarizing the rest. */
const NAMED_GAPS = 3;

export class CompletenessLedger {
  private readonly tallies: Tally[] = [];
  private readonly gaps = new Map<string, ItemGap>();
  /** Identities emitted so far, by kind: a total reported after the records it counts still sees them. */
  private readonly observedByKind = new Map<string, Set<string>>();

  constructor(private readonly streamKind: string) {}

  reportTotal(total: number, options: TotalOptions = {}): void {
    if (!Number.isInteger(total) || total < 0) throw new TypeError(`reportTotal expects a count, got ${String(total)}`);
    const kind = this.streamKind;
    // A predicate cannot be applied to records already emitted (they are not kept): it must come first.
    if (options.counts && this.observedByKind.size > 0) throw new TypeError('reportTotal with a counts predicate must be called before the first emit');
    this.tallies.push({
      reported: total,
      what: options.what ?? `${kind} records`,
      counts: options.counts ?? ((record) => record.kind === kind),
      received: new Set(this.observedByKind.get(kind)),
    });
  }

  /** Count an emitted record (by identity) toward every total that counts it. */
  observe(record: EvidenceRecord, identity: string): void {
    const ofKind = this.observedByKind.get(record.kind) ?? new Set<string>();
    this.observedByKind.set(record.kind, ofKind.add(identity));
    for (const tally of this.tallies) if (tally.counts(record)) tally.received.add(identity);
  }

  itemGap(gap: ItemGap): void {
    if (!gap.item || !gap.reason) throw new TypeError('itemGap needs an item and a reason');
    this.gaps.set(gap.item, { item: gap.item, reason: gap.reason, inScope: gap.inScope });
  }

  /** The reported totals added up (the manifest's `apiTotal`), or null when the source reported none. */
  apiTotal(): number | null {
    return this.tallies.length === 0 ? null : this.tallies.reduce((sum, tally) => sum + tally.reported, 0);
  }

  itemGaps(): ItemGap[] {
    return [...this.gaps.values()];
  }

  /** Null when complete; else why the stream is partial. */
  shortfall(): string | null {
    const reasons: string[] = [];
    for (const tally of this.tallies) {
      const received = tally.received.size;
      if (received !== tally.reported) reasons.push(`received ${received} of ${tally.reported} ${tally.what} the source reports`);
    }
    const inScope = this.itemGaps().filter((gap) => gap.inScope);
    if (inScope.length > 0) {
      const named = inScope.slice(0, NAMED_GAPS).map((gap) => `${gap.item} (${gap.reason})`);
      const more = inScope.length > NAMED_GAPS ? ` and ${inScope.length - NAMED_GAPS} more` : '';
      reasons.push(`${inScope.length} in-scope item${inScope.length === 1 ? '' : 's'} could not be read: ${named.join('; ')}${more}`);
    }
    return reasons.length === 0 ? null : reasons.join('; ');
  }
}
