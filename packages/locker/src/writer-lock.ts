/**
 * The single-writer lock, `<locker>/writer.lock`: it names the pid and run of
 * the process writing, so a second collector gets a clear refusal, and so a
 * run left without a manifest can be told apart: still running (the named pid
 * is alive) or interrupted (the process died, the lock is stale).
 */
import { join } from 'node:path';
import { LockerBusyError } from './errors.js';
import { acquirePidLock, livePidLock, releasePidLock } from './pid-lock.js';

export interface LockHolder {
  pid: number;
  runId: string;
}

const lockPath = (dir: string) => join(dir, 'writer.lock');

/** The writer currently holding the lock, if its process is alive. */
export function liveWriter(dir: string): LockHolder | null {
  const holder = livePidLock(lockPath(dir));
  return holder ? { pid: holder.pid, runId: holder.id } : null;
}

/** Take the lock for a run, replacing a stale lock; refuse if a live writer holds it. */
export function acquireWriterLock(dir: string, runId: string): void {
  acquirePidLock(lockPath(dir), { id: runId }, (holder) => new LockerBusyError(dir, { pid: holder.pid, runId: holder.id }));
}

/**
 * Lock ids of brief holders: an entry append (a document, an acceptance, a
 * review decision, a batch of the portal's audit log) holds the lock for
 * milliseconds, so a run that meets one waits for it instead of failing.
 */
export const BRIEF_HOLDER = 'entry:';

/** How long a run waits for brief holders before it is refused (a run holding the lock is never waited for). */
const BRIEF_WAIT_MS = 10_000;

/** Take the lock for a run, waiting while brief holders (entry appends) hold it; refuse a run's lock at once. */
export async function acquireWriterLockForRun(dir: string, runId: string, waitMs = BRIEF_WAIT_MS): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      acquireWriterLock(dir, runId);
      return;
    } catch (error) {
      if (!(error instanceof LockerBusyError) || !error.holder.runId.startsWith(BRIEF_HOLDER) || Date.now() >= until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Release the lock if it is still this run's. */
export function releaseWriterLock(dir: string, runId: string): void {
  releasePidLock(lockPath(dir), runId);
}
