/**
 * The one audit-period grammar, for every command that takes a period or a
 * range: `A..B` with both days inclusive in the audit time zone (a date end
 * runs to the midnight after that day there), a date-time with Z or an offset
 * is an instant, one without is wall time in the zone, and a date-time end is
 * exclusive. Evidence cannot exist after now, so an end later than now is
 * read as now (a period ending today, in 2099 or in 9999 judges the same
 * evidence) and the text as written is kept for display; a start after now
 * is an error.
 */
import { parseBound, type BoundRole } from './bound.js';
import { TimeZone } from './zone.js';

export interface Period {
  /** Inclusive. */
  since: Date;
  /** Exclusive; never later than the moment the period was read. */
  until: Date;
  /** The period as written, kept when its end was later than now and was cut to now. */
  requested?: string;
  /** The end as written, when it was cut to now (may be far in the future). */
  requestedUntil?: Date;
}

export interface ReadOptions {
  /** IANA name of the audit time zone; default UTC. */
  timezone?: string;
  /** The moment "now" is; default the clock. */
  now?: Date;
  /** The option being read, named in error messages; default `--period`. */
  option?: string;
}

/** Bad period or range text; the message names the option and what is wrong. */
export class PeriodError extends Error {
  override name = 'PeriodError';
}

const EXAMPLES = 'a date such as 2026-06-30, a wall time such as 2026-06-30T18:00 or an instant such as 2026-06-30T18:00:00Z';

function zoneOf(options: ReadOptions): TimeZone {
  try {
    return TimeZone.of(options.timezone ?? 'UTC');
  } catch (error) {
    throw new PeriodError(`${options.option ?? '--period'}: ${(error as Error).message}`);
  }
}

function bound(text: string, role: BoundRole, zone: TimeZone, option: string): number {
  const parsed = parseBound(text.trim(), role, zone);
  if (!parsed) throw new PeriodError(`${option}: "${text}" is not ${EXAMPLES}`);
  return parsed.instant;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Check the start against now and cut the end to now; the requested text is kept when the end was cut. */
function settle(since: number, until: number, written: { label: string; text: string }, now: Date): Period {
  if (since >= now.getTime()) throw new PeriodError(`${written.label}: the start ${iso(since)} is not before now (${iso(now.getTime())}); there is no evidence yet`);
  if (since >= until) throw new PeriodError(`${written.label}: the start must be before the end`);
  if (until <= now.getTime()) return { since: new Date(since), until: new Date(until) };
  return { since: new Date(since), until: new Date(now.getTime()), requested: written.text, requestedUntil: new Date(until) };
}

/** `2026-01-01..2026-06-30` → 1 January 00:00 up to (not including) 1 July 00:00 in the zone, cut at now. */
export function parsePeriod(text: string, options: ReadOptions = {}): Period {
  const option = options.option ?? '--period';
  const parts = text.split('..');
  if (parts.length !== 2 || !parts[0]?.trim() || !parts[1]?.trim()) {
    throw new PeriodError(`${option} expects A..B with both days inclusive, e.g. 2026-01-01..2026-06-30, got "${text}"`);
  }
  const zone = zoneOf(options);
  return settle(bound(parts[0], 'start', zone, option), bound(parts[1], 'end', zone, option), { label: `${option} ${text}`, text }, options.now ?? new Date());
}

/**
 * A range from separate options, as `collect --since A --until B` (either may
 * be absent), by the same rules: `--until 2026-06-30` runs to the end of that
 * day in the zone, and an end after now is now.
 */
export function parseRange(range: { since?: string; until?: string }, options: Omit<ReadOptions, 'option'> = {}): { since?: Date; until?: Date } {
  const zone = zoneOf({ ...options, option: range.since !== undefined ? '--since' : '--until' });
  const now = options.now ?? new Date();
  const since = range.since === undefined ? undefined : bound(range.since, 'start', zone, '--since');
  const until = range.until === undefined ? undefined : bound(range.until, 'end', zone, '--until');
  if (since === undefined && until === undefined) return {};
  const label = [range.since === undefined ? '' : `--since ${range.since}`, range.until === undefined ? '' : `--until ${range.until}`].filter(Boolean).join(' ');
  const period = settle(since ?? Number.MIN_SAFE_INTEGER, until ?? now.getTime(), { label, text: label }, now);
  return { ...(since === undefined ? {} : { since: period.since }), ...(until === undefined ? {} : { until: period.until }) };
}

/**
 * One moment "as of", as `records --at`: an instant or a wall time in the zone
 * is that moment; a date is the whole day in the zone, so its moment is the
 * midnight after it (the state observed on 3 March includes 3 March's
 * collections). A moment after now is allowed: nothing is observed later.
 */
export function parseMoment(text: string, options: ReadOptions = {}): Date {
  const option = options.option ?? '--at';
  return new Date(bound(text, 'end', zoneOf({ ...options, option }), option));
}

/** The last `days` days up to `now` (status and the daemon's gap watch). */
export function recentPeriod(now: Date, days: number): Period {
  return { since: new Date(now.getTime() - days * 86_400_000), until: now };
}
