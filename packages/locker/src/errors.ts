/**
 * One error class for everything the locker refuses or cannot do, so the CLI
 * can tell a locker problem (exit 2 with a clear message) from a bug.
 */

export class LockerError extends Error {
  override name = 'LockerError';
}
