/**
 * The request ledger from a locker: its document entries and the personnel
 * events of the period (for per-event requests), read in the audit zone; one
 * person's event told by several systems (linked by an identifier or the
 * configured aliases), on one day or on days up to a month apart with no other
 * event of the person between, is one occurrence. Events told only before the
 * period are read too, as a person's previous events: a re-hire in the period
 * is not answered by the check of a hire before it.
 */
import { type DocumentEntry, type Locker, LockerObjectError } from '@evidentia/locker';
import { TimeZone } from '@evidentia/time';
import type { AuditConfig } from '../audit-config.js';
import { auditTimezone } from '../audit-time.js';
import type { Period } from '../coverage/types.js';
import { computeRequestLedger, type RequestEventItem } from './ledger.js';
import type { EvidenceRequest, RequestLedger } from './types.js';

/** The day an instant falls on in the zone. */
function dayIn(zone: TimeZone, instant: number): string {
  return new Date(zone.wallOf(instant)).toISOString().slice(0, 10);
}

interface PersonnelData {
  type?: string;
  effectiveAt?: string | null;
  person?: { email?: string | null; id?: string | null; name?: string | null };
}

/** Every identifier to the whole group of one person's identifiers (people.aliases: primary email → other emails or logins). */
function aliasGroups(aliases: Record<string, string[]>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [primary, others] of Object.entries(aliases)) {
    const group = [primary, ...others].map((id) => id.toLowerCase());
    for (const id of group) groups.set(id, group);
  }
  return groups;
}

/** One system's telling of a personnel event, with every identifier of its person, and those that are not a name. */
interface Told extends RequestEventItem {
  system: string;
  /** Email, id and their aliases: a name alone may be two people's. */
  ids: string[];
  /** Read from the period (not from before it, where only a person's previous events are looked for). */
  inPeriod: boolean;
}

/** Days apart within which two systems' tellings of one person's event of one type are the same event (an account made a week before the HR start day). */
const TOLD_APART_DAYS = 31;

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/**
 * Whether `told` is another telling of `event` (told first by `systems`): same type and a shared identifier, on the
 * same day, or by another system within TOLD_APART_DAYS, sharing an email or id (not a name only), with none of the
 * person's other events between them (a leaver between two joiners makes the second a re-hire). One system telling
 * the event twice is two events.
 */
function sameEvent(event: Merged, told: Told, all: readonly Told[]): boolean {
  if (event.type !== told.type || !event.person.some((id) => told.person.includes(id))) return false;
  if (event.day === told.day) return true;
  if (event.systems.has(told.system) || daysBetween(event.day, told.day) > TOLD_APART_DAYS || !event.ids.some((id) => told.ids.includes(id))) return false;
  const person = [...event.person, ...told.person];
  return !all.some((other) => other.type !== told.type && other.day >= event.day && other.day <= told.day && other.person.some((id) => person.includes(id)));
}

/** One event as the tellings merged so far tell it; `periodDay` is its earliest telling read from the period, null when none was. */
type Merged = Omit<Told, 'system' | 'inPeriod'> & { systems: Set<string>; periodDay: string | null };

/**
 * The personnel events of the period, and those told only before it (marked earlier): a person hired before the
 * period and again in it has a previous event, so the background check of the first hire does not answer the second.
 */
