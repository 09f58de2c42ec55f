/**
 * The request ledger from a locker: its document entries and the personnel
 * events of the period (for per-event requests), read in the audit zone; one
 * person's events from several systems, linked by an identifier or the
 * configured aliases, are one occurrence.
 */
import type { Locker } from '@evidentia/locker';
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

async function personnelEvents(locker: Locker, period: Period, zone: TimeZone, aliases: Record<string, string[]>): Promise<RequestEventItem[]> {
  const groups = aliasGroups(aliases);
  const events: RequestEventItem[] = [];
  for await (const record of locker.periodEvents({ since: period.since, until: period.until, kind: 'personnel.event' })) {
    const data = record.data as PersonnelData;
    const at = data.effectiveAt ?? record.occurredAt;
    if (!data.type || !at) continue;
    const named = [data.person?.email, data.person?.id, data.person?.name].filter((value): value is string => Boolean(value)).map((value) => value.toLowerCase());
    const person = [...new Set(named.flatMap((id) => [id, ...(groups.get(id) ?? [])]))];
    const day = dayIn(zone, Date.parse(at));
    // The same joiner told by the HR ticket and the directory is one occurrence: same type and day, a shared identifier.
    const same = events.find((event) => event.type === data.type && event.day === day && event.person.some((id) => person.includes(id)));
    if (same) same.person.push(...person.filter((id) => !same.person.includes(id)));
    else events.push({ type: data.type, day, person });
  }
  return events.sort((a, b) => a.day.localeCompare(b.day) || (a.person[0] ?? '').localeCompare(b.person[0] ?? ''));
}

export interface RequestLedgerOptions {
  timezone: string;
  /** people.aliases of the config: one person's emails and logins across systems. */
  aliases: Record<string, string[]>;
}

export async function requestLedgerFromLocker(locker: Locker, requests: readonly EvidenceRequest[], period: Period, now: Date, options: RequestLedgerOptions): Promise<RequestLedger> {
  const zone = TimeZone.of(options.timezone);
  const needsEvents = requests.some((request) => request.frequency === 'per-event');
  const documents = (await locker.documents()).map((entry) => ({ ...entry, addedDay: dayIn(zone, Date.parse(entry.addedAt)) }));
  return computeRequestLedger({
    requests,
    documents,
    events: needsEvents ? await personnelEvents(locker, period, zone, options.aliases) : [],
    first: dayIn(zone, period.since.getTime()),
    last: dayIn(zone, period.until.getTime() - 1),
    today: dayIn(zone, now.getTime()),
  });
}

/** The request ledger of the configured requests, read in the audit zone; null when none is configured. */
export async function configuredRequestLedger(locker: Locker, config: Pick<AuditConfig, 'requests' | 'timezone' | 'people'>, period: Period, now: Date): Promise<RequestLedger | null> {
  if (!config.requests?.length) return null;
  return requestLedgerFromLocker(locker, config.requests, period, now, { timezone: auditTimezone(config), aliases: config.people.aliases });
}
