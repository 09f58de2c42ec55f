/**
 * A worker thread of `verify`'s object check (object-hash-pool.ts): it reads
 * and re-hashes the objects it is sent, exactly as the object store reads
 * them, and answers with what it found, so both cores hash objects.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ObjectStore } from './objects.js';
import { checkObject } from './object-hash-pool.js';

const store = new ObjectStore((workerData as { root: string }).root);
parentPort!.on('message', ({ batch, hashes }: { batch: number; hashes: string[] }) => {
  parentPort!.postMessage({ batch, results: hashes.map((hash) => checkObject(store, hash)) });
});
