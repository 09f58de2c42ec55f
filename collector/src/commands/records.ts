/** `evidentia records`: the evidence records in the locker, filtered by kind, control, stream or time. */
import type { Command } from 'commander';
import { openLockerFor, parseTime } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import type { Wrap } from '../main.js';

interface RecordsFlags {
  config?: string;
  locker?: string;
  kind?: string;
  control?: string;
  stream?: string;
  at?: string;
  limit?: string;
  json?: boolean;
}

function positiveInteger(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new UsageError(`${option} expects a positive whole number, got "${value}"`);
  return number;
}

export function registerRecords(program: Command, wrap: Wrap): void {
  program
    .command('records')
    .description('list evidence records (state streams: the latest complete set, or the set as of --at)')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--kind <kind>', 'record kind, e.g. access.account')
    .option('--control <id>', 'criterion, e.g. CC6.1')
    .option('--stream <id>', 'stream as <connector>/<stream>, e.g. github/members')
    .option('--at <time>', 'state as observed at this time')
    .option('--limit <n>', 'at most this many records')
    .option('--json', 'print JSON lines (one record per line)')
    .action(
      wrap(async (flags: RecordsFlags) => {
        const locker = await openLockerFor(flags);
        try {
          const query = {
            kind: flags.kind,
            control: flags.control,
            stream: flags.stream,
            at: flags.at ? parseTime(flags.at, '--at') : undefined,
            limit: flags.limit === undefined ? undefined : positiveInteger(flags.limit, '--limit'),
          };
          const rows: unknown[][] = [];
          for await (const record of locker.records(query)) {
            if (flags.json) process.stdout.write(`${JSON.stringify(record)}\n`);
            else rows.push([record.observedAt, record.kind, record.key, record.stream, record.controls.join(' '), record.hash.slice(0, 12)]);
          }
          if (!flags.json) process.stdout.write(rows.length ? renderTable(['observed', 'kind', 'key', 'stream', 'controls', 'hash'], rows) : 'no records match\n');
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
