/**
 * The message a one-off `collect` gets when another process is writing to
 * the locker. The locker's writer lock already refuses a second writer; this
 * makes the refusal a usage error (exit 2: nothing was collected) and, when
 * the writer is the daemon, names it and says what to do. A collect started
 * while the daemon is idle simply runs (the daemon's next run then waits for it).
 */
import { LockerBusyError } from '@evidentia/locker';
import { UsageError } from '@evidentia/audit';
import { liveDaemon } from './daemon-lock.js';

/** `error` from beginRun, as a UsageError naming the writer when the lock is held by another process; else unchanged. */
export function explainBusyLocker(lockerDir: string, error: unknown): unknown {
  if (!(error instanceof LockerBusyError)) return error;
  const daemon = liveDaemon(lockerDir);
  if (daemon?.pid === process.pid) return error;
  if (!daemon) return new UsageError(`${error.message}; nothing was collected: run again once it has finished`);
  return new UsageError(
    `${error.message}. The evidentia daemon (pid ${daemon.pid}) runs on this locker and is collecting right now; ` +
      'nothing was collected: run again once its run has finished (`evidentia status` shows it), or let the daemon collect on its schedule',
  );
}
