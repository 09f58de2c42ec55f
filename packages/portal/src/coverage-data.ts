/**
 * What the coverage page reads from the locker: the coverage ledger and the
 * request ledger of the period computed exactly as `evidentia coverage`
 * computes them (the same audit functions, the same scope), and when each
 * stream's complete collections started, for the calendar's collected days.
 */
import { type AuditConfig, auditTimezone, type Ledger, ledgerFromLocker, ledgerInScope, type RequestLedger, configuredRequestLedger, scopeOf, streamPlans } from '@evidentia/audit';
import type { Locker } from '@evidentia/locker';
import type { Period } from '@evidentia/time';

export interface CoverageData {
  ledger: Ledger;
  /** null when no evidence request is configured. */
  requests: RequestLedger | null;
  /** Per stream, the start times of its complete collections in the period. */
  collected: Map<string, number[]>;
  timezone: string;
}

export async function coverageData(locker: Locker, config: AuditConfig, period: Period, now: Date): Promise<CoverageData> {
  const ledger = ledgerInScope(await ledgerFromLocker(locker, streamPlans(config), period, now), scopeOf(config));
  const timezone = auditTimezone(config);
  const requests = await configuredRequestLedger(locker, config, period, now);
  const collected = new Map<string, number[]>();
  const until = period.until.getTime();
  for await (const run of locker.streamRuns({ startedBy: now, since: period.since })) {
    const at = Date.parse(run.startedAt);
    if (run.status !== 'complete' || at >= until) continue;
    const times = collected.get(run.stream) ?? [];
    times.push(at);
    collected.set(run.stream, times);
  }
  return { ledger, requests, collected, timezone };
}
