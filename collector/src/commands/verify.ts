/** `evidentia verify`: re-derive every hash, Merkle root, chain link and signature in the locker. */
import type { Command } from 'commander';
import type { VerifyReport } from '@evidentia/locker';
import { openLockerFor } from '../context.js';
import { terminalSafe } from '../output/table.js';
import type { Wrap } from '../main.js';

export function renderVerifyReport(report: VerifyReport): string {
  const { counts } = report;
  const lines = [`checked ${counts.manifests} manifests, ${counts.snapshots} snapshots, ${counts.records} records, ${counts.objects} objects`];
  for (const problem of report.problems) lines.push(`PROBLEM ${problem.code}: ${terminalSafe(problem.message)}`);
  for (const note of report.notes) lines.push(`note: ${terminalSafe(note)}`);
  lines.push(report.ok ? 'locker verified: no problems' : `locker FAILED verification: ${report.problems.length} problem(s)`);
  return `${lines.join('\n')}\n`;
}

export function registerVerify(program: Command, wrap: Wrap): void {
  program
    .command('verify')
    .description('verify the locker: blobs, records, manifests, chain and signatures (exit 1 on any problem)')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--json', 'print the report as JSON')
    .action(
      wrap(async (flags: { config?: string; locker?: string; json?: boolean }) => {
        const locker = await openLockerFor(flags);
        try {
          const report = await locker.verify();
          process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyReport(report));
          return report.ok ? 0 : 1;
        } finally {
          await locker.close();
        }
      }),
    );
}
