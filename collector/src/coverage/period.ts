/**
 * Reading `--period 2026-01-01..2026-06-30`: both dates inclusive, as an
 * audit period is written, read as local dates in the daemon's time zone
 * (the zone the schedules run in), so the period ends at midnight after its
 * last day there.
 */
import { UsageError } from '../errors.js';
import { TimeZone } from '../daemon/zone.js';
import type { Period } from './types.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function localMidnight(text: string, zone: TimeZone, extraDays: number): Date | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wall = Date.UTC(year, month - 1, day + extraDays);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(zone.instantOf(wall));
}

export function parsePeriod(text: string, timezone: string): Period {
  const [first = '', last = '', extra] = text.split('..');
  const zone = TimeZone.of(timezone);
  const since = localMidnight(first.trim(), zone, 0);
  const until = localMidnight(last.trim(), zone, 1);
  if (extra !== undefined || !since || !until) throw new UsageError(`--period expects two dates such as 2026-01-01..2026-06-30 (both inclusive), got "${text}"`);
  if (until <= since) throw new UsageError(`--period ${text}: the last day is before the first`);
  return { since, until };
}

/** The last `days` days up to `now` (status and the daemon's gap watch). */
export function recentPeriod(now: Date, days: number): Period {
  return { since: new Date(now.getTime() - days * 86_400_000), until: now };
}