async function personnelEvents(locker: Locker, period: Period, zone: TimeZone, aliases: Record<string, string[]>): Promise<RequestEventItem[]> {
  const groups = aliasGroups(aliases);
  const tellings: Told[] = [];
  const read = async (since: Date, until: Date, inPeriod: boolean) => {
    for await (const record of locker.periodEvents({ since, until, kind: 'personnel.event' })) {
      const data = record.data as PersonnelData;
      const at = data.effectiveAt ?? record.occurredAt;
      if (!data.type || !at) continue;
      const identified = (values: (string | null | undefined)[]) => [...new Set(values.filter((value): value is string => Boolean(value)).flatMap((value) => [value.toLowerCase(), ...(groups.get(value.toLowerCase()) ?? [])]))];
      tellings.push({ type: data.type, day: dayIn(zone, Date.parse(at)), person: identified([data.person?.email, data.person?.id, data.person?.name]), ids: identified([data.person?.email, data.person?.id]), system: record.system, inPeriod });
    }
  };
  await read(new Date(0), period.since, false);
  await read(period.since, period.until, true);
  tellings.sort((a, b) => a.day.localeCompare(b.day) || a.system.localeCompare(b.system));
  // The same joiner told by the HR ticket and the directory is one occurrence, dated by the earliest telling: counted
  // twice, the later one was a second hire whose document was never added, overdue.
  const events: Merged[] = [];
  for (const told of tellings) {
    const same = events.find((event) => sameEvent(event, told, tellings));
    if (same) {
      same.person.push(...told.person.filter((id) => !same.person.includes(id)));
      same.ids.push(...told.ids.filter((id) => !same.ids.includes(id)));
      same.systems.add(told.system);
      if (told.inPeriod && (same.periodDay === null || told.day < same.periodDay)) same.periodDay = told.day;
    } else events.push({ type: told.type, day: told.day, person: [...told.person], ids: [...told.ids], systems: new Set([told.system]), periodDay: told.inPeriod ? told.day : null });
  }
  // An event the period tells is dated as the period tells it (its tellings before the period only join it).
  const items = events.map(({ type, day, person, ids, periodDay }): RequestEventItem => (periodDay !== null ? { type, day: periodDay, person, ids } : { type, day, person, ids, earlier: true }));
  return items.sort((a, b) => a.day.localeCompare(b.day) || (a.person[0] ?? '').localeCompare(b.person[0] ?? ''));
}

/**
 * Why a current document of one of the requests cannot be counted, by its sequence: its file missing from the
 * locker or altered there (read and hashed again, as verify does). Its signed entry alone shows nothing.
 */
async function unusableFiles(locker: Locker, entries: DocumentEntry[], requests: readonly EvidenceRequest[]): Promise<Map<number, string>> {
  const asked = new Set(requests.map((request) => request.id));
  const unusable = new Map<number, string>();
  for (const entry of entries) {
    if (entry.supersededBy !== null || !asked.has(entry.request)) continue;
    try {
      await locker.readObject(entry.content);
    } catch (error) {
      if (!(error instanceof LockerObjectError)) throw error;
      unusable.set(entry.sequence, `${entry.fileName}: ${error.message.replace(/; run `evidentia verify`$/, '')}`);
    }
  }
  return unusable;
}

export interface RequestLedgerOptions {
  timezone: string;
  /** people.aliases of the config: one person's emails and logins across systems. */
  aliases: Record<string, string[]>;
  /** The configured streams collecting personnel events (`instance/stream`): without one, a per-event request cannot be judged. */
  personnelStreams: readonly string[];
}

export async function requestLedgerFromLocker(locker: Locker, requests: readonly EvidenceRequest[], period: Period, now: Date, options: RequestLedgerOptions): Promise<RequestLedger> {
  const zone = TimeZone.of(options.timezone);
  const needsEvents = requests.some((request) => request.frequency === 'per-event');
  const entries = await locker.documents();
  const unusable = await unusableFiles(locker, entries, requests);
  const documents = entries.map((entry) => ({ ...entry, addedDay: dayIn(zone, Date.parse(entry.addedAt)), unusable: unusable.get(entry.sequence) ?? null }));
  return computeRequestLedger({
    requests,
    documents,
    events: needsEvents ? await personnelEvents(locker, period, zone, options.aliases) : [],
    first: dayIn(zone, period.since.getTime()),
    last: dayIn(zone, period.until.getTime() - 1),
    today: dayIn(zone, now.getTime()),
    personnelStreams: options.personnelStreams,
  });
}

/** The configured streams that collect personnel events, which per-event requests follow. */
export function personnelStreams(config: Pick<AuditConfig, 'instances'>): string[] {
  return config.instances.flatMap((instance) => instance.streams.filter((stream) => stream.definition.kind === 'personnel.event').map((stream) => `${instance.id}/${stream.name}`));
}

/** The request ledger of the configured requests, read in the audit zone; null when none is configured. */
export async function configuredRequestLedger(locker: Locker, config: Pick<AuditConfig, 'requests' | 'timezone' | 'people' | 'instances'>, period: Period, now: Date): Promise<RequestLedger | null> {
  if (!config.requests?.length) return null;
  return requestLedgerFromLocker(locker, config.requests, period, now, { timezone: auditTimezone(config), aliases: config.people.aliases, personnelStreams: personnelStreams(config) });
}
