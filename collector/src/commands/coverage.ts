/**
 * `evidentia coverage --period 2026-01-01..2026-06-30`: the coverage ledger
 * of a period from the locker (see coverage/ledger.ts), as a table, JSON or
 * an auditor's CSV. New open gaps are announced through the configured
 * notifier once. Evidence requests are a ledger of their own beside the
 * streams': each occurrence fulfilled, late, open or overdue. Exit 1 when the
 * period has an open gap, an overdue request, or a per-event request no
 * configured stream can give events to (it could see nothing).
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '@evidentia/evidence';
import { lockerOf, requireConfig } from '../context.js';
import {
  frameworkTables,
  ledgerFromLocker,
  ledgerInScope,
  notifyNewGaps,
  readPeriod,
  renderLedger,
  renderLedgerCsv,
  configuredRequestLedger,
  renderRequestLedger,
  scopeOf,
  streamPlans,
  terminalSafe,
} from '@evidentia/audit';
import { createNotifier } from '../notify/index.js';
import { createLineLogger } from '../output/logger.js';
import { createWitnesses } from '../witness/index.js';
import { witnessCoverageNotes } from '../witness/check.js';
import type { Wrap } from './wrap.js';

interface CoverageFlags {
  config?: string;
  locker?: string;
  period: string;
  json?: boolean;
  csv?: string;
  notify: boolean;
}

export function registerCoverage(program: Command, wrap: Wrap): void {
  program
    .command('coverage')
    .description('expected vs successful collections and every gap (with its cause), and evidence requests, in an audit period; exit 1 on an open gap, an overdue request or a request that cannot be judged')
    .requiredOption('--period <from..to>', 'the audit period, both days inclusive, in the configured time zone, e.g. 2026-01-01..2026-06-30')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--locker <dir>', "locker directory (default: the config's locker)")
    .option('--json', 'print the ledger as JSON')
    .option('--csv <file>', 'also write the ledger as CSV for auditors')
    .option('--no-notify', 'do not announce new gaps through the configured notifier')
    .action(
      wrap(async (flags: CoverageFlags) => {
        const config = await requireConfig(flags, { credentials: false });
        const plans = streamPlans(config);
        const period = readPeriod(flags.period, config);
        const locker = await lockerOf(flags, config);
        try {
          const scope = scopeOf(config);
          const now = new Date();
          const ledger = ledgerInScope(await ledgerFromLocker(locker, plans, period, now), scope);
          const requests = await configuredRequestLedger(locker, config, period, now);
          if (flags.csv) await writeFileAtomic(flags.csv, renderLedgerCsv(ledger));
          // A requirement is covered through a criterion whose streams cover the period, by the same mapping rule as check and report.
          const frameworks = frameworkTables(scope, ledger.criteria.filter((criterion) => criterion.covered).map((criterion) => criterion.criterion));
          // A run a witness missed (its write failed) stays a note here until a later checkpoint reaches the witness.
          const witnessNotes = await witnessCoverageNotes(locker, createWitnesses(config));
          const json = { ...ledger, ...(frameworks.length > 0 ? { frameworks } : {}), ...(requests ? { requests } : {}), ...(witnessNotes.length > 0 ? { witnessNotes } : {}) };
          const text = renderLedger(ledger, frameworks) + (requests ? `\n${renderRequestLedger(requests)}` : '') + witnessNotes.map((note) => `note: ${terminalSafe(note)}\n`).join('');
          process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : text);
          if (flags.notify) {
            const log = createLineLogger(process.stderr);
            await notifyNewGaps(locker.dir, createNotifier(config.notifications, log), ledger.streams.flatMap((stream) => stream.gaps), log);
          }
          return ledger.openGaps > 0 || (requests?.overdue ?? 0) > 0 || (requests?.requests.some((line) => line.unwatched) ?? false) ? 1 : 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
