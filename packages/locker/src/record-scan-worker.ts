/**
 * A worker thread of `verify`'s record pass (verify-records.ts): it opens
 * the locker's database read-only on its own connection, scans the rowid
 * range it was given with the main thread's own code (record-scan.ts) and
 * answers with what it found, so both cores check record rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HolderRanges } from './first-holders.js';
import { openDatabase, type OpenDatabaseOptions } from './schema.js';
import { scanRecordRange } from './record-scan.js';

const { path, access, from, to, holders } = workerData as { path: string; access: OpenDatabaseOptions; from: number; to: number; holders: HolderRanges };
const db = openDatabase(path, { ...access, readonly: true });
try {
  const scan = scanRecordRange(db, from, to, holders);
  parentPort!.postMessage(scan, scan.groups.map((group) => group.packed.buffer as ArrayBuffer));
} finally {
  db.close();
}
