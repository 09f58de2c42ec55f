/**
 * The request ledger from a locker: its document entries and the personnel
 * events of the period (for per-event requests), read in the audit zone.
 */
import type { Locker } from '@evidentia/locker';
import { TimeZone } from '@evidentia/time';
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

async function personnelEvents(locker: Locker, period: Period, zone: TimeZone): Promise<RequestEventItem[]> {
  const events: RequestEventItem[] = [];
  for await (const record of locker.periodEvents({ since: period.since, until: period.until, kind: 'personnel.event' })) {
    const data = record.data as PersonnelData;
    const at = data.effectiveAt ?? record.occurredAt;
    if (!data.type || !at) continue;
    const person = [data.person?.email, data.person?.id, data.person?.name].filter((value): value is string => Boolean(value)).map((value) => value.toLowerCase());
    events.push({ type: data.type, day: dayIn(zone, Date.parse(at)), person });
  }
  return events.sort((a, b) => a.day.localeCompare(b.day) || (a.person[0] ?? '').localeCompare(b.person[0] ?? ''));
}

export async function requestLedgerFromLocker(locker: Locker, requests: readonly EvidenceRequest[], period: Period, now: Date, timezone: string): Promise<RequestLedger> {
  const zone = TimeZone.of(timezone);
  const needsEvents = requests.some((request) => request.frequency === 'per-event');
  const documents = (await locker.documents()).map((entry) => ({ ...entry, addedDay: dayIn(zone, Date.parse(entry.addedAt)) }));
  return computeRequestLedger({
    requests,
    documents,
    events: needsEvents ? await personnelEvents(locker, period, zone) : [],
    first: dayIn(zone, period.since.getTime()),
    last: dayIn(zone, period.until.getTime() - 1),
    today: dayIn(zone, now.getTime()),
  });
}
