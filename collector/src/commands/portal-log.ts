/**
 * `evidentia portal-log`: the portal's audit log as the locker holds it (who
 * signed in or failed to, viewed which page, downloaded which population or
 * sample, started a verify), oldest first; `--since` keeps the events from a
 * day or instant on. `evidentia verify` checks the chain these entries form.
 */
import type { Command } from 'commander';
import { renderTable, UsageError } from '@evidentia/audit';
import { openLockerFor } from '../context.js';
import type { Wrap } from './wrap.js';

/** `--since` as an ISO instant: a day (its start, UTC) or an instant. */
function sinceOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(instant)) throw new UsageError(`--since ${text}: expected a day (2026-06-01, UTC) or an ISO instant (2026-06-01T12:00:00Z)`);
  return new Date(instant).toISOString();
}

export function registerPortalLog(program: Command, wrap: Wrap): void {
  program
    .command('portal-log')
    .description("the portal's audit log: sign-ins, page views, downloads and verify starts, oldest first (signed and chained in the locker)")
    .option('--since <day|instant>', 'only events from this day (UTC) or instant on')
    .option('--config <file>', 'configuration file')
    .option('--locker <dir>', 'locker directory')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: { since?: string; config?: string; locker?: string; json?: boolean }) => {
        const since = sinceOf(flags.since);
        const locker = await openLockerFor(flags);
        try {
          const events = await locker.portalLog(since);
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
            return 0;
          }
          const rows = events.map((event) => [event.sequence, event.at, event.action, event.role ? `${event.user} (${event.role})` : event.user, event.outcome, event.address, event.target]);
          process.stdout.write(rows.length ? renderTable(['#', 'at', 'action', 'user', 'status', 'address', 'target'], rows) : `no portal events${since ? ` since ${since}` : ''}\n`);
          return 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
