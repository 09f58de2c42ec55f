/**
 * One daemon per locker: `<locker>/daemon.lock` names the pid (and start
 * time and host) of the daemon running on it, so a second daemon refuses with
 * a clear message instead of doubling every collection, and `status` and
 * `collect` can say that a daemon is at work. It also names the config file
 * the daemon read and a hash of its bytes, so `status` can tell when the file
 * was edited since (the daemon keeps what it read at start). A lock whose
 * process is gone is stale and replaced (the same pid lock as the locker's
 * writer lock).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock, livePidLock, releasePidLock } from '@evidentia/locker';
import { UsageError } from '@evidentia/audit/errors';

export interface DaemonHolder {
  pid: number;
  startedAt: string;
  host: string;
  /** The config file the daemon read at start, and the SHA-256 of its bytes then (null: unknown, e.g. a daemon of an older version). */
  config: string | null;
  configHash: string | null;
}

/** The SHA-256 of a config file's bytes, or null when it cannot be read. */
export function configFileHash(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

const daemonLockPath = (lockerDir: string) => join(lockerDir, 'daemon.lock');
/** The id this process's daemon holds the lock under, so release matches only its own holding. */
let heldId: string | null = null;

/** The daemon running on this locker, if any (judged by its pid, like the writer lock: one machine per locker directory). */
export function liveDaemon(lockerDir: string): DaemonHolder | null {
  const holder = livePidLock(daemonLockPath(lockerDir));
  if (!holder) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return { pid: holder.pid, startedAt: String(holder.startedAt ?? ''), host: String(holder.host ?? ''), config: text(holder.config), configHash: text(holder.configHash) };
}

/** Take the daemon lock; throws UsageError naming the running daemon when there is one. */
export function acquireDaemonLock(lockerDir: string, startedAt: Date, config?: { file: string; hash: string | null }): void {
  const path = daemonLockPath(lockerDir);
  const id = `${startedAt.toISOString()}/${process.pid}`;
  const read = config ? { config: config.file, configHash: config.hash } : {};
  acquirePidLock(path, { id, startedAt: startedAt.toISOString(), host: hostname(), ...read }, (holder) => {
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
