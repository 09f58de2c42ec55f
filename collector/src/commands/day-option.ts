/** Days given on the command line (--effective, --until): a calendar day such as 2026-03-31, and today in the audit zone. */
import { auditTimezone, UsageError } from '@evidentia/audit';
import { TimeZone } from '@evidentia/time';
import type { LoadedConfig } from '../config/load.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `text` when it is a calendar day, else a usage error naming the option. */
export function dayOption(option: string, text: string): string {
  if (!DAY.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)) || new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${option} expects a day such as 2026-03-31, got "${text}"`);
  }
  return text;
}

/** The first day evidence can speak for: every time the locker records is at or after the Unix epoch. */
export const FIRST_DAY = '1970-01-01';

/** The same calendar day a year after `day` (29 February a year on is 1 March). */
export function yearAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

/** Today in the configured audit zone (UTC without a config). */
export function todayIn(config: Pick<LoadedConfig, 'timezone'> | null): string {
  return new Date(TimeZone.of(auditTimezone(config)).wallOf(Date.now())).toISOString().slice(0, 10);
}
