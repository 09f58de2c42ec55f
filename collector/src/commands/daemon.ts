/**
 * `evidentia daemon`: collect on the configured schedules until SIGTERM or
 * SIGINT, then stop taking work, let the run in progress roll back (the
 * locker records it as interrupted; the next start catches up) and exit 0.
 * Logs are pino JSON lines on stdout. One daemon per locker.
 */
import type { Command } from 'commander';
import { openLockerFor, requireConfig } from '../context.js';
import { systemClock } from '@evidentia/time';
import { startDaemon } from '../daemon/daemon.js';
import { createDaemonLogger, LOG_LEVELS, type LogLevel } from '../daemon/logger.js';
import { UsageError } from '@evidentia/audit';
import { createNotifier } from '../notify/index.js';
import type { Wrap } from './wrap.js';

interface DaemonFlags {
  config?: string;
  logLevel: string;
}

export function registerDaemon(program: Command, wrap: Wrap): void {
  program
    .command('daemon')
    .description('collect on the configured schedules until stopped (SIGTERM/SIGINT); one daemon per locker')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`, 'info')
    .action(
      wrap(async (flags: DaemonFlags) => {
        if (!LOG_LEVELS.includes(flags.logLevel as LogLevel)) throw new UsageError(`--log-level expects one of ${LOG_LEVELS.join(', ')}, got "${flags.logLevel}"`);
        const config = await requireConfig(flags);
        if (config.instances.every((instance) => instance.streams.length === 0)) throw new UsageError(`${config.file} enables no stream: nothing to schedule`);
        const locker = await openLockerFor({ locker: config.lockerDir, config: config.file }, 'write');
        const log = createDaemonLogger(flags.logLevel as LogLevel);
        // Keeps the process alive even when no timer is pending (a schedule that never fires again).
        const keepAlive = setInterval(() => {}, 1 << 30);
        try {
          const daemon = await startDaemon({ config, locker, clock: systemClock, log, notifier: createNotifier(config.notifications, log) });
          await new Promise<void>((resolve) => {
            const onSignal = (signal: NodeJS.Signals) => {
              process.off('SIGTERM', onSignal);
              process.off('SIGINT', onSignal);
              void daemon.stop(`daemon stopping (${signal})`).then(resolve);
            };
            process.on('SIGTERM', onSignal);
            process.on('SIGINT', onSignal);
          });
          return 0;
        } finally {
          clearInterval(keepAlive);
          await locker.close();
        }
      }),
    );
}
