/**
 * A stream's time limit. A connector whose `collect()` never settles (a
 * socket that hangs without a timeout, a promise nothing resolves) would
 * otherwise hold `collect` and the daemon forever without a word. At the
 * limit the stream's signal aborts, so the SDK's fetch, sleep and paginators
 * stop, and the runner stops waiting for `collect()` whether or not the
 * connector heeds the signal: the stream fails, naming itself and the limit,
 * and the run goes on to the next stream.
 */

const HOUR_MS = 3_600_000;

/** Twelve hours: a large organization's pull requests, read under rate limits, can take several. */
export const DEFAULT_STREAM_TIME_LIMIT_MS = 12 * HOUR_MS;

/** The longest a Node.js timer waits (2³¹ − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_STREAM_TIME_LIMIT_MS = 2_147_483_647;

/** A time limit as people write it: `12 hours`, `90 minutes`, `0.05 seconds`. */
export function describeDuration(ms: number): string {
  const [amount, unit] = ms >= HOUR_MS && ms % (HOUR_MS / 4) === 0 ? [ms / HOUR_MS, 'hour'] : ms >= 60_000 && ms % 1000 === 0 ? [ms / 60_000, 'minute'] : [ms / 1000, 'second'];
  const shown = Number(amount.toFixed(3));
  return `${shown} ${unit}${shown === 1 ? '' : 's'}`;
}

/** The reason a stream was ended at its time limit (the abort reason its connector sees on `ctx.signal`). */
export class StreamTimeLimitError extends Error {
  override name = 'StreamTimeLimitError';
}

export class StreamDeadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** Settles (rejecting) only when the limit is reached: raced against the stream's work. */
  readonly reached: Promise<never>;

  /**
   * @param stream the stream, as `<instance>/<stream>`, for the message
   * @param limitMs the time limit
   * @param setting where the limit is set, for the message (e.g. the config key)
   * @param onReached called at the limit, before the stream's signal aborts
   */
  constructor(stream: string, limitMs: number, setting: string | undefined, onReached: (reason: StreamTimeLimitError) => void) {
    if (!Number.isFinite(limitMs) || limitMs <= 0 || limitMs > MAX_STREAM_TIME_LIMIT_MS) {
      throw new RangeError(`stream ${stream}: the time limit must be a positive number of milliseconds up to ${MAX_STREAM_TIME_LIMIT_MS}, got ${String(limitMs)}`);
    }
    this.reached = new Promise<never>((_, reject) => {
      // Not unref'd: a collect() waiting on nothing at all must not let the process exit before its limit.
      this.timer = setTimeout(() => {
        const where = setting ? ` (${setting})` : '';
        const reason = new StreamTimeLimitError(
          `stream ${stream} did not finish within its time limit of ${describeDuration(limitMs)}${where} and was stopped while still running (waiting on a connection that hangs or a promise that never settles, or given more to read than the limit allows); what it emitted before is kept, and its cursor stays, so the next run reads again`,
        );
        onReached(reason);
        this.controller.abort(reason);
        reject(reason);
      }, limitMs);
    });
    // Nobody may be racing it when it fires (the stream already failed on its own).
    this.reached.catch(() => {});
  }

  /** Aborts at the limit. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the limit was reached. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /** The stream ended: the limit no longer applies. */
  clear(): void {
    clearTimeout(this.timer);
  }
}
