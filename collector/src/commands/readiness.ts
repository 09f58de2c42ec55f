/**
 * `evidentia readiness [--framework soc2|iso27001|nis2|c5] [--period A..B]`:
 * the gap analysis of a period, per requirement: what evidences it (streams,
 * checks, evidence requests), its statuses and what is missing, with a
 * summary first (see packages/audit/src/readiness). Readiness is a report,
 * not a gate: exit 0 whenever it ran, whatever it found (2 on bad input);
 * `check`, `coverage` and `status` are the commands that exit 1 on problems.
 */
import type { Command } from 'commander';
import { FRAMEWORK_IDS, isFrameworkId } from '@evidentia/catalog';
import { writeFileAtomic } from '@evidentia/evidence';
import { auditTimezone, checksInScope, configuredChecks, readinessCsv, readPeriod, recentDays, renderReadiness, scopeOf, UsageError } from '@evidentia/audit';
import { judgePeriod, readinessOfJudgement } from '@evidentia/publish';
import { lockerOf, requireConfig } from '../context.js';
import type { Wrap } from './wrap.js';

interface ReadinessFlags {
  config?: string;
  locker?: string;
  framework: string;
  period?: string;
  json?: boolean;
  csv?: string;
}

/** Without --period: the last 90 days, today included (a common first Type II window). */
const DEFAULT_DAYS = 90;

export function registerReadiness(program: Command, wrap: Wrap): void {
  program
    .command('readiness')
    .description('gap analysis per requirement: what evidences it, its status (ready, exceptions, overdue, gaps, not assessed, no evidence path) and what is missing; exit 0 whenever it ran')
    .option('--framework <id>', `the framework whose requirements are listed: ${FRAMEWORK_IDS.join(', ')}`, 'soc2')
    .option('--period <from..to>', `the audit period, both days inclusive, in the configured time zone (default: the last ${DEFAULT_DAYS} days)`)
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--locker <dir>', "locker directory (default: the config's locker)")
    .option('--json', 'print the readiness as JSON (format evidentia.readiness/1)')
    .option('--csv <file>', 'also write one row per missing line as CSV')
    .action(
      wrap(async (flags: ReadinessFlags) => {
        if (!isFrameworkId(flags.framework)) throw new UsageError(`--framework ${flags.framework}: expected one of ${FRAMEWORK_IDS.join(', ')}`);
        const framework = flags.framework;
        const config = await requireConfig(flags, { credentials: false });
        const now = new Date();
        const period = flags.period ? readPeriod(flags.period, config) : recentDays(now, DEFAULT_DAYS, auditTimezone(config));
        const checks = checksInScope(await configuredChecks(config), scopeOf(config));
        const locker = await lockerOf(flags, config);
        try {
          const readiness = await readinessOfJudgement(locker, config, await judgePeriod(locker, config, period, checks), framework, now);
          if (flags.csv) await writeFileAtomic(flags.csv, readinessCsv(readiness));
          process.stdout.write(flags.json ? `${JSON.stringify(readiness, null, 2)}\n` : renderReadiness(readiness));
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
