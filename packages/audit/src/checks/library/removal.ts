/**
 * When did a person's access to one system end, as far as the inventories
 * show? Inventories are snapshots: a removal is only known to lie between
 * the last inventory that still shows an active account and the first that
 * does not. The verdict is a pass when that first inventory is within the
 * deadline, an exception when an inventory after the deadline still shows an
 * active account, and not assessable when the deadline falls between two
 * inventories or no inventory after the effective date exists yet.
 */
import type { RecordData } from '@evidentia/evidence';
import type { Finding, InventoryItem } from '../define.js';
import { HOUR_MS, timeOf } from '../period.js';
import { ACTIVE_STATUSES } from './mfa-enabled.js';

type Account = RecordData<'access.account'>;

export interface AccountTimeline {
  /** When the system's inventories were taken, oldest first. */
  inventoryTimes: readonly string[];
  /** The person's accounts in the system. */
  accounts: InventoryItem[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Active account ids at each inventory time. */
function activeAt(timeline: AccountTimeline): { at: string; ms: number; active: string[] }[] {
  return timeline.inventoryTimes.map((at) => {
    const active = timeline.accounts.flatMap((account) =>
      account.seen.filter((seen) => seen.at === at && ACTIVE_STATUSES.includes((seen.record.data as Account).status)).map((seen) => (seen.record.data as Account).accountId),
    );
    return { at, ms: timeOf(at) ?? 0, active };
  });
}

/** The system's own record of removing the access (a directory suspension): when, and what said so. */
export interface Removal {
  at: number;
  what: string;
}

export function judgeRemoval(timeline: AccountTimeline, effectiveAt: number, slaHours: number, removal?: Removal): Pick<Finding, 'status' | 'reason'> {
  const deadline = effectiveAt + slaHours * HOUR_MS;
  const left = `left on ${iso(effectiveAt)}, deadline ${iso(deadline)}`;
  const inventories = activeAt(timeline);
  const late = inventories.find((inventory) => inventory.ms >= deadline && inventory.active.length > 0);
  if (late) return { status: 'exception', reason: `${left}; account ${late.active.join(', ')} still active in the inventory of ${late.at}` };
  const inEffect = inventories.filter((inventory) => inventory.ms <= effectiveAt).at(-1);
  const after = inventories.filter((inventory) => inventory.ms > effectiveAt);
  if (inEffect && inEffect.active.length === 0 && after.every((inventory) => inventory.active.length === 0)) {
    return { status: 'pass', reason: `${left}; no active account already in the inventory of ${inEffect.at}` };
  }
  if (after.length === 0) return { status: 'not-assessable', reason: `${left}; no inventory of the system after the effective date yet` };
  const gone = after.find((inventory) => inventory.active.length === 0);
  if (!gone) return { status: 'not-assessable', reason: `${left}; still active in the last inventory (${after.at(-1)!.at}), before the deadline; no later inventory yet` };
  if (gone.ms <= deadline) return { status: 'pass', reason: `${left}; no active account in the inventory of ${gone.at}` };
  const lastActive = inventories.filter((inventory) => inventory.ms < gone.ms && inventory.active.length > 0).at(-1);
  // The system's own event falls between the two inventories: it dates the removal the snapshots cannot.
  if (removal && removal.at > (lastActive?.ms ?? effectiveAt) && removal.at <= gone.ms) {
    const dated = `${removal.what} at ${iso(removal.at)}, between the inventories of ${lastActive?.at ?? 'the effective date'} and ${gone.at}`;
    return removal.at <= deadline ? { status: 'pass', reason: `${left}; removed by ${dated}` } : { status: 'exception', reason: `${left}; removed only by ${dated}, after the deadline` };
  }
  return {
    status: 'not-assessable',
    reason: `${left}; removed between the inventories of ${lastActive?.at ?? 'the effective date'} and ${gone.at}, which do not show on which side of the deadline (collect account inventories more often or set slaHours to match the policy)`,
  };
}
