/**
 * The message a one-off `collect` gets when the daemon is writing to the
 * locker. The locker's writer lock already refuses a second writer; this
 * names the daemon as the writer and says what to do. A collect started while
 * the daemon is idle simply runs (the daemon's next run then waits for it).
 */
import { LockerError } from '@evidentia/locker';
import { UsageError } from '@evidentia/audit';
import { liveDaemon } from './daemon-lock.js';

/** `error` from beginRun, as a UsageError naming the daemon when one runs on this locker (in another process); else unchanged. */
export function explainBusyLocker(lockerDir: string, error: unknown): unknown {
  if (!(error instanceof LockerError)) return error;
  const daemon = liveDaemon(lockerDir);
  if (!daemon || daemon.pid === process.pid) return error;
  return new UsageError(
    `${error.message}. The evidentia daemon (pid ${daemon.pid}) runs on this locker and is collecting right now; ` +
      'nothing was collected: run again once its run has finished (`evidentia status` shows it), or let the daemon collect on its schedule',
  );
}
