/**
 * The audit period as checks, populations and exports see it (read by the
 * one grammar in @evidentia/time), how they write it down, and the time
 * arithmetic the checks share.
 */
import type { Period } from '@evidentia/time';

export type { Period };

/** The period as the results, populations and bundle write it: ISO times, end exclusive, and the text as written when its end was cut to now. */
export function describePeriod(period: Period): { since: string; until: string; requested?: string } {
  return { since: period.since.toISOString(), until: period.until.toISOString(), ...(period.requested ? { requested: period.requested } : {}) };
}

/** Milliseconds of an ISO time, or null for null/invalid input. */
export function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
