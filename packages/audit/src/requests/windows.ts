/**
 * Calendar arithmetic on days written YYYY-MM-DD (already in the audit zone):
 * the windows of a periodic request, counted from the period's first day.
 */
import type { Frequency } from './types.js';

const DAY_MS = 86_400_000;
const MONTHS: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
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
