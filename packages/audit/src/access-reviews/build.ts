/**
 * A review's population from the locker: the latest inventory of every
 * stream that reports the system's accounts, one row per active account
 * (an account two streams report, such as a Google admin, is one row), with
 * the person it belongs to (matched as the checks match people: aliases,
 * personnel records, directory accounts) and a suggested action (leaver only
 * while no joiner event since says the person was hired again).
 */
import { hashCanonical, type EvidenceRecord, type RecordData } from '@evidentia/evidence';
import type { Inventory, Locker } from '@evidentia/locker';
import { UsageError } from '../errors.js';
import { accountIdentifiers, PeopleDirectory } from '../checks/people.js';
import { ACTIVE_STATUSES } from '../checks/library/mfa-enabled.js';
import type { ReviewBody, ReviewRow } from './types.js';

type Account = RecordData<'access.account'>;
type Personnel = RecordData<'personnel.event'>;

export interface BuildOptions {
  system: string;
  reviewer: string | null;
  aliases: Record<string, string[]>;
  now: Date;
  /** Days without a sign-in after which an account is suggested as inactive. */
  inactiveDays: number;
  /** System prefixes whose accounts are the people (as accounts-have-owner's directorySystems). */
  directorySystems: readonly string[];
}

const EPOCH = new Date(0);
const DAY_MS = 86_400_000;

/** The latest inventory of each access.account stream, with its records. */
async function latestInventories(locker: Locker, now: Date): Promise<{ inventory: Inventory; records: EvidenceRecord[] }[]> {
  const latest = new Map<string, Inventory>();
  for (const inventory of await locker.inventories({ kind: 'access.account', since: EPOCH, until: now })) {
    const known = latest.get(inventory.stream);
    if (!known || known.observedAt < inventory.observedAt) latest.set(inventory.stream, inventory);
  }
  const result: { inventory: Inventory; records: EvidenceRecord[] }[] = [];
  for (const inventory of latest.values()) {
    const records: EvidenceRecord[] = [];
    for await (const { json } of locker.setRecords([inventory.recordSet])) records.push(JSON.parse(json) as EvidenceRecord);
    result.push({ inventory, records });
  }
  return result;
}

/** The people as the checks know them, and the ones a personnel record says have left (and no later joiner event says came back). */
async function peopleOf(locker: Locker, options: BuildOptions, inventories: { records: EvidenceRecord[] }[]): Promise<{ people: PeopleDirectory; leavers: Set<string> }> {
  const people = new PeopleDirectory(options.aliases);
  const told: { type: 'leaver' | 'joiner'; ids: (string | null)[]; at: number }[] = [];
  for await (const record of locker.periodEvents({ kind: 'personnel.event', since: EPOCH, until: options.now })) {
    const event = record.data as Personnel;
    const ids = [event.person.email, event.person.id];
    people.register(ids);
    const at = Date.parse(event.effectiveAt ?? record.occurredAt ?? '');
    const past = event.effectiveAt === null || at <= options.now.getTime();
    if ((event.type === 'leaver' || event.type === 'joiner') && past) told.push({ type: event.type, ids, at: Number.isNaN(at) ? 0 : at });
  }
  const isDirectory = (system: string) => options.directorySystems.includes(system.split(':')[0] ?? '');
  for (const { records } of inventories) for (const record of records) if (isDirectory(record.system)) people.register(accountIdentifiers(record.data as Account));
  // Matched once every tie is known: a leaver's HR email reaches their accounts through aliases and directory accounts.
  // A person hired again after leaving holds the account as the new employment's: not a leaver's access.
  const lastLeft = new Map<string, number>();
  const lastJoined = new Map<string, number>();
  for (const { type, ids, at } of told) {
    const person = people.personOf(ids);
    const latest = type === 'leaver' ? lastLeft : lastJoined;
    if (person !== null && at >= (latest.get(person) ?? -Infinity)) latest.set(person, at);
  }
  return { people, leavers: new Set([...lastLeft].filter(([person, at]) => (lastJoined.get(person) ?? -Infinity) <= at).map(([person]) => person)) };
}

