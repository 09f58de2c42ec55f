/**
 * Structured logs for the daemon: pino JSON lines on stdout (journald and
 * container runtimes collect stdout), one line per event with its fields, in
 * the SDK's Logger shape so the runner and connectors log through it too.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Logger } from '@evidentia/sdk';
import { scrubSecrets, scrubSecretsIn } from '../config/known-secrets.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DaemonLogger extends Logger {
  /** Write out anything buffered (before the process exits). */
  flush(): void;
}

export function createDaemonLogger(level: LogLevel, destination?: DestinationStream): DaemonLogger {
  const base: PinoLogger = pino({ name: 'evidentia-daemon', level, base: { pid: process.pid } }, destination ?? pino.destination({ dest: 1, sync: true }));
  return {
    // A failed run's reason or a retry's error may echo a credential: every resolved secret is scrubbed first.
    debug: (message, fields) => base.debug(scrubSecretsIn(fields ?? {}), scrubSecrets(message)),
    info: (message, fields) => base.info(scrubSecretsIn(fields ?? {}), scrubSecrets(message)),
    warn: (message, fields) => base.warn(scrubSecretsIn(fields ?? {}), scrubSecrets(message)),
    error: (message, fields) => base.error(scrubSecretsIn(fields ?? {}), scrubSecrets(message)),
    flush: () => base.flush(),
  };
}
