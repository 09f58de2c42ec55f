/**
 * `evidentia check --period A..B`: judge the locker's evidence for a period
 * with the check library and any custom checks. Reads only the locker (no
 * API is called), so it can be re-run on old evidence. Exit 1 when any
 * exception was found or a check failed to run, and with --strict also when
 * anything was not assessed or a stream a check reads has an open coverage
 * gap in the period (without it, both are printed loudly on stderr but alone
 * exit 0). An accepted exception is still an exception:
 * shown as accepted, it exits 1 like any other.
 */
import type { Command } from 'commander';
import { lockerOf, periodInputs } from '../context.js';
import { acceptancesFor, checkResultsWriter, type CheckRun, checksInScope, type ConfiguredCheck, configuredChecks, coverageNotes, coveredCriteria, exceptionNotices, failed, type FrameworkScope, frameworkTables, notAssessed, notifyExceptions, PeopleDirectory, ledgerFromLocker, renderCheckRun, coverageNoteLines, resolveRequirement, runChecks, scopeOf, sourcePlans, streamPlans, UsageError } from '@evidentia/audit';
import { createNotifier } from '../notify/index.js';
import type { Wrap } from './wrap.js';
import type { LoadedConfig } from '../config/load.js';

interface CheckFlags {
  config?: string;
  locker?: string;
  period: string;
  check?: string[];
  control?: string;
  json?: boolean;
  strict?: boolean;
}

const stderrLog = {
  debug() {},
  info() {},
  warn: (message: string) => process.stderr.write(`evidentia: ${message}\n`),
  error: (message: string) => process.stderr.write(`evidentia: ${message}\n`),
};

/**
 * The exception notice, when notifications are configured. A notifier that
 * cannot start here (its token not available to this command) is said on
 * stderr; it never changes what the check found or its exit code.
 */
async function sendExceptionNotice(run: CheckRun, config: LoadedConfig): Promise<void> {
  let notifier: ReturnType<typeof createNotifier>;
  try {
    notifier = createNotifier(config.notifications, stderrLog);
  } catch (error) {
    if (exceptionNotices(run).length > 0) process.stderr.write(`evidentia: the exception notice was not sent: ${(error as Error).message}\n`);
    return;
  }
  await notifyExceptions(run, notifier);
}

export function selectChecks(checks: ConfiguredCheck[], only: string[] | undefined): ConfiguredCheck[] {
  if (!only || only.length === 0) return checks;
  for (const id of only) {
    if (!checks.some((check) => check.definition.id === id)) throw new UsageError(`--check ${id}: no such check; checks are ${checks.map((c) => c.definition.id).join(', ')}`);
  }
  return checks.filter((check) => only.includes(check.definition.id));
}

/**
 * The checks serving SOC 2 criteria in scope (checks naming no criterion are
 * kept), narrowed with --control to those serving the criteria a requirement
 * of any framework resolves to. Returns the criteria selected by --control.
 */
export function selectByControl(checks: ConfiguredCheck[], scope: FrameworkScope, control: string | undefined): { checks: ConfiguredCheck[]; criteria?: Set<string> } {
  const inScope = checksInScope(checks, scope);
  if (control === undefined) return { checks: inScope };
  const resolved = resolveRequirement(control);
  if (!resolved) throw new UsageError(`--control ${control}: no framework has this requirement; use a SOC 2 criterion (CC6.1) or an ISO 27001, NIS2 or C5 ID (A.8.15, NIS2.21.2.b, IDM-02)`);
  const criteria = new Set(resolved.criteria.map((link) => link.criterion).filter((criterion) => scope.criteria.has(criterion)));
  if (criteria.size === 0) throw new UsageError(`--control ${control}: not mapped to any SOC 2 criterion in scope`);
  const selected = inScope.filter(({ definition }) => definition.criteria.some((criterion) => criteria.has(criterion)));
  if (selected.length === 0) throw new UsageError(`--control ${control}: no check serves ${[...criteria].join(', ')}; sample the population instead`);
  return { checks: selected, criteria };
}

