/**
 * A worker thread of `verify`'s record pass (verify-records.ts): it opens
 * the locker's database read-only on its own connection, takes chunks of
 * rows from the counter it shares with the main thread (so whichever thread
 * is faster scans more), scans them with the main thread's own code
 * (record-scan.ts) and answers once with what it found.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type OpenDatabaseOptions } from './schema.js';
import { scanChunks, type ChunkPlan } from './record-scan.js';

const { path, access, plan, counter } = workerData as { path: string; access: OpenDatabaseOptions; plan: ChunkPlan; counter: SharedArrayBuffer };
const taken = new Int32Array(counter);
const db = openDatabase(path, { ...access, readonly: true });
try {
  const scan = scanChunks(db, plan, () => Atomics.add(taken, 0, 1));
  parentPort!.postMessage(scan, scan.groups.map((group) => group.packed.buffer as ArrayBuffer));
} finally {
  db.close();
}