function suggestion(account: Account, person: string | null, left: boolean, observedAt: string, inactiveDays: number): Pick<ReviewRow, 'suggestedAction' | 'suggestionReason'> {
  if (left) return { suggestedAction: 'leaver', suggestionReason: `${person ?? 'its owner'} has left (personnel record)` };
  if (person === null) return { suggestedAction: 'no owner', suggestionReason: `matches no known person by ${accountIdentifiers(account).join(', ')}` };
  const last = account.lastLoginAt ? Date.parse(account.lastLoginAt) : null;
  if (last !== null && Date.parse(observedAt) - last > inactiveDays * DAY_MS) return { suggestedAction: 'inactive', suggestionReason: `no sign-in for more than ${inactiveDays} days before the inventory` };
  if (account.privileged) return { suggestedAction: 'privileged', suggestionReason: `privileged${account.roles.length > 0 ? `: ${account.roles.join(', ')}` : ''}` };
  return { suggestedAction: 'keep', suggestionReason: '' };
}

/** Several streams' versions of one account as one: roles joined, privileged if any says so, the latest sign-in. */
function merged(parts: Account[]): Account {
  const last = parts.map((part) => part.lastLoginAt).filter((at): at is string => at !== null).sort().at(-1) ?? null;
  const sourceId = parts.find((part) => part.sourceId !== undefined)?.sourceId;
  return { ...parts[0]!, roles: [...new Set(parts.flatMap((part) => part.roles))].sort(), privileged: parts.some((part) => part.privileged), lastLoginAt: last, ...(sourceId !== undefined ? { sourceId } : {}) };
}

/** A review without rows would decide nothing yet read as complete: refused, saying what the inventory holds instead. */
function nothingToReview(system: string, inventories: { records: EvidenceRecord[] }[]): UsageError {
  const statuses = new Map<string, number>();
  for (const { records } of inventories) {
    for (const record of records) {
      if (record.system !== system) continue;
      const { status } = record.data as Account;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }
  const held = [...statuses].map(([status, count]) => `${count} ${status}`).join(', ');
  return new UsageError(`--system ${system}: nothing to review: its latest account inventory holds no active or invited account, only ${held}, so a review would decide nothing`);
}

/** The review body for the system: refused in one line when no inventory reports it (naming the systems that have one) or it has no active or invited account. */
export async function buildReview(locker: Locker, options: BuildOptions): Promise<ReviewBody> {
  const inventories = await latestInventories(locker, options.now);
  const mine = inventories.filter(({ records }) => records.some((record) => record.system === options.system));
  if (mine.length === 0) {
    const known = [...new Set(inventories.flatMap(({ records }) => records.map((record) => record.system)))].sort();
    throw new UsageError(`--system ${options.system}: no account inventory of that system in the locker; ${known.length > 0 ? `systems with one: ${known.join(', ')}` : 'it holds no account inventory'}`);
  }
  const { people, leavers } = await peopleOf(locker, options, inventories);
  const accounts = new Map<string, { parts: Account[]; observedAt: string }>();
  for (const { inventory, records } of mine) {
    for (const record of records) {
      const account = record.data as Account;
      if (record.system !== options.system || !ACTIVE_STATUSES.includes(account.status)) continue;
      const key = account.accountId.toLowerCase();
      const known = accounts.get(key);
      accounts.set(key, { parts: [...(known?.parts ?? []), account], observedAt: known && known.observedAt > inventory.observedAt ? known.observedAt : inventory.observedAt });
    }
  }
  if (accounts.size === 0) throw nothingToReview(options.system, mine);
  const rows: ReviewRow[] = [...accounts.values()]
    .map(({ parts, observedAt }) => ({ account: merged(parts), observedAt }))
    .sort((a, b) => a.account.accountId.localeCompare(b.account.accountId))
    .map(({ account, observedAt }, index) => {
      const ids = accountIdentifiers(account);
      const person = people.personOf(ids);
      return {
        row: index + 1,
        account: account.accountId,
        email: account.email ?? '',
        displayName: account.displayName ?? '',
        accountType: account.accountType,
        status: account.status,
        person: person ?? '',
        roles: account.roles.join(', '),
        privileged: account.privileged ? 'yes' : 'no',
        mfa: account.mfa,
        lastActivity: account.lastLoginAt ? new Date(account.lastLoginAt).toISOString() : '',
        ...suggestion(account, person, person !== null && leavers.has(person), observedAt, options.inactiveDays),
        ...(account.sourceId !== undefined ? { sourceId: account.sourceId } : {}),
      };
    });
  const sources = mine.map(({ inventory }) => ({ stream: inventory.stream, runId: inventory.runId, observedAt: inventory.observedAt, recordSet: inventory.recordSet }));
  return { sources, population: hashCanonical(rows).hash, reviewer: options.reviewer, rows };
}
