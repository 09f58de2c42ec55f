/**
 * Audit time for the commands: the configured zone (one accessor, default
 * UTC) and periods and backfill ranges read in it by the one grammar of
 * @evidentia/time. A bad period is a usage error (exit 2) before any work;
 * a period whose end was cut to now says so on stderr, so the user sees both
 * what they asked for and what was judged.
 */
import { parseMoment, parsePeriod, parseRange, PeriodError, type Period } from '@evidentia/time';
import type { AuditConfig } from './audit-config.js';
import { UsageError } from './errors.js';

/** The audit time zone: the config's `timezone` (or its alias `daemon.timezone`), else UTC. */
export function auditTimezone(config: Pick<AuditConfig, 'timezone'> | null | undefined): string {
  return config?.timezone ?? 'UTC';
}

/** Today's end is at most 25 hours away (the day clocks go back). */
const MORE_THAN_TODAY_MS = 25 * 3_600_000;

function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PeriodError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `--period A..B` in the config's zone (UTC without a config). A period
 * ending today is the everyday case and is cut to now silently; an end
 * beyond today gets a note, since what is judged is not what was typed.
 */
export function readPeriod(text: string, config: Pick<AuditConfig, 'timezone'> | null | undefined, now = new Date()): Period {
  const period = asUsage(() => parsePeriod(text, { timezone: auditTimezone(config), now }));
  if (period.requestedUntil && period.requestedUntil.getTime() - now.getTime() > MORE_THAN_TODAY_MS) {
    process.stderr.write(`note: --period ${period.requested} ends after now; evidence is judged up to ${period.until.toISOString()}\n`);
  }
  return period;
}

/** `--since`/`--until` of a backfill, by the same rules: `--until 2026-06-30` includes 30 June in the zone. */
export function readRange(flags: { since?: string; until?: string }, config: Pick<AuditConfig, 'timezone'> | null | undefined, now = new Date()): { since?: Date; until?: Date } {
  return asUsage(() => parseRange({ since: flags.since, until: flags.until }, { timezone: auditTimezone(config), now }));
}

/** `--at` (one moment) in the config's zone: a date stands for the end of that day there. */
export function readMoment(text: string, option: string, config: Pick<AuditConfig, 'timezone'> | null | undefined): Date {
  return asUsage(() => parseMoment(text, { timezone: auditTimezone(config), option }));
}
