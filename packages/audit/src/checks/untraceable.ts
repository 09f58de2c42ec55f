/**
 * Accounts a leaver cannot be traced to: active personal accounts that carry
 * no email, no SSO identity and no configured alias (an IAM user named
 * `jdoe` without an owner tag). A leaver with "no account" in a system that
 * holds such accounts may still have one there, so the leaver check says so
 * beside its pass instead of letting the gap pass in silence. Counted per
 * system with a few names, so memory stays flat however many there are.
 */
import type { RecordData } from '@evidentia/evidence';
import type { InventoryItem } from './define.js';
import { accountIdentifiers, type PeopleDirectory } from './people.js';
import { ACTIVE_STATUSES } from './library/mfa-enabled.js';

type Account = RecordData<'access.account'>;

/** Account types that belong to no person, so no leaver can hide behind them. */
const NON_PERSONAL = ['bot', 'service', 'root'];
const SHOWN = 5;

export class Untraceable {
  private readonly bySystem = new Map<string, { count: number; names: string[] }>();

  note(item: InventoryItem, people: PeopleDirectory): void {
    const latest = item.seen.at(-1)!.record.data as Account;
    if (!ACTIVE_STATUSES.includes(latest.status) || NON_PERSONAL.includes(latest.accountType)) return;
    if (latest.email || latest.ssoIdentity || people.personOf(accountIdentifiers(latest)) !== null) return;
    const known = this.bySystem.get(item.system) ?? { count: 0, names: [] };
    known.count++;
    if (known.names.length < SHOWN) known.names.push(latest.accountId);
    this.bySystem.set(item.system, known);
  }

  /** "; 2 active accounts there carry no email, SSO identity or alias (jdoe, ops1): …", or '' when none. */
  describe(system: string): string {
    const found = this.bySystem.get(system);
    if (!found) return '';
    const names = `${found.names.join(', ')}${found.count > found.names.length ? ', …' : ''}`;
    return `; ${found.count} active account(s) there carry no email, SSO identity or alias (${names}), so an account of theirs among them would not be found (add an owner tag or people.aliases)`;
  }
}
