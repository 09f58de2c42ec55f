/**
 * The coverage calendar: the coverage ledger (the one `evidentia coverage`
 * computes; nothing here judges coverage anew) laid out a cell per day of the
 * period in the audit zone, per stream and per evidence request. A day is a
 * gap when an open gap of the ledger overlaps it (a declared gap when every
 * cause there is the source's declared gap), a closed gap when only a gap
 * later closed does, else collected (a complete collection started that day)
 * or covered (no gap, no collection that day). Days after what the ledger
 * could judge are said to be not judged yet. Pure.
 */
import type { GapCause, Ledger, OccurrenceStatus, RequestLedger, StreamCoverage } from '@evidentia/audit';
import { TimeZone } from '@evidentia/time';

const DAY_MS = 86_400_000;

export type DayState = 'collected' | 'covered' | 'gap' | 'declared-gap' | 'closed-gap' | 'not-judged';

export interface StreamDay {
  day: string;
  state: DayState;
  /** Complete collections of the stream started that day. */
  collections: number;
  /** The causes of the gaps over that day (open gaps, else the closed ones), each once: those that hold that day, else all the gaps' causes. */
  causes: GapCause[];
  /** For a closed gap: which run closed it. */
  closedBy: string | null;
}

export interface StreamCalendar {
  coverage: StreamCoverage;
  days: StreamDay[];
}

export interface RequestDay {
  day: string;
  /** The status of each occurrence whose window holds the day (none: the request expects nothing then). */
  statuses: OccurrenceStatus[];
  labels: string[];
}

export interface RequestCalendar {
  id: string;
  title: string;
  days: RequestDay[];
}

/** A day of the audit zone: its name and where it starts and ends. */
interface ZoneDay {
  day: string;
  start: number;
  end: number;
}

/** Every day of the audit zone the period touches. */
export function periodDays(since: string, until: string, timezone: string): ZoneDay[] {
  const zone = TimeZone.of(timezone);
  const first = Math.floor(zone.wallOf(Date.parse(since)) / DAY_MS) * DAY_MS;
  const last = Math.floor(zone.wallOf(Date.parse(until) - 1) / DAY_MS) * DAY_MS;
  const days: ZoneDay[] = [];
  for (let wall = first; wall <= last; wall += DAY_MS) days.push({ day: new Date(wall).toISOString().slice(0, 10), start: zone.instantOf(wall), end: zone.instantOf(wall + DAY_MS) });
  return days;
}

const overlaps = (item: { since: string; until: string }, day: ZoneDay) => {
  const since = Date.parse(item.since);
  const until = Date.parse(item.until);
  // A cause known at one instant (a single failed attempt) holds the day it falls on.
  return since === until ? since >= day.start && since < day.end : since < day.end && until > day.start;
};

function streamDay(stream: StreamCoverage, day: ZoneDay, collected: readonly number[], evaluatedUntil: number): StreamDay {
  const collections = collected.filter((time) => time >= day.start && time < day.end).length;
  const base = { day: day.day, collections, causes: [], closedBy: null };
  if (day.start >= evaluatedUntil) return { ...base, state: 'not-judged' };
  const over = stream.gaps.filter((gap) => overlaps(gap, day));
  const open = over.filter((gap) => gap.status === 'open');
  const shown = open.length > 0 ? open : over;
  // The causes over that day; a failure before it explains the rest of its gap too (the stream stayed uncovered since).
  const during = shown.flatMap((gap) => gap.causes.filter((cause) => overlaps(cause, day)));
  const causes = [...new Map((during.length > 0 ? during : shown.flatMap((gap) => gap.causes)).map((cause) => [`${cause.kind}\n${cause.detail}`, cause])).values()];
  if (open.length > 0) return { ...base, causes, state: causes.length > 0 && causes.every((cause) => cause.kind === 'retention') ? 'declared-gap' : 'gap' };
  if (over.length > 0) return { ...base, causes, state: 'closed-gap', closedBy: over.map((gap) => gap.closedBy ?? 'a later run').join(', ') };
  return { ...base, state: collections > 0 ? 'collected' : 'covered' };
}

/** Each stream of the ledger a day at a time; `collected` holds each stream's complete collections (start times). */
export function streamCalendars(ledger: Ledger, collected: ReadonlyMap<string, readonly number[]>, timezone: string): StreamCalendar[] {
  const days = periodDays(ledger.period.since, ledger.period.until, timezone);
  const evaluatedUntil = Date.parse(ledger.evaluatedUntil);
  return ledger.streams.map((coverage) => ({ coverage, days: days.map((day) => streamDay(coverage, day, collected.get(coverage.stream) ?? [], evaluatedUntil)) }));
}

/** Each configured request a day at a time (its ledger's days are already days of the audit zone). */
export function requestCalendars(ledger: RequestLedger, timezone: string, since: string, until: string): RequestCalendar[] {
  const days = periodDays(since, until, timezone);
  return ledger.requests.map((request) => ({
    id: request.id,
    title: request.title,
    days: days.map(({ day }) => {
      const held = request.occurrences.filter((occurrence) => occurrence.from <= day && day <= occurrence.to);
      return { day, statuses: held.map((occurrence) => occurrence.status), labels: held.map((occurrence) => `${occurrence.label}: ${occurrence.status}${occurrence.cause ? ` (${occurrence.cause})` : ''}`) };
    }),
  }));
}
