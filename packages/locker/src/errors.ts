/**
 * One error class for everything the locker refuses or cannot do, so the CLI
 * can tell a locker problem (exit 2 with a clear message) from a bug.
 */

export class LockerError extends Error {
  override name = 'LockerError';
}

/** No custody holds the private key of the locker's signing key: the locker can be read and verified, not signed with (a copy for reading). */
export class NoPrivateKeyError extends LockerError {}

/**
 * A write to the locker failed part-way (a full disk, a file-size limit, a
 * failing device): not a refusal but work that ran and failed, so the CLI
 * exits 1 with this message. What the run wrote was rolled back.
 */
export class LockerWriteError extends Error {
  override name = 'LockerWriteError';
}

/** Whether SQLite could not write (its disk full, an I/O error), as opposed to refusing a statement. */
export function isSqliteWriteFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
}

/** Another live process holds the locker's writer lock: nothing was written, and the holder is named. */
export class LockerBusyError extends LockerError {
  override name = 'LockerBusyError';
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; runId: string },
  ) {
    super(`locker ${dir} is being written by pid ${holder.pid} (run ${holder.runId}); wait for it to finish`);
  }
}

/** An object the locker names is missing from objects/, cannot be read, or does not hash to its name: the locker fails verification there, and its bytes are never handed out. */
export class LockerObjectError extends LockerError {
  override name = 'LockerObjectError';
  constructor(
    readonly hash: string,
    readonly state: 'missing' | 'altered' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}
