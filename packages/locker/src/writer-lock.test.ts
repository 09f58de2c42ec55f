import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockerBusyError } from './errors.js';
import { acquireWriterLock, acquireWriterLockForRun, BRIEF_HOLDER, liveWriter, releaseWriterLock } from './writer-lock.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const lockerDir = () => (dir = mkdtempSync(join(tmpdir(), 'evidentia-writer-lock-')));

describe("a run taking the locker's writer lock", () => {
  it('waits for a brief holder (an entry append such as a portal-log batch) and then takes the lock', async () => {
    const at = lockerDir();
    const brief = `${BRIEF_HOLDER}portal-log-0001`;
    acquireWriterLock(at, brief);
    setTimeout(() => releaseWriterLock(at, brief), 200);
    await acquireWriterLockForRun(at, 'run-2', 5_000);
    expect(liveWriter(at)?.runId).toBe('run-2');
    releaseWriterLock(at, 'run-2');
  });

  it('is refused at once while another run holds the lock', async () => {
    const at = lockerDir();
    acquireWriterLock(at, 'run-1');
    // A wait longer than the test's own timeout: only an immediate refusal lets this test finish.
    await expect(acquireWriterLockForRun(at, 'run-2', 3_600_000)).rejects.toThrow(LockerBusyError);
    expect(liveWriter(at)?.runId).toBe('run-1');
    releaseWriterLock(at, 'run-1');
  });

  it('is refused, naming the holder, when a brief holder keeps the lock past the wait', async () => {
    const at = lockerDir();
    const brief = `${BRIEF_HOLDER}document-add-0002`;
    acquireWriterLock(at, brief);
    await expect(acquireWriterLockForRun(at, 'run-2', 300)).rejects.toThrow(brief);
    expect(liveWriter(at)?.runId).toBe(brief);
    releaseWriterLock(at, brief);
  });
});
