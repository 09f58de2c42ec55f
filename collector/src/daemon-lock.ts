/**
 * One daemon per locker: `<locker>/daemon.lock` names the pid (and start
 * time and host) of the daemon running on it, so a second daemon refuses with
 * a clear message instead of doubling every collection, and `status` and
 * `collect` can say that a daemon is at work. A lock whose process is gone is
 * stale and replaced (the same pid lock as the locker's writer lock).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock, livePidLock, releasePidLock } from '@evidentia/locker';
import { UsageError } from '@evidentia/audit/errors';

export interface DaemonHolder {
  pid: number;
  startedAt: string;
  host: string;
}

const daemonLockPath = (lockerDir: string) => join(lockerDir, 'daemon.lock');
/** The id this process's daemon holds the lock under, so release matches only its own holding. */
let heldId: string | null = null;

/** The daemon running on this locker, if any (judged by its pid, like the writer lock: one machine per locker directory). */
export function liveDaemon(lockerDir: string): DaemonHolder | null {
  const holder = livePidLock(daemonLockPath(lockerDir));
  return holder ? { pid: holder.pid, startedAt: String(holder.startedAt ?? ''), host: String(holder.host ?? '') } : null;
}

/** Take the daemon lock; throws UsageError naming the running daemon when there is one. */
export function acquireDaemonLock(lockerDir: string, startedAt: Date): void {
  const path = daemonLockPath(lockerDir);
  const id = `${startedAt.toISOString()}/${process.pid}`;
  acquirePidLock(path, { id, startedAt: startedAt.toISOString(), host: hostname() }, (holder) => {
    const host = typeof holder.host === 'string' && holder.host ? ` on ${holder.host}` : '';
    const since = typeof holder.startedAt === 'string' ? `, started ${holder.startedAt}` : '';
    return new UsageError(`another evidentia daemon (pid ${holder.pid}${host}${since}) is running on the locker ${lockerDir}; one daemon per locker: stop it first, or remove ${path} if that process is gone`);
  });
  heldId = id;
}

/** Release the lock if this process holds it. */
export function releaseDaemonLock(lockerDir: string): void {
  if (heldId === null) return;
  releasePidLock(daemonLockPath(lockerDir), heldId);
  heldId = null;
}
