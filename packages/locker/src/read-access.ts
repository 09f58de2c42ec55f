/**
 * How a locker opened for reading (verify, records, runs, the judging
 * commands) reaches its database. Reading never writes: the connection is
 * read-only. Where this process may write the directory, SQLite keeps its
 * WAL index beside the database as usual; where it may not (an auditor's
 * WORM copy, a read-only mount, another user's locker) SQLite could not
 * create that index, so the file is read immutable, as the fixed file it is.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockerError } from './errors.js';
import type { OpenDatabaseOptions } from './schema.js';

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The open options for reading `dbPath`: read-only, and immutable when its directory or files are not writable here. */
export function readAccessOf(dbPath: string): OpenDatabaseOptions {
  const companions = [`${dbPath}-wal`, `${dbPath}-shm`].filter((path) => existsSync(path));
  if ([dirname(dbPath), dbPath, ...companions].every(writable)) return { readonly: true };
  const wal = `${dbPath}-wal`;
  // Immutable reading ignores the WAL: runs committed there and not yet copied into the database would silently vanish.
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new LockerError(`${wal} holds writes not yet folded into locker.db, and without write access to ${dirname(dbPath)} they cannot be read: copy the locker (all its files) somewhere writable and read the copy`);
  }
  return { readonly: true, immutable: true };
}
