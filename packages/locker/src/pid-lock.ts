/**
 * A lock file naming the process that holds it, judged stale when its
 * process is gone (a kill leaves the file behind), replaced then. Where the
 * system says when a process started (Linux), the lock records that too, so
 * a lock left by a power cut is stale after the restart even when its pid
 * now names another process: otherwise that process would hold the locker
 * for as long as it lives, and every collection would be refused. The
 * locker's single-writer lock and the daemon's one-daemon-per-locker lock are
 * both this; only their messages differ.
 *
 * Two races are closed, since several processes may start at once beside a
 * stale lock (a daemon restarted by its supervisor and a cron `collect`):
 * - a lock is created whole, written to a file of its own first and then
 *   hard-linked to its name (which fails when the name exists), so nobody
 *   reads a lock that exists but names no one yet and takes it for stale;
 * - a stale lock is removed only under a second lock (`<lock>.break`), after
 *   reading it again there, so a process that judged the old holder dead
 *   cannot remove the lock another process has just taken in its place.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** What a lock file records: the pid, an id unique to the holding (a run, a daemon start), and anything worth printing. */
export interface PidLockHolder {
  pid: number;
  id: string;
  /** The machine's boot and the holder's start in it, where the system says (processStartOf). */
  process?: string;
  [detail: string]: unknown;
}

/** Locks this process holds, by path and id: a pid reused after a restart (pid 1 in a container) is not mistaken for a live holder. */
const heldHere = new Set<string>();
const heldKey = (path: string, id: string) => `${path}\n${id}`;

/** This boot of the machine and when `pid` started in it (Linux's /proc); null where the system does not say. */
function processStartOf(pid: number): string | null {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, the start time in clock ticks since boot, counted after the command name (which may hold spaces and parentheses).
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return boot && start ? `${boot}/${start}` : null;
  } catch {
    return null;
  }
}

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
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use; by the holder only if it is the process that started when the lock says (a lock without one is taken at its word).
  if (typeof holder.process !== 'string') return true;
  const now = processStartOf(holder.pid);
  return now === null || now === holder.process;
}

/** The holder of the lock, if its process is alive. */
export function livePidLock(path: string): PidLockHolder | null {
  const holder = readPidLock(path);
  return holder && isAlive(path, holder) ? holder : null;
}

/** Removes a file, if it is still there. */
function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Creates `path` holding `content` in one step; false when it exists. */
function createWhole(path: string, content: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkIfThere(temp);
  }
}

const sameHolder = (a: PidLockHolder, b: PidLockHolder) => a.pid === b.pid && a.id === b.id;

/**
 * Removes the lock at `path` that was read as `judged` and found stale, if it
 * still is that lock: `removed` (or it was gone), `changed` (another holder
 * took it meanwhile; it stays), or `busy` (another process is breaking it).
 */
export function breakStaleLock(path: string, judged: PidLockHolder): 'removed' | 'changed' | 'busy' {
  const breaker = `${path}.break`;
  const mine: PidLockHolder = { pid: process.pid, id: `break-${randomBytes(8).toString('hex')}` };
  if (!createWhole(breaker, JSON.stringify(mine))) {
    const other = readPidLock(breaker);
    // A breaker whose process died while it held it (a kill between two file operations): removed if unchanged.
    if (other && !isAlive(breaker, other) && sameHolder(readPidLock(breaker) ?? mine, other)) unlinkIfThere(breaker);
    return 'busy';
  }
  try {
    const now = readPidLock(path);
    if (now === null) return 'removed';
    if (!sameHolder(now, judged) || isAlive(path, now)) return 'changed';
    unlinkIfThere(path);
    return 'removed';
  } finally {
    const holder = readPidLock(breaker);
    if (holder && sameHolder(holder, mine)) unlinkIfThere(breaker);
  }
}

/** Waits synchronously (the lock is taken by synchronous code). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How often a process tries before it gives up, while others keep taking, breaking or replacing the lock. */
const ATTEMPTS = 200;

/**
 * Take the lock for `holder`, replacing a stale one. When a live process
 * holds it, throws what `busy` makes of that holder.
 */
export function acquirePidLock(path: string, holder: { id: string } & Record<string, unknown>, busy: (current: PidLockHolder) => Error): void {
  const start = processStartOf(process.pid);
  const content = JSON.stringify({ ...holder, pid: process.pid, ...(start ? { process: start } : {}) });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createWhole(path, content)) {
      heldHere.add(heldKey(path, holder.id));
      return;
    }
    const current = readPidLock(path);
    if (current === null) continue;
    if (isAlive(path, current)) throw busy(current);
    if (breakStaleLock(path, current) === 'busy') pause(5);
  }
  throw busy(readPidLock(path) ?? { pid: 0, id: '(others keep replacing the lock)' });
}

/** Release the lock if this process holds it under `id`. */
export function releasePidLock(path: string, id: string): void {
  heldHere.delete(heldKey(path, id));
  const holder = readPidLock(path);
  if (holder?.pid === process.pid && holder.id === id) unlinkSync(path);
}
