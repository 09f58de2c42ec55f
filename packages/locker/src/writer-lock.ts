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

/** Release the lock if it is still this run's. */
export function releaseWriterLock(dir: string, runId: string): void {
  releasePidLock(lockPath(dir), runId);
}
