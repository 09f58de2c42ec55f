/**
 * Runs checks over a period and gathers their outcome. Findings stream out
 * one at a time (to a results file, to --json output) while the runner keeps
 * only counts and a bounded number of findings per status for display, so a
 * million accounts cost a million lines of output, not a million objects in
 * memory. A check that throws is reported with its error and counts as failed.
 */
import type { Locker } from '@evidentia/locker';
import type { CheckDefinition, Finding, FindingStatus } from './define.js';
import { lockerEvidence } from './evidence.js';
import type { PeopleDirectory } from './people.js';
import type { Period } from './period.js';
import type { ConfiguredCheck } from './registry.js';

export type FindingCounts = Record<FindingStatus, number>;

export interface CheckOutcome {
  id: string;
  title: string;
  description: string;
  criteria: string[];
  reads: string[];
  settings: unknown;
  counts: FindingCounts;
  /** Exceptions first, then not assessable, then passes; at most `keep` of each. */
  findings: Finding[];
  /** Findings counted but not kept for display. */
  omitted: number;
  error: string | null;
}

export interface CheckRun {
  period: Period;
  checks: CheckOutcome[];
}

export interface RunChecksOptions {
  locker: Locker;
  period: Period;
  checks: ConfiguredCheck[];
  people: PeopleDirectory;
  /** Findings of each status kept for display per check (default 1000). */
  keep?: number;
  onCheckStart?: (check: CheckDefinition<unknown>) => void | Promise<void>;
  onFinding?: (check: CheckDefinition<unknown>, finding: Finding) => void | Promise<void>;
  onCheckEnd?: (outcome: CheckOutcome) => void | Promise<void>;
}

const ORDER: FindingStatus[] = ['exception', 'not-assessable', 'pass'];

export function failed(outcome: CheckOutcome): boolean {
  return outcome.counts.exception > 0 || outcome.error !== null;
}

async function runOne(options: RunChecksOptions, { definition, settings }: ConfiguredCheck): Promise<CheckOutcome> {
  const keep = options.keep ?? 1000;
  const kept: Record<FindingStatus, Finding[]> = { exception: [], 'not-assessable': [], pass: [] };
  const counts: FindingCounts = { pass: 0, exception: 0, 'not-assessable': 0 };
  let error: string | null = null;
  await options.onCheckStart?.(definition);
  try {
    const evidence = lockerEvidence(options.locker, options.period, definition.reads, definition.id);
    for await (const yielded of definition.evaluate({ period: options.period, settings, evidence, people: options.people })) {
      // A fixed field order, and nothing a custom check adds beyond the contract.
      const finding: Finding = { item: yielded.item, system: yielded.system, status: yielded.status, reason: yielded.reason, records: yielded.records };
      if (!ORDER.includes(finding.status)) throw new Error(`finding for ${String(finding.item)} has status ${String(finding.status)}; expected pass, exception or not-assessable`);
      counts[finding.status]++;
      if (kept[finding.status].length < keep) kept[finding.status].push(finding);
      await options.onFinding?.(definition, finding);
    }
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const findings = ORDER.flatMap((status) => kept[status]);
  const total = counts.pass + counts.exception + counts['not-assessable'];
  const { id, title, description, criteria, reads } = definition;
  const outcome: CheckOutcome = { id, title, description, criteria, reads, settings, counts, findings, omitted: total - findings.length, error };
  await options.onCheckEnd?.(outcome);
  return outcome;
}

/** Run the checks one after another (they share the locker's single reader). */
export async function runChecks(options: RunChecksOptions): Promise<CheckRun> {
  const checks: CheckOutcome[] = [];
  for (const check of options.checks) checks.push(await runOne(options, check));
  return { period: options.period, checks };
}
