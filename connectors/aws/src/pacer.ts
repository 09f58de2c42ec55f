/**
 * A polite pace for APIs with a documented request rate: CloudTrail's
 * LookupEvents allows about two requests per second per account and region.
 * Each key (`<account>/<region>`) gets its own interval; waits go through the
 * stream's `sleep` and time through its clock, so tests see the waits
 * without waiting. Retries of a throttled request are the SDK fetch's
 * business (with backoff), not the pacer's.
 */
export class RequestPacer {
  readonly #last = new Map<string, number>();
  readonly #intervalMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => Date,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    if (!(perSecond > 0)) throw new Error(`requests per second must be positive, not ${perSecond}`);
    this.#intervalMs = 1000 / perSecond;
  }

  /** Wait until a request for `key` is allowed, then count it as sent. */
  async next(key: string): Promise<void> {
    const last = this.#last.get(key);
    if (last !== undefined) {
      const wait = Math.ceil(last + this.#intervalMs - this.now().getTime());
      if (wait > 0) await this.sleep(wait);
    }
    this.#last.set(key, this.now().getTime());
  }
}
