/**
 * `evidentia report --period A..B --out report.html`: one self-contained
 * HTML file with the check results (exceptions first), the per-criterion
 * status grid, the other frameworks in scope through the mappings, the
 * coverage timeline, readiness per requirement (with a configuration), each
 * criterion's evidence and how to verify it. Reads only the locker.
 */
import type { Command } from 'commander';
import { lockerOf, periodInputs } from '../context.js';
import { acceptancesFor, auditTimezone, checksInScope, configuredChecks, notAssessed, PeopleDirectory, readinessInScope, runChecks, scopeOf, sourcePlans } from '@evidentia/audit';
import { writeFileAtomic } from '@evidentia/evidence';
import { buildReportModel, countEvidence, coverageOf, renderReport } from '@evidentia/publish';
import type { Wrap } from './wrap.js';

interface ReportFlags {
  config?: string;
  locker?: string;
  period: string;
  out: string;
}

export function registerReport(program: Command, wrap: Wrap): void {
  program
    .command('report')
    .description('write a self-contained HTML report of a period: exceptions, criteria, coverage, evidence, how to verify')
    .requiredOption('--period <A..B>', 'audit period, e.g. 2026-01-01..2026-06-30')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--config <file>', 'configuration file (check settings, people aliases, schedules for coverage)')
    .option('--locker <dir>', 'locker directory')
    .action(
      wrap(async (flags: ReportFlags) => {
        const { config, period } = await periodInputs(flags);
        // The checks in scope, as `check`, `readiness` and OSCAL run them: a check serving only criteria outside the scope judges nothing here.
        const checks = checksInScope(await configuredChecks(config), scopeOf(config));
        const locker = await lockerOf(flags, config);
        try {
          const run = await runChecks({ locker, period, checks, people: new PeopleDirectory(config?.people.aliases ?? {}), sources: sourcePlans(config), acceptances: await acceptancesFor(locker, period, config) });
          const now = new Date();
          const coverage = await coverageOf(locker, config, period, now);
          const evidence = await countEvidence(locker, period);
          const readiness = config && coverage ? await readinessInScope(locker, config, { period, now, checks: run.checks, ledger: coverage.ledger, records: evidence }) : [];
          const model = await buildReportModel({ locker, period, run, coverage: coverage?.view ?? null, requests: coverage?.requests ?? null, scope: scopeOf(config), readiness, evidence, timezone: auditTimezone(config) });
          await writeFileAtomic(flags.out, renderReport(model));
          const exceptions = run.checks.reduce((sum, check) => sum + check.counts.exception, 0);
          const unassessed = run.checks.filter(notAssessed).length;
          process.stdout.write(`report written to ${flags.out}: ${exceptions} exception(s)${unassessed > 0 ? `, ${unassessed} check(s) NOT ASSESSED in whole or part` : ''} in ${run.checks.length} checks\n`);
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
