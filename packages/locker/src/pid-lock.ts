/**
 * A lock file naming the process that holds it: created with O_EXCL, judged
 * stale when its process is gone (a kill leaves the file behind), replaced
 * then. The locker's single-writer lock and the daemon's one-daemon-per-locker
 * lock are both this; only their messages differ.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** What a lock file records: the pid, an id unique to the holding (a run, a daemon start), and anything worth printing. */
export interface PidLockHolder {
  pid: number;
  id: string;
  [detail: string]: unknown;
}

/** Locks this process holds, by path and id: a pid reused after a restart (pid 1 in a container) is not mistaken for a live holder. */
const heldHere = new Set<string>();
const heldKey = (path: string, id: string) => `${path}\n${id}`;

/** The holder named in the lock file; an unreadable file (cut short by a kill) names nobody alive. */
export function readPidLock(path: string): PidLockHolder | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<PidLockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.id === 'string') return parsed as PidLockHolder;
  } catch {
    // A lock file cut short while it was written.
  }
  return { pid: 0, id: '(unreadable lock)' };
}

function isAlive(path: string, holder: PidLockHolder): boolean {
  if (holder.pid <= 0) return false;
  if (holder.pid === process.pid) return heldHere.has(heldKey(path, holder.id));
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder of the lock, if its process is alive. */
export function livePidLock(path: string): PidLockHolder | null {
  const holder = readPidLock(path);
  return holder && isAlive(path, holder) ? holder : null;
}

/**
 * Take the lock for `holder`, replacing a stale one. When a live process
 * holds it, throws what `busy` makes of that holder.
 */
export function acquirePidLock(path: string, holder: { id: string } & Record<string, unknown>, busy: (current: PidLockHolder) => Error): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readPidLock(path);
      if (current && isAlive(path, current)) throw busy(current);
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ ...holder, pid: process.pid }));
    } finally {
      closeSync(fd);
    }
    heldHere.add(heldKey(path, holder.id));
    return;
  }
  throw busy(readPidLock(path) ?? { pid: 0, id: '(others keep replacing the lock)' });
}

/** Release the lock if this process holds it under `id`. */
export function releasePidLock(path: string, id: string): void {
  heldHere.delete(heldKey(path, id));
  const holder = readPidLock(path);
  if (holder?.pid === process.pid && holder.id === id) unlinkSync(path);
}
