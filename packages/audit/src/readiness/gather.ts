/**
 * Readiness from a locker and a configuration: the coverage ledger and the
 * request ledger of the period are read here; the check outcomes are handed
 * in (the caller has usually run the checks already: `check`, the report, the
 * bundle), so the checks never run twice.
 */
import type { FrameworkId } from '@evidentia/catalog';
import type { Locker } from '@evidentia/locker';
import type { AuditConfig } from '../audit-config.js';
import type { CheckOutcome } from '../checks/runner.js';
import { ledgerFromLocker } from '../coverage/gather.js';
import { streamPlans } from '../coverage/plans.js';
import type { Ledger, Period } from '../coverage/types.js';
import { scopeOf } from '../frameworks/scope.js';
import { configuredRequestLedger } from '../requests/gather.js';
import { computeReadiness } from './compute.js';
import type { Readiness, ReviewEvidence } from './types.js';

export interface ReadinessOptions {
  framework: FrameworkId;
  period: Period;
  now: Date;
  checks: readonly CheckOutcome[];
  /** The coverage ledger of the same period and "now", when the caller has it. */
  ledger?: Ledger;
  reviews?: readonly ReviewEvidence[];
  /** Items of the period per criterion and record kind (the report's evidence count), to name records no configured stream watches. */
  records?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** The check outcomes and coverage ledger a caller already has, judged for every framework in the configured scope. */
export interface ScopeReadinessOptions extends Omit<ReadinessOptions, 'framework'> {
  ledger: Ledger;
}

export async function readinessFromLocker(locker: Locker, config: AuditConfig, options: ReadinessOptions): Promise<Readiness> {
  const { period, now } = options;
  const ledger = options.ledger ?? (await ledgerFromLocker(locker, streamPlans(config), period, now));
  const requests = await configuredRequestLedger(locker, config, period, now);
  return computeReadiness({ framework: options.framework, scope: scopeOf(config), period, now, ledger, checks: options.checks, requests, ...(options.reviews ? { reviews: options.reviews } : {}), ...(options.records ? { records: options.records } : {}) });
}

/** Readiness for each framework in the configured scope (SOC 2 first), for the report and the bundle. */
export async function readinessInScope(locker: Locker, config: AuditConfig, options: ScopeReadinessOptions): Promise<Readiness[]> {
  const results: Readiness[] = [];
  // One framework at a time: the locker answers one query at a time.
  for (const framework of scopeOf(config).frameworks) results.push(await readinessFromLocker(locker, config, { ...options, framework }));
  return results;
}
