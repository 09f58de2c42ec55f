/**
 * `evidentia export bundle --period A..B --out bundle.zip`: everything an
 * auditor needs for the period in one zip, verifiable with the public key
 * alone (`evidentia verify --bundle`).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { lockerOf, periodInputs } from '../context.js';
import { coverageOf, exportBundle } from '@evidentia/publish';
import { acceptancesFor, auditTimezone, checksInScope, configuredChecks, PeopleDirectory, readinessInScope, scopeOf, sourcePlans } from '@evidentia/audit';
import { createWitnesses } from '../witness/index.js';
import { witnessedCheckpoints } from '../witness/check.js';
import type { Wrap } from './wrap.js';

interface BundleFlags {
  config?: string;
  locker?: string;
  period: string;
  out: string;
}

export function registerExportBundle(exporter: Command, wrap: Wrap): void {
  exporter
    .command('bundle')
    .description('the period\'s manifests, records, raw responses, populations, check results, coverage, readiness and report in one signed zip')
    .requiredOption('--period <A..B>', 'audit period, e.g. 2026-01-01..2026-06-30')
    .requiredOption('--out <file>', 'zip file to write')
    .option('--config <file>', 'configuration file (check settings, people aliases, schedules for coverage)')
    .option('--locker <dir>', 'locker directory')
    .action(
      wrap(async (flags: BundleFlags) => {
        const { config, period } = await periodInputs(flags);
        // The checks in scope, as `check`, `readiness` and OSCAL run them.
        const checks = checksInScope(await configuredChecks(config), scopeOf(config));
        const locker = await lockerOf(flags, config);
        try {
          const now = new Date();
          const coverage = await coverageOf(locker, config, period, now);
          // The witnesses, not the locker, are where checkpoints are trusted from: the bundle carries what they hold.
          const witnessed = await witnessedCheckpoints(config ? createWitnesses(config) : []);
          for (const unread of witnessed.unread) process.stderr.write(`warning: the bundle carries no checkpoints from ${unread}\n`);
          const newest = (await locker.manifests()).at(-1)?.sequence ?? 0;
          const lacked = [...new Set(witnessed.checkpoints.map(({ checkpoint }) => checkpoint.sequence).filter((sequence) => sequence > newest))].sort((a, b) => a - b);
          if (lacked.length > 0) {
            process.stderr.write(`warning: the witnesses hold checkpoints of run(s) #${lacked.join(', #')} the locker lacks (its newest is #${newest}): runs were deleted or an older locker.db restored; the bundle carries those checkpoints, so its verification fails (\`evidentia verify\` names the witness)\n`);
          }
          const summary = await exportBundle({
            locker,
            period,
            out: resolve(flags.out),
            checks,
            // The bundle's report shows the frameworks and criteria in scope, as `report` does.
            scope: scopeOf(config),
            people: new PeopleDirectory(config?.people.aliases ?? {}),
            sources: sourcePlans(config),
            coverage,
            checkpoints: witnessed.checkpoints,
            ...(config && coverage ? { readiness: (run, records) => readinessInScope(locker, config, { period, now, checks: run.checks, ledger: coverage.ledger, records }) } : {}),
            acceptances: await acceptancesFor(locker, period, config),
            timezone: auditTimezone(config),
          });
          const exceptions = summary.run.checks.reduce((sum, check) => sum + check.counts.exception, 0);
          process.stdout.write(
            `bundle written to ${flags.out}: ${summary.files} files (${summary.bytes} bytes uncompressed), manifests #${summary.manifests.first}–#${summary.manifests.last}, ` +
              `${summary.streams} stream runs, ${summary.records} records, ${summary.checkpoints} witness checkpoint(s), ${exceptions} check exception(s)\n`,
          );
          if (!summary.signed) process.stderr.write('evidentia: this locker copy has no private key, so index.json is not signed; verify will say so\n');
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
