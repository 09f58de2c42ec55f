/**
 * The audit period, as `--period A..B` on the command line. A date-only end
 * counts the whole day (an auditor's "1 January to 31 December" includes the
 * 31st); a date-time end is exclusive. Dates are read at midnight in the
 * daemon's time zone when a configuration gives one (as `coverage` reads
 * them), else in UTC; a date-time without an offset is UTC.
 */
import { TimeZone } from '../daemon/zone.js';
import { UsageError } from '../errors.js';

export interface Period {
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function parseEnd(text: string, role: 'start' | 'end', zone: TimeZone): Date {
  const dateOnly = DATE_ONLY.test(text);
  const time = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time.getTime()) || (dateOnly && time.toISOString().slice(0, 10) !== text)) {
    throw new UsageError(`--period: "${text}" is not a date such as 2026-01-01 or 2026-01-01T12:00:00Z`);
  }
  if (!dateOnly) return time;
  return new Date(zone.instantOf(time.getTime() + (role === 'end' ? DAY_MS : 0)));
}

/** `2026-01-01..2026-06-30` → 1 January 00:00 up to (not including) 1 July 00:00, in `timezone` (default UTC). */
export function parsePeriod(text: string, timezone = 'UTC'): Period {
  const parts = text.split('..');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--period expects A..B, e.g. 2026-01-01..2026-06-30, got "${text}"`);
  let zone: TimeZone;
  try {
    zone = TimeZone.of(timezone);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const period = { since: parseEnd(parts[0].trim(), 'start', zone), until: parseEnd(parts[1].trim(), 'end', zone) };
  if (period.since >= period.until) throw new UsageError(`--period: the start must be before the end, got "${text}"`);
  return period;
}

/** The period as the report and exports show it: ISO times, end exclusive. */
export function describePeriod(period: Period): { since: string; until: string } {
  return { since: period.since.toISOString(), until: period.until.toISOString() };
}

/** Milliseconds of an ISO time, or null for null/invalid input. */
export function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export const HOUR_MS = 3_600_000;
export { DAY_MS };
