/**
 * `evidentia daemon`: collect on the configured schedules until SIGTERM or
 * SIGINT, then stop taking work, let the run in progress roll back (the
 * locker records it as interrupted; the next start catches up) and exit 0.
 * Logs are pino JSON lines on stdout. One daemon per locker. With `--serve
 * host:port` the read-only portal (`evidentia serve`) runs in the same
 * process, on the daemon's locker, and its /health answers the daemon's
 * health: one process, one listener, one probe.
 */
import type { Command } from 'commander';
import { openLockerFor, requireConfig } from '../context.js';
import { systemClock } from '@evidentia/time';
import { startDaemon } from '../daemon/daemon.js';
import { createDaemonLogger, LOG_LEVELS, type LogLevel } from '../daemon/logger.js';
import { UsageError } from '@evidentia/audit';
import { createNotifier } from '../notify/index.js';
import { listenAddress, PortalSettings, type RunningPortal, startPortal } from '@evidentia/portal';
import { verifyStarter } from './serve-verify.js';
import type { Wrap } from './wrap.js';

interface DaemonFlags {
  config?: string;
  logLevel: string;
  serve?: string;
}

export function registerDaemon(program: Command, wrap: Wrap): void {
  program
    .command('daemon')
    .description('collect on the configured schedules until stopped (SIGTERM/SIGINT); one daemon per locker')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .option('--serve <host:port>', 'also serve the read-only portal (as `evidentia serve`) on this address; its /health is the daemon\'s')
    .action(
      wrap(async (flags: DaemonFlags) => {
        if (!LOG_LEVELS.includes(flags.logLevel as LogLevel)) throw new UsageError(`--log-level expects one of ${LOG_LEVELS.join(', ')}, got "${flags.logLevel}"`);
        // A mistyped address is said before the daemon takes the locker.
        if (flags.serve !== undefined) listenAddress(flags.serve, '--serve');
        const config = await requireConfig(flags);
        if (config.instances.every((instance) => instance.streams.length === 0)) throw new UsageError(`${config.file} enables no stream: nothing to schedule`);
        const locker = await openLockerFor({ locker: config.lockerDir, config: config.file }, 'write');
        const log = createDaemonLogger(flags.logLevel as LogLevel);
        // Keeps the process alive even when no timer is pending (a schedule that never fires again).
        const keepAlive = setInterval(() => {}, 1 << 30);
        // Taken before anything starts: the first run begins as the daemon starts, and a signal while the portal
        // is still starting (or the daemon itself) would otherwise end the process mid-run with no stop at all.
        let stopSignal: NodeJS.Signals | null = null;
        let stopRequested = () => {};
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          stopSignal = signal;
          stopRequested();
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
        try {
          const daemon = await startDaemon({ config, locker, clock: systemClock, log, notifier: createNotifier(config.notifications, log) });
          let portal: RunningPortal | null = null;
          if (flags.serve !== undefined && stopSignal === null) {
            try {
              portal = await startPortal({ locker, config, settings: config.portal ?? PortalSettings.parse({}), listen: flags.serve, listenOption: '--serve', health: daemon.health, log: (line) => log.warn(line),
                verify: verifyStarter(config.lockerDir, config.file),
                // Batches of the portal's audit log wait while a run holds the writer lock (AuditLog retries).
                portalLog: (events) => locker.appendPortalLog(events),
              });
            } catch (error) {
              await daemon.stop('the portal could not start');
              throw error;
            }
            log.info('portal started', { url: portal.url, secureCookies: portal.secureCookies });
          }
          await new Promise<void>((resolve) => {
            stopRequested = resolve;
            if (stopSignal !== null) resolve();
          });
          await portal?.close();
          await daemon.stop(`daemon stopping (${String(stopSignal)})`);
          return 0;
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          clearInterval(keepAlive);
          await locker.close();
        }
      }),
    );
}
