/**
 * Coverage from a locker: the daemon's recorded downtimes (its catch-up runs'
 * missed intervals) and the stream runs, streamed in commit order into the
 * ledger (all of them, or for a recent window those of its last weeks, with
 * each stream's first attempt from the heads query). This is the only I/O the
 * ledger needs.
 */
import type { Locker } from '@evidentia/locker';
import { computeLedgerFrom } from './ledger.js';
import type { Downtime, Gap, Ledger, Period, StreamPlan } from './types.js';

export async function downtimesOf(locker: Locker): Promise<Downtime[]> {
  const downtimes: Downtime[] = [];
  for (const run of await locker.runsByTrigger('catch-up')) {
    const since = Date.parse(String(run.parameters.missedSince));
    const until = Date.parse(String(run.parameters.missedUntil));
    if (Number.isFinite(since) && Number.isFinite(until) && until > since) downtimes.push({ since: new Date(since), until: new Date(until), runId: run.runId });
  }
  return downtimes;
}

/** For a recent window: read only the runs of its last weeks, with each stream's first attempt known from elsewhere. */
export interface RecentWindow {
  /** Runs started this many days before the period are read too; a state gap that began earlier shows as starting at the period. */
  lookbackDays: number;
  /** Each stream's first attempt (the locker's stream heads). */
  firstAttempts: ReadonlyMap<string, Date>;
}

export async function ledgerFromLocker(locker: Locker, streams: StreamPlan[], period: Period, now: Date, recent?: RecentWindow): Promise<Ledger> {
  const downtimes = await downtimesOf(locker);
  if (!recent) return computeLedgerFrom({ period, now, streams, downtimes }, locker.streamRuns({ startedBy: now }));
  const since = new Date(period.since.getTime() - recent.lookbackDays * 86_400_000);
  return computeLedgerFrom({ period, now, streams, downtimes, firstAttempts: recent.firstAttempts }, locker.streamRuns({ startedBy: now, since }));
}

/** The open gaps of a ledger: what `coverage` counts and `status` lists, one definition for both. */
export function openGaps(ledger: Ledger): Gap[] {
  return ledger.streams.flatMap((stream) => stream.gaps).filter((gap) => gap.status === 'open');
}

/**
 * The open gaps that concern operations (the daemon's gap watch): those of the time before a stream
 * was first collected are left out (a new install has them for every stream;
 * `coverage` of an audit period still shows them).
 */
export function operationalGaps(ledger: Ledger): Gap[] {
  return ledger.streams.flatMap((stream) => stream.gaps).filter((gap) => gap.status === 'open' && !gap.causes.every((cause) => cause.kind === 'not-configured'));
}
