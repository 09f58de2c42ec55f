/**
 * `evidentia status`: is the daemon running, and per stream the last run
 * (when, status, error), the last success, the next scheduled run and the
 * open gaps of the last days, read from the config and the locker (it works
 * whether or not the daemon runs). The gaps are the coverage ledger's over
 * the same whole days as `coverage --period <first>..<today>` (same
 * computation, same window), so the two never disagree; the time before a
 * stream's first collection is a gap in both, with that cause. The run started
 * last is named on its own (one manifest read): a run in progress, or one
 * interrupted (SIGTERM, a kill, a failed commit) that kept nothing, which the
 * per-stream rows of committed stream runs cannot show. A running daemon
 * whose config file was edited since it started (or that runs another file)
 * is said to be so: its schedules are not the ones shown. Evidence
 * requests are judged over the same days, as `coverage` judges them. Exit 1
 * when a gap is open, a request is overdue, or a per-event request cannot be
 * judged (no configured stream of personnel events).
 */
import type { Command } from 'commander';
// Subpaths, not the package's index: a read command loads only what it reads (BENCHMARKS.md, CLI start time).
import { auditTimezone, causeText, duration, ledgerFromLocker, openGaps, recentDays, renderRequestLedger, configuredRequestLedger, streamPlans } from '@evidentia/audit/status';
import { UsageError } from '@evidentia/audit/errors';
import { renderTable, terminalSafe } from '@evidentia/audit/table';
import { lockerOf, requireConfig } from '../context.js';
import { configFileHash, liveDaemon, type DaemonHolder } from '../daemon-lock.js';
import type { Wrap } from './wrap.js';

interface StatusFlags {
  config?: string;
  locker?: string;
  days: string;
  json?: boolean;
}

/** How far back --days may look: further ran past the earliest date a Date holds, or counted schedule fires for hours. */
const MAX_DAYS = 36_525;

/**
 * Whether the daemon runs with other settings than `file` holds now: another
 * file, or this one edited since the daemon read it (it keeps what it read
 * at start). Null when the daemon did not say what it read.
 */
function configChanged(daemon: DaemonHolder, file: string): boolean | null {
  if (daemon.config === null || daemon.configHash === null) return null;
  return daemon.config !== file || daemon.configHash !== configFileHash(file);
}

function daemonConfigNote(daemon: DaemonHolder & { configChanged: boolean | null }, file: string): string {
  if (!daemon.configChanged) return '';
  if (daemon.config !== file) return `; it runs with the configuration file ${daemon.config}, not ${file} (the schedules below are ${file}'s)`;
  return `; its configuration file ${file} has changed since it started: restart it to apply the change (the schedules below are the file's)`;
}

/** The locker's newest run in one line; an interrupted one says that the rows below are older runs. */
function lastRunLine(run: { runId: string; trigger: string; status: string; startedAt: string; finishedAt: string | null }): string {
  const what = `last run: ${run.status} (run ${run.runId}, ${run.trigger}, started ${run.startedAt}`;
  if (run.status === 'running') return `${what}): in progress`;
  if (run.status === 'interrupted') return `${what}${run.finishedAt ? `, stopped ${run.finishedAt}` : ''}): nothing it collected was kept; the streams' last runs below are earlier ones`;
  return `${what}, finished ${run.finishedAt ?? ''})`;
}

export function registerStatus(program: Command, wrap: Wrap): void {
  program
    .command('status')
    .description('the daemon, the last and next run of each stream, open gaps and evidence requests of the last days; exit 1 on an open gap, an overdue request or a request that cannot be judged')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--locker <dir>', "locker directory (default: the config's locker)")
    .option('--days <n>', 'how many days back to look for gaps (whole days in the time zone, today included; at most 36525)', '30')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: StatusFlags) => {
        const days = Number(flags.days);
        if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new UsageError(`--days expects a whole number of days from 1 to ${MAX_DAYS} (a hundred years), got "${flags.days}"`);
        const config = await requireConfig(flags, { credentials: false });
        const plans = streamPlans(config);
        const locker = await lockerOf(flags, config);
        try {
          const now = new Date();
          const holder = liveDaemon(locker.dir);
          const daemon = holder ? { ...holder, configChanged: configChanged(holder, config.file) } : null;
          const heads = await locker.streamHeads();
          const latest = await locker.latestRun();
          const lastRun = latest ? { runId: latest.runId, trigger: latest.trigger, status: latest.status, startedAt: latest.startedAt, finishedAt: latest.finishedAt } : null;
          const window = recentDays(now, days, auditTimezone(config));
          const ledger = await ledgerFromLocker(locker, plans, window, now);
          const gaps = openGaps(ledger);
          const requests = await configuredRequestLedger(locker, config, window, now);
          const streams = plans.map((plan) => {
            const head = heads.find((candidate) => candidate.stream === plan.id);
            return {
              stream: plan.id,
              type: plan.type,
              schedule: `${plan.schedule.expression} ${plan.schedule.timezone}`,
              lastRun: head ? { at: head.last.startedAt, status: head.last.status, error: head.last.error, runId: head.last.runId } : null,
              lastSuccessAt: head?.lastComplete?.startedAt ?? null,
              nextRunAt: plan.schedule.next(now)?.toISOString() ?? null,
              openGaps: gaps.filter((gap) => gap.stream === plan.id).length,
            };
          });
          if (flags.json) {
            const gapWindow = { days, first: window.first, last: window.last, since: window.since.toISOString(), until: window.until.toISOString() };
            process.stdout.write(`${JSON.stringify({ now: now.toISOString(), daemon, lastRun, streams, gaps, gapWindowDays: days, gapWindow, ...(requests ? { requests } : {}) }, null, 2)}\n`);
          } else {
            const rows = streams.map((s) => [s.stream, s.type, s.schedule, s.lastRun ? `${s.lastRun.at} ${s.lastRun.status}` : 'never', s.lastSuccessAt ?? 'never', s.nextRunAt ?? 'never', s.openGaps || '', s.lastRun?.error ?? '']);
            const gapRows = gaps.map((g) => [g.stream, g.since, g.until, duration(g.since, g.until), g.ongoing ? 'ongoing' : '', causeText(g)]);
            process.stdout.write(
              [
                daemon ? terminalSafe(`daemon: running (pid ${daemon.pid}, since ${daemon.startedAt})${daemonConfigNote(daemon, config.file)}`) : 'daemon: not running on this locker',
                ...(lastRun ? [terminalSafe(lastRunLine(lastRun))] : []),
                '',
                renderTable(['stream', 'type', 'schedule', 'last run', 'last success', 'next run', 'open gaps', 'last error'], rows),
                gapRows.length
                  ? `open gaps in the last ${days} days (${window.first}..${window.last}, as \`coverage --period ${window.first}..${window.last}\` shows them):\n${renderTable(['stream', 'since', 'until', 'length', '', 'cause'], gapRows)}`
                  : `no open gap in the last ${days} days (${window.first}..${window.last})\n`,
                ...(requests ? [renderRequestLedger(requests)] : []),
              ].join('\n'),
            );
          }
          return gaps.length > 0 || (requests?.overdue ?? 0) > 0 || (requests?.requests.some((line) => line.unwatched) ?? false) ? 1 : 0;
        } finally {
          await locker.close();
        }
      }),
    );
}
