/** Wording shared by the inventory checks: when something was observed, and the finding for a period with no inventory at all. */
import type { Finding } from '../define.js';
import type { Period } from '../period.js';

/** "in all 3 inventories from A to B" / "in the inventory of A". */
export function observedSpan(times: string[]): string {
  if (times.length === 1) return `in the inventory of ${times[0]}`;
  return `in all ${times.length} inventories from ${times[0]} to ${times.at(-1)}`;
}

/** "in 2 of 5 inventories, first at A" / "in the inventory of A". */
export function when(failing: string[], of: number): string {
  if (of === 1) return `in the inventory of ${failing[0]}`;
  return `in ${failing.length} of ${of} inventories, first at ${failing[0]}${failing.length > 1 ? `, last at ${failing.at(-1)}` : ''}`;
}

/** Without any inventory in effect during the period, nothing can be judged: said once, not hidden. */
export function noInventory(what: string, period: Period): Finding {
  return {
    item: `(all ${what})`,
    system: null,
    status: 'not-assessable',
    reason: `no inventory of ${what} was in effect between ${period.since.toISOString()} and ${period.until.toISOString()}: collect it on a schedule during the period`,
    records: [],
  };
}
