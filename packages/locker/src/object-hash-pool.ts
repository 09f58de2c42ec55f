/**
 * Re-hashing every object for `verify`, on all cores: a locker whose objects
 * are few and small has them read in this thread (a worker takes about half
 * a second to start from source, more than hashing them); beyond that,
 * worker threads (object-hash-worker.ts) read batches of objects while
 * this thread hands out the next, and results come back in the order the
 * objects were listed, so the report reads the same whatever the timing.
 * At most two batches per worker are in flight: memory holds no list of
 * every object.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LoadedObject, ObjectStore } from './objects.js';

/** What reading one object found; `bytes` is the length of its content when it is intact. */
export type ObjectCheck = { hash: string; bytes: number } & ({ state: 'ok' } | Exclude<LoadedObject, { state: 'ok' }>);

export interface PoolOptions {
  /** Worker threads; 0 reads every object in this thread. Default: one per core, once the objects are more than `from` or weigh more than `fromBytes`. */
  threads?: number;
  /** The number of objects from which workers are started (default 4,096). */
  from?: number;
  /** The bytes on disk from which workers are started (default 32 MiB). */
  fromBytes?: number;
}

const BATCH = 32;

function sizeOnDisk(objects: ObjectStore, hash: string): number {
  try {
    return statSync(objects.path(hash)).size;
  } catch {
    // Gone since it was listed: reading it will say so.
    return 0;
  }
}

/** Read and re-hash one object in this thread (a worker calls this too). */
export function checkObject(objects: ObjectStore, hash: string): ObjectCheck {
  const loaded = objects.load(hash);
  return loaded.state === 'ok' ? { hash, state: 'ok', bytes: loaded.bytes.length } : { hash, ...loaded, bytes: 0 };
}

/** The worker module beside this one: from source, through an entry that registers tsx in the worker; compiled, the worker itself. */
function startWorker(root: string): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './object-hash-worker-source.mjs' : './object-hash-worker.js', import.meta.url);
  return new Worker(url, { workerData: { root }, execArgv: fromSource ? ['--conditions=source'] : [] });
}

/** Check every listed object hash, yielding results in list order. */
export async function* checkAllObjects(objects: ObjectStore, hashes: Iterable<string>, options: PoolOptions = {}): AsyncGenerator<ObjectCheck> {
  const from = options.from ?? 4096;
  const fromBytes = options.fromBytes ?? 32 * 2 ** 20;
  const threads = options.threads ?? availableParallelism();
  const iterator = hashes[Symbol.iterator]();
  const head: string[] = [];
  let headBytes = 0;
  for (let next = threads > 0 ? iterator.next() : null; next && !next.done; next = iterator.next()) {
    head.push(next.value);
    headBytes += sizeOnDisk(objects, next.value);
    if (head.length > from || headBytes > fromBytes) {
      yield* pooled(objects.root, [head, iterator], threads);
      return;
    }
  }
  for (const hash of head) yield checkObject(objects, hash);
  for (let next = iterator.next(); !next.done; next = iterator.next()) yield checkObject(objects, next.value);
}

async function* pooled(root: string, [head, rest]: [string[], Iterator<string>], threads: number): AsyncGenerator<ObjectCheck> {
  const takeBatch = (): string[] => {
    const batch = head.splice(0, BATCH);
    for (let next = batch.length < BATCH ? rest.next() : null; next && !next.done; next = batch.length < BATCH ? rest.next() : null) batch.push(next.value);
    return batch;
  };
  const workers = Array.from({ length: threads }, () => startWorker(root));
  const done = new Map<number, ObjectCheck[]>();
  let sent = 0;
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let closing = false;
  const send = (worker: Worker) => {
    const hashes = takeBatch();
    if (hashes.length > 0) worker.postMessage({ batch: sent++, hashes });
  };
  for (const worker of workers) {
    worker.on('message', ({ batch, results }: { batch: number; results: ObjectCheck[] }) => {
      done.set(batch, results);
      send(worker);
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
    // A worker that ends on its own (killed, out of memory) would otherwise leave verify waiting for its batches.
    worker.on('exit', (code) => {
      if (closing) return;
      failure ??= new Error(`it exited with code ${code}`);
      wake?.();
    });
    send(worker);
    send(worker);
  }
  try {
    for (let next = 0; next < sent; next++) {
      while (!done.has(next)) {
        if (failure) throw new Error(`an object-hashing worker of verify failed: ${(failure as Error).message}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
      yield* done.get(next)!;
      done.delete(next);
    }
  } finally {
    closing = true;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