/**
 * The covered criteria that every in-scope check serving them judged: a check --check left out could
 * have found an exception there, so the run cannot call them covered. Also the checks left out, per criterion.
 */
export function fullyJudged(covered: ReadonlySet<string>, inScope: readonly ConfiguredCheck[], ran: readonly ConfiguredCheck[]): { covered: Set<string>; left: Map<string, string[]> } {
  const left = new Map<string, string[]>();
  for (const { definition } of inScope.filter((check) => !ran.includes(check))) for (const criterion of definition.criteria) left.set(criterion, [...(left.get(criterion) ?? []), definition.id]);
  return { covered: new Set([...covered].filter((criterion) => !left.has(criterion))), left };
}

export function registerCheck(program: Command, wrap: Wrap): void {
  program
    .command('check')
    .description('evaluate the checks over the evidence of a period (exit 1 on any exception)')
    .requiredOption('--period <A..B>', 'audit period, e.g. 2026-01-01..2026-06-30 (a date-only end includes that day)')
    .option('--config <file>', 'configuration file (check settings, custom checks, people aliases)')
    .option('--locker <dir>', 'locker directory')
    .option('--check <id...>', 'only these checks')
    .option('--control <id>', 'only checks serving this criterion or requirement of any framework (e.g. CC8.1, A.8.32, NIS2.21.2.b, DEV-09)')
    .option('--json', 'print every finding as JSON')
    .option('--strict', 'exit 1 also when anything was not assessed (no evidence of the period to judge) or a stream a check reads has an open coverage gap')
    .action(
      wrap(async (flags: CheckFlags) => {
        // The notifications' token only (never a connector's): check may send an exception notice.
        const { config, period } = await periodInputs(flags, 'notifications');
        const scope = scopeOf(config);
        const configured = await configuredChecks(config);
        const selected = selectByControl(selectChecks(configured, flags.check), scope, flags.control);
        const locker = await lockerOf(flags, config);
        try {
          const out = (text: string) => new Promise<void>((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
          const writer = flags.json ? checkResultsWriter(period, out) : null;
          await writer?.begin();
          const acceptances = await acceptancesFor(locker, period, config);
          const run: CheckRun = await runChecks({ locker, period, checks: selected.checks, people: new PeopleDirectory(config?.people.aliases ?? {}), sources: sourcePlans(config), acceptances, ...(writer ?? {}) });
          const judged = fullyJudged(coveredCriteria(run.checks), checksInScope(configured, scope), selected.checks);
          const frameworks = frameworkTables(scope, judged.covered, selected.criteria);
          await writer?.end(frameworks, run.acceptances);
          if (!flags.json) process.stdout.write(renderCheckRun(run, { criteria: scope.criteria, frameworks }));
          if (config) await sendExceptionNotice(run, config);
          const passedButPartial = [...coveredCriteria(run.checks)].filter((criterion) => judged.left.has(criterion));
          if (frameworks.length > 0 && passedButPartial.length > 0) {
            const named = passedButPartial.map((criterion) => `${criterion} (${judged.left.get(criterion)!.join(', ')} not run)`).join('; ');
            process.stderr.write(`evidentia: the framework tables count ${named} as not covered: --check left out checks serving them\n`);
          }
          const unassessed = run.checks.filter(notAssessed);
          if (unassessed.length > 0) {
            process.stderr.write(`evidentia: NOT ASSESSED: ${unassessed.map((check) => `${check.id} (${check.counts['not-assessed']})`).join(', ')}: no evidence of the period to judge there, which is not a pass${flags.strict ? '' : ' (--strict makes this exit 1)'}\n`);
          }
          // With the streams' schedules (a configuration), the time they were not collected in the period is named per check.
          const gaps = config ? coverageNotes(run.checks, await ledgerFromLocker(locker, streamPlans(config), period, new Date())) : [];
          for (const line of coverageNoteLines(gaps)) process.stderr.write(`evidentia: ${line}${flags.strict ? '' : ' (--strict makes this exit 1)'}\n`);
          return run.checks.some(failed) || (flags.strict && (unassessed.length > 0 || gaps.length > 0)) ? 1 : 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
