/**
 * A locker worker's thread (started by worker-pool.ts from the compiled
 * dist/locker-worker.js): it opens the locker read-only on its own
 * connection and runs one LockerWork operation at a time, answering each
 * message `{ id, op, args }` with `{ id, result }` or `{ id, error }`. Work
 * here leaves the server's event loop free for sign-in, health and pages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type AuditConfig, UsageError } from '@evidentia/audit';
import { LockerObjectError, openLocker } from '@evidentia/locker';
import { LockerWork } from './locker-work.js';

export interface WorkerStart {
  lockerDir: string;
  config: AuditConfig;
  /** For tests (PoolOptions.judgeGate): a judgement blocks this thread until the gate's first Int32 is non-zero. */
  judgeGate?: SharedArrayBuffer;
}

export interface WorkRequest {
  id: number;
  op: keyof LockerWork;
  args: unknown[];
}

/**
 * `usage`: the error was a UsageError (a sample larger than its population...), which a page answers 400;
 * `object`: a LockerObjectError's object (a page answers 409 naming it). Structured clone keeps only an error's message.
 */
export type WorkAnswer = { id: number; result: unknown } | { id: number; error: string; usage: boolean; object?: { hash: string; state: LockerObjectError['state'] } };

const port = parentPort!;
const { lockerDir, config, judgeGate } = workerData as WorkerStart;
const work = openLocker(lockerDir, { readonly: true }).then((locker) => LockerWork.create(locker, config));
let queue: Promise<unknown> = Promise.resolve();

port.on('message', ({ id, op, args }: WorkRequest) => {
  // One operation at a time: better-sqlite3 refuses a query while another's rows are still being read on the connection.
  queue = queue.then(async () => {
    try {
      const target = await work;
      if (op === 'judge' && judgeGate) Atomics.wait(new Int32Array(judgeGate), 0, 0);
      const method = target[op] as (...given: unknown[]) => Promise<unknown>;
      port.postMessage({ id, result: await method.apply(target, args) } satisfies WorkAnswer);
    } catch (error) {
      const object = error instanceof LockerObjectError ? { hash: error.hash, state: error.state } : undefined;
      port.postMessage({ id, error: (error as Error).message ?? String(error), usage: error instanceof UsageError, ...(object ? { object } : {}) } satisfies WorkAnswer);
    }
  });
});
