/**
 * Coverage for the report and the bundle: the coverage ledger (expected vs
 * successful collections and every gap with its cause) when a configuration
 * gives the streams' schedules, with the request ledger (overdue requests keep
 * their criteria unsatisfied); without one, null, and the report shows only
 * the collections the locker holds.
 */
import type { Locker } from '@evidentia/locker';
import { type AuditConfig, causeText, configuredRequestLedger, type Ledger, ledgerFromLocker, type Period, type RequestLedger, streamPlans, unreadItem } from '@evidentia/audit';
import type { CoverageView } from './model.js';

export function viewOfLedger(ledger: Ledger): CoverageView {
  return {
    streams: ledger.streams.map((stream) => ({
      stream: stream.stream,
      covered: stream.covered,
      unreadItems: stream.itemGaps.some(unreadItem),
      expected: stream.expected,
      successful: stream.successful,
      gaps: stream.gaps.filter((gap) => gap.status === 'open').map((gap) => ({ since: gap.since, until: gap.until, cause: causeText(gap) })),
    })),
    criteria: ledger.criteria.map((criterion) => ({ criterion: criterion.criterion, gapStreams: criterion.gapStreams, unreadStreams: criterion.unreadStreams })),
  };
}

/** The ledger of the period (judged up to `now`), its view and the request ledger (null when no request is configured); null without a configuration. */
export async function coverageOf(locker: Locker, config: AuditConfig | null, period: Period, now = new Date()): Promise<{ ledger: Ledger; view: CoverageView; requests: RequestLedger | null } | null> {
  if (!config) return null;
  const ledger = await ledgerFromLocker(locker, streamPlans(config), period, now);
  return { ledger, view: viewOfLedger(ledger), requests: await configuredRequestLedger(locker, config, period, now) };
}
