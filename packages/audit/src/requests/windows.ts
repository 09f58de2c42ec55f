/**
 * Calendar arithmetic on days written YYYY-MM-DD (already in the audit zone):
 * the windows of a periodic request, counted from the period's first day.
 */
import type { Frequency } from './types.js';

const DAY_MS = 86_400_000;
const MONTHS: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

/** The days written YYYY-MM-DD: compared as text, so a day past them (`+010000-01-13`) would sort before every other. */
const FIRST_DAY = Date.parse('0000-01-01T00:00:00Z');
const LAST_DAY = Date.parse('9999-12-31T00:00:00Z');

/** The day `days` later (earlier when negative), held to 0000-01-01..9999-12-31: a deadline past 9999-12-31 is that day, never a crash or a day read as past. */
export function addDays(day: string, days: number): string {
  const at = Date.parse(`${day}T00:00:00Z`) + days * DAY_MS;
  return new Date(Math.min(LAST_DAY, Math.max(FIRST_DAY, at))).toISOString().slice(0, 10);
}

/** The same day of the month `months` later, or that month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb). */
function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastOfMonth = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastOfMonth));
  return target.toISOString().slice(0, 10);
}

/** Consecutive windows of the frequency from `first`; the last one ends on `last` (it may be shorter). */
export function periodicWindows(frequency: Frequency, first: string, last: string): Array<{ from: string; to: string }> {
  const months = MONTHS[frequency];
  if (!months) return [{ from: first, to: last }];
  const windows: Array<{ from: string; to: string }> = [];
  for (let index = 0, from = first; from <= last; index++) {
    const next = addMonths(first, months * (index + 1));
    const to = addDays(next, -1) < last ? addDays(next, -1) : last;
    windows.push({ from, to });
    from = next;
  }
  return windows;
}
