/**
 * The locker workers (locker-worker.ts): one thread by default, two at
 * most, each with its own read-only connection, taking the next operation
 * when free. A worker that dies fails the operation it was running with
 * WorkerGone (the page answers 503) and is replaced at the next operation;
 * nothing waits on a dead thread. The worker is started from the compiled
 * dist/locker-worker.js: from dist (production) beside this file, from the
 * sources (jest, tsx) the package's built dist. Where there is none (sources
 * never built), the same operations run on this thread, one at a time.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Locker, LockerObjectError } from '@evidentia/locker';
import { type AuditConfig, UsageError } from '@evidentia/audit';
import { LockerWork } from './locker-work.js';
import type { WorkAnswer, WorkerStart } from './locker-worker.js';

export type Operation = keyof LockerWork;

/** The locker work was lost with its thread: said to the user as 503, try again. */
export class WorkerGone extends Error {}

export interface LockerRunner {
  run<T>(op: Operation, args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Worker threads, 1 (default) or 2. */
  threads?: number;
  /** The worker script; default: the compiled locker-worker.js (null: run on this thread). */
  script?: URL | null;
  /** For tests: a judgement waits, blocking its thread, until the first Int32 of this buffer is non-zero. */
  judgeGate?: SharedArrayBuffer;
}

/** The compiled worker script, or null when only the sources exist. */
export function compiledWorker(): URL | null {
  const here = import.meta.url;
  const script = here.endsWith('.js') ? new URL('./locker-worker.js', here) : new URL('../dist/locker-worker.js', here);
  return existsSync(fileURLToPath(script)) ? script : null;
}

interface Task {
  id: number;
  op: Operation;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

class WorkerPool implements LockerRunner {
  private readonly slots: Slot[] = [];
  private readonly waiting: Task[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly script: URL,
    private readonly start: WorkerStart,
    private readonly threads: number,
  ) {}

  run<T>(op: Operation, args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerGone('the portal is closing'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, op, args, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new WorkerGone('the portal is closing'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.slots.find((candidate) => candidate.task === null) ?? (this.slots.length < this.threads ? this.started() : null);
      if (!slot) return;
      const task = this.waiting.shift()!;
      slot.task = task;
      slot.worker.postMessage({ id: task.id, op: task.op, args: task.args });
    }
  }

  private started(): Slot {
    const worker = new Worker(this.script, { workerData: this.start });
    const slot: Slot = { worker, task: null };
    worker.on('message', (answer: WorkAnswer) => {
      const task = slot.task;
      if (!task || task.id !== answer.id) return;
      slot.task = null;
      if ('error' in answer) task.reject(answer.object ? new LockerObjectError(answer.object.hash, answer.object.state, answer.error) : answer.usage ? new UsageError(answer.error) : new Error(answer.error));
      else task.resolve(answer.result);
      this.dispatch();
    });
    const gone = (why: string) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      slot.task?.reject(new WorkerGone(`the locker worker stopped (${why})`));
      slot.task = null;
      // Replaced at once for what is waiting, else at the next operation.
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (error) => gone(error.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}

/** The operations on this thread, one at a time (no compiled worker to start). */
class InProcess implements LockerRunner {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly work: Promise<LockerWork>) {}

  run<T>(op: Operation, args: unknown[]): Promise<T> {
    const call = async () => {
      const work = await this.work;
      return (work[op] as (...given: unknown[]) => Promise<T>).apply(work, args);
    };
    const result = this.queue.then(call, call);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {}
}

/**
 * The audit config as a worker can be given it: structured clone refuses functions, and the config holds
 * some (each connector instance's definition carries its zod schemas and code). The worker's operations
 * read the config's data only (checks, sources, requests, people), so functions are left out.
 */
export function cloneableConfig<T>(value: T, copies = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return (typeof value === 'function' ? undefined : value) as T;
  if (value instanceof Date || value instanceof RegExp || ArrayBuffer.isView(value)) return value;
  if (copies.has(value)) return copies.get(value) as T;
  if (value instanceof Map) {
    const map = new Map();
    copies.set(value, map);
    for (const [key, entry] of value) if (typeof entry !== 'function') map.set(key, cloneableConfig(entry, copies));
    return map as T;
  }
  if (value instanceof Set) {
    const set = new Set();
    copies.set(value, set);
    for (const entry of value) if (typeof entry !== 'function') set.add(cloneableConfig(entry, copies));
    return set as T;
  }
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  copies.set(value, copy);
  for (const [key, entry] of Object.entries(value)) if (typeof entry !== 'function') (copy as Record<string, unknown>)[key] = cloneableConfig(entry, copies);
  return copy as T;
}

export async function lockerRunner(locker: Locker, config: AuditConfig, options: PoolOptions = {}): Promise<LockerRunner> {
  // The checks are read here first even with workers, so a bad check setting stops the server before it listens.
  const work = LockerWork.create(locker, config);
  await work;
  const script = options.script === undefined ? compiledWorker() : options.script;
  if (!script) return new InProcess(work);
  const threads = Math.min(2, Math.max(1, options.threads ?? 1));
  return new WorkerPool(script, { lockerDir: locker.dir, config: cloneableConfig(config), ...(options.judgeGate ? { judgeGate: options.judgeGate } : {}) }, threads);
}
