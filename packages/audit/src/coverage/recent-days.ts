/**
 * The window `status` looks at: the last N whole days in the configured time
 * zone, today included, as `coverage --period <first>..<today>` reads them,
 * so the two compute the same ledger over the same days and cannot disagree.
 */
import { TimeZone } from '@evidentia/time';
import type { Period } from './types.js';

const DAY_MS = 86_400_000;

export function recentDays(now: Date, days: number, timezone: string): Period & { first: string; last: string } {
  const zone = TimeZone.of(timezone);
  const today = Math.floor(zone.wallOf(now.getTime()) / DAY_MS) * DAY_MS;
  const first = today - (days - 1) * DAY_MS;
  const day = (wall: number) => new Date(wall).toISOString().slice(0, 10);
  return { since: new Date(zone.instantOf(first)), until: new Date(zone.instantOf(today + DAY_MS)), first: day(first), last: day(today) };
}
