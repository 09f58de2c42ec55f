/** Running one check against a locker in tests: its findings, with settings parsed as the config would; or a made-up outcome for what judges outcomes. */
import type { Locker } from '@evidentia/locker';
import type { CheckDefinition, Finding } from './define.js';
import { PeopleDirectory } from './people.js';
import { parsePeriod } from '@evidentia/time';
import { runChecks, type CheckOutcome } from './runner.js';
import type { SourcePlan } from './sources.js';

export interface TestRunOptions {
  settings?: Record<string, unknown>;
  aliases?: Record<string, string[]>;
  /** The configured streams (as a config would give them). */
  sources?: SourcePlan[];
  /** The audit time zone: the period is read in it and the check counts days in it (default UTC). */
  timezone?: string;
}

/** The check's outcome over the period; throws when the check failed to run. */
export async function outcomeOf(definition: CheckDefinition<unknown>, locker: Locker, period: string, options: TestRunOptions = {}): Promise<CheckOutcome> {
  const run = await runChecks({
    locker,
    period: parsePeriod(period, { timezone: options.timezone }),
    checks: [{ definition, settings: definition.settings.parse(options.settings ?? {}), timezone: options.timezone }],
    people: new PeopleDirectory(options.aliases ?? {}),
    sources: options.sources ?? null,
    keep: 100_000,
  });
  const outcome = run.checks[0]!;
  if (outcome.error) throw new Error(`check ${definition.id} failed: ${outcome.error}`);
  return outcome;
}

export async function findingsOf(definition: CheckDefinition<unknown>, locker: Locker, period: string, options: TestRunOptions = {}): Promise<Finding[]> {
  return (await outcomeOf(definition, locker, period, options)).findings;
}

/** Findings as [item, status] pairs sorted by item, for compact assertions. */
export function verdicts(findings: Finding[]): [string, string][] {
  return findings.map((finding): [string, string] => [finding.system ? `${finding.item} @ ${finding.system}` : finding.item, finding.status]).sort((a, b) => a[0].localeCompare(b[0]));
}

/** A made-up check outcome with the given counts (and findings), for tests of what reads outcomes (framework status, readiness). */
export function syntheticOutcome(id: string, criteria: string[], counts: Partial<CheckOutcome['counts']>, error: string | null = null, findings: Finding[] = []): CheckOutcome {
  return { id, title: id, description: '', criteria, reads: [], settings: null, counts: { pass: 0, exception: 0, 'not-assessable': 0, 'not-assessed': 0, ...counts }, result: 'pass', findings, omitted: 0, error };
}
