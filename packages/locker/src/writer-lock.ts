/**
 * The single-writer lock, `<locker>/writer.lock`: it names the pid and run of
 * the process writing, so a second collector gets a clear refusal, and so a
 * run left without a manifest can be told apart: still running (the named pid
 * is alive) or interrupted (the process died, the lock is stale).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LockerError } from './errors.js';

export interface LockHolder {
  pid: number;
  runId: string;
}

/** Runs this process holds a lock for, so a pid reused after a restart (pid 1 in a container) is not mistaken for a live writer. */
const heldHere = new Set<string>();

function lockPath(dir: string): string {
  return join(dir, 'writer.lock');
}

function readHolder(dir: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(lockPath(dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid === 'number' && typeof parsed.runId === 'string') return { pid: parsed.pid, runId: parsed.runId };
  } catch {
    // A lock file cut short by a kill while it was written: nobody holds it.
  }
  return { pid: 0, runId: '(unreadable lock)' };
}

function isAlive(dir: string, holder: LockHolder): boolean {
  if (holder.pid <= 0) return false;
  if (holder.pid === process.pid) return heldHere.has(`${lockPath(dir)}\n${holder.runId}`);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The writer currently holding the lock, if its process is alive. */
export function liveWriter(dir: string): LockHolder | null {
  const holder = readHolder(dir);
  return holder && isAlive(dir, holder) ? holder : null;
}

/** Take the lock for a run, replacing a stale lock; refuse if a live writer holds it. */
export function acquireWriterLock(dir: string, runId: string): void {
  const path = lockPath(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(dir);
      if (holder && isAlive(dir, holder)) {
        throw new LockerError(`locker ${dir} is being written by pid ${holder.pid} (run ${holder.runId}); wait for it to finish`);
      }
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, runId }));
    } finally {
      closeSync(fd);
    }
    heldHere.add(`${path}\n${runId}`);
    return;
  }
  throw new LockerError(`could not take the writer lock ${path}: other writers keep replacing it`);
}

/** Release the lock if it is still this run's. */
export function releaseWriterLock(dir: string, runId: string): void {
  heldHere.delete(`${lockPath(dir)}\n${runId}`);
  const holder = readHolder(dir);
  if (holder?.pid === process.pid && holder.runId === runId) unlinkSync(lockPath(dir));
}
