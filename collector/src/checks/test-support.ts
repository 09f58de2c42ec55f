/** Running one check against a locker in tests: its findings, with settings parsed as the config would. */
import type { Locker } from '@evidentia/locker';
import type { CheckDefinition, Finding } from './define.js';
import { PeopleDirectory } from './people.js';
import { parsePeriod } from '@evidentia/time';
import { runChecks } from './runner.js';

export async function findingsOf(
  definition: CheckDefinition<unknown>,
  locker: Locker,
  period: string,
  options: { settings?: Record<string, unknown>; aliases?: Record<string, string[]> } = {},
): Promise<Finding[]> {
  const run = await runChecks({
    locker,
    period: parsePeriod(period),
    checks: [{ definition, settings: definition.settings.parse(options.settings ?? {}) }],
    people: new PeopleDirectory(options.aliases ?? {}),
    keep: 100_000,
  });
  const outcome = run.checks[0]!;
  if (outcome.error) throw new Error(`check ${definition.id} failed: ${outcome.error}`);
  return outcome.findings;
}

/** Findings as [item, status] pairs sorted by item, for compact assertions. */
export function verdicts(findings: Finding[]): [string, string][] {
  return findings.map((finding): [string, string] => [finding.system ? `${finding.item} @ ${finding.system}` : finding.item, finding.status]).sort((a, b) => a[0].localeCompare(b[0]));
}
