/**
 * Whether a stream got everything the source holds. A stream is complete only
 * when every total the source reported matches the distinct records it
 * counts and no in-scope item was denied; otherwise it is partial, and the
 * reason carries the numbers and the items. Silence is never complete.
 */
import type { ItemGap, RecordIdentity, TotalOptions } from './types.js';

interface Tally {
  reported: number;
  what: string;
  /** Reported without `counts` or `excluded`: the same number under the same name is the same population again. */
  plain: boolean;
  counts: (record: RecordIdentity) => boolean;
  excluded: () => number;
}

/** How many item gaps a partial reason names before summarizing the rest. */
const NAMED_GAPS = 3;

export class CompletenessLedger {
  private readonly tallies: Tally[] = [];
  private readonly gaps = new Map<string, ItemGap>();

  constructor(private readonly streamKind: string) {}

  reportTotal(total: number, options: TotalOptions = {}): void {
    if (!Number.isInteger(total) || total < 0) throw new TypeError(`reportTotal expects a count, got ${String(total)}`);
    const kind = this.streamKind;
    const what = options.what ?? `${kind} records`;
    const plain = options.counts === undefined && options.excluded === undefined;
    // A listing whose every page carries the total (reported per page) names one population, not one per page:
    // counted again, the manifest's apiTotal (and the population's IPE) said the source held a multiple of it.
    if (plain && this.tallies.some((tally) => tally.plain && tally.what === what && tally.reported === total)) return;
    this.tallies.push({
      reported: total,
      what,
      plain,
      counts: options.counts ?? ((record) => record.kind === kind),
      excluded: options.excluded ?? (() => 0),
    });
  }

  itemGap(gap: ItemGap): void {
    if (!gap.item || !gap.reason) throw new TypeError('itemGap needs an item and a reason');
    // Left out (a connector without types), it would read as out of scope: a denied item, and the stream complete.
    if (typeof gap.inScope !== 'boolean') {
      throw new TypeError(`itemGap for ${gap.item} needs inScope: true or false (whether the configuration puts the item in scope), got ${JSON.stringify(gap.inScope) ?? 'undefined'}`);
    }
    // A second gap for the same item adds to the first: an item in scope for any reason stays in scope (a later
    // "out of scope" must not turn a denied item into a complete stream), and every distinct reason is kept.
    const earlier = this.gaps.get(gap.item);
    const reasons = earlier === undefined ? [gap.reason] : [...new Set([...earlier.reason.split('; '), gap.reason])];
    this.gaps.set(gap.item, { item: gap.item, reason: reasons.join('; '), inScope: gap.inScope || (earlier?.inScope ?? false) });
  }

  /** The reported totals added up (the manifest's `apiTotal`), or null when the source reported none. */
  apiTotal(): number | null {
    return this.tallies.length === 0 ? null : this.tallies.reduce((sum, tally) => sum + tally.reported, 0);
  }

  itemGaps(): ItemGap[] {
    return [...this.gaps.values()];
  }

  /**
   * Null when complete; else why the stream is partial. `emitted` are the
   * distinct items (kind and key) emitted (whenever the total was reported,
   * before or after them).
   */
  shortfall(emitted: Iterable<RecordIdentity>): string | null {
    const reasons: string[] = [];
    const received = this.tallies.map(() => 0);
    if (this.tallies.length > 0) {
      for (const record of emitted) {
        this.tallies.forEach((tally, index) => {
          if (tally.counts(record)) received[index]!++;
        });
      }
    }
    for (const [index, tally] of this.tallies.entries()) {
      const excluded = tally.excluded();
      if (!Number.isInteger(excluded) || excluded < 0) throw new TypeError(`the excluded count of ${tally.what} must be a count, got ${String(excluded)}`);
      const total = received[index]! + excluded;
      const left = excluded === 0 ? '' : ` (${excluded} of them received but not kept as records)`;
      if (total !== tally.reported) reasons.push(`received ${total} of ${tally.reported} ${tally.what} the source reports${left}`);
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
