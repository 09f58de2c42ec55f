/** `evidentia runs`: the locker's runs, newest last, with their status. */
import type { Command } from 'commander';
import { openLockerFor } from '../context.js';
import { renderTable } from '@evidentia/audit/table';
import type { Wrap } from './wrap.js';

export function registerRuns(program: Command, wrap: Wrap): void {
  program
    .command('runs')
    .description('list collection runs and their status')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: { config?: string; locker?: string; json?: boolean }) => {
        const locker = await openLockerFor(flags);
        try {
          const runs = await locker.runs();
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
            return 0;
          }
          const rows = runs.map((run) => {
            const failed = run.streams.filter((s) => s.status !== 'complete').length;
            const records = run.streams.reduce((sum, s) => sum + s.recordCount, 0);
            return [run.sequence ?? '', run.runId, run.status, run.trigger, run.startedAt, run.finishedAt ?? '', `${run.streams.length - failed}/${run.streams.length}`, records];
          });
          process.stdout.write(rows.length ? renderTable(['#', 'run', 'status', 'trigger', 'started', 'finished', 'streams ok', 'records'], rows) : 'no runs yet\n');
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
