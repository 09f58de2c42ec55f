/**
 * The stream context's calls still running. A connector that does not await
 * `ctx.emit` or `ctx.fetch` (an async callback in `forEach`, a promise
 * dropped on the floor) returns from `collect` before its records are
 * emitted: the stream would be judged on the records so far (none, and
 * complete when the source reports no total) while the rest arrive after it
 * ended. The runner waits for such calls before it judges or ends the stream,
 * fails it naming the missing `await`, and refuses a call made after the end.
 */
import type { CustomRecordInput, RecordInput, StreamContext } from './types.js';

export class PendingWork {
  private readonly running = new Set<Promise<unknown>>();
  private ended: string | null = null;

  /** Run `start` as one of the context's calls; refused once the stream has ended. */
  track<T>(start: () => Promise<T>): Promise<T> {
    if (this.ended !== null) return Promise.reject(new Error(this.ended));
    const work = start();
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Wait until no call is running, including calls the running ones lead to
   * (an emit after a fetch in an un-awaited callback); how many there were.
   */
  async settle(): Promise<number> {
    const seen = new Set<Promise<unknown>>();
    while (this.running.size > 0) {
      for (const work of this.running) seen.add(work);
      await Promise.allSettled([...this.running]);
      // Let the callbacks waiting on those calls go on to their next call before looking again.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return seen.size;
  }

  /** Refuse every later call with `reason`. */
  end(reason: string): void {
    this.ended = reason;
  }
}

/** `ctx` as the connector gets it: every call that does work through the SDK tracked by `pending`. */
export function trackedContext<C>(ctx: StreamContext<C>, pending: PendingWork): StreamContext<C> {
  const emit = ctx.emit.bind(ctx) as (record: RecordInput | CustomRecordInput) => Promise<void>;
  return {
    ...ctx,
    fetch: ((input, init) => pending.track(() => ctx.fetch(input, init))) as typeof fetch,
    credentialFetch: ((input, init) => pending.track(() => ctx.credentialFetch(input, init))) as typeof fetch,
    snapshot: (facts, body) => pending.track(() => ctx.snapshot(facts, body)),
    emit: (record: RecordInput | CustomRecordInput) => pending.track(() => emit(record)),
  };
}
