/**
 * Pacing for APIs with a published request rate (CloudTrail LookupEvents: 2
 * per second per account and region). A `Pace` is one token bucket; a
 * request that names it (`EvidenceRequestInit.pace`) waits on it before every
 * attempt, first attempts and retries alike, so a retry can never push the
 * rate over the limit. Slots are reserved before waiting, so concurrent
 * callers get distinct slots. The bucket keeps its own notion of now, the
 * later of the clock and the end of its last wait, so a clock that stands
 * still while sleeps really wait (a test's or a benchmark's fixed `now`)
 * spaces attempts by one interval, as a moving clock does, instead of
 * piling the waits up. A throttled answer halves the rate (down to an
 * eighth of the target) and pushes the next slot one new interval away; each
 * answer that is not throttled earns back a tenth of the target. A wait
 * longer than a Node.js timer holds (2^31-1 ms, about 24.8 days) is slept in
 * steps a timer holds: Node fires a longer timer at once, which would send
 * the attempt unpaced.
 */

/** What the evidence fetch needs of a pace. */
export interface Pace {
  /** Wait until the next attempt may be sent (cancellable). */
  acquire(signal: AbortSignal): Promise<void>;
  /** How the attempt was answered: throttled or not. */
  settle(throttled: boolean): void;
}

export interface PaceOptions {
  /** The rate aimed at, in requests per second: a little under the published limit. */
  perSecond: number;
  /** Attempts allowed back to back after an idle spell (default 1: strictly spaced). */
  burst?: number;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

const SLOWEST_FRACTION = 1 / 8;
/** The longest delay a Node.js timer holds; a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
const RECOVERY_FRACTION = 1 / 10;

export class TokenBucket implements Pace {
  #rate: number;
  /** When the next attempt may go (ms since the epoch). */
  #next = -Infinity;
  /** The end of the last wait: time the bucket knows has passed even if the clock does not show it. */
  #waited = -Infinity;
  #throttled = 0;

  constructor(private readonly options: PaceOptions) {
    if (!(options.perSecond > 0)) throw new Error(`requests per second must be positive, not ${options.perSecond}`);
    this.#rate = options.perSecond;
  }

  /** The rate in force now (lower than the target after throttling). */
  get rate(): number {
    return this.#rate;
  }

  /** Throttled answers heard so far. */
  get throttled(): number {
    return this.#throttled;
  }

  /** The later of the clock and the end of the last wait. */
  #now(): number {
    return Math.max(this.options.now().getTime(), this.#waited);
  }

  async acquire(signal: AbortSignal): Promise<void> {
    const now = this.#now();
    const interval = 1000 / this.#rate;
    const slot = Math.max(this.#next, now - ((this.options.burst ?? 1) - 1) * interval);
    this.#next = slot + interval;
    const wait = Math.ceil(slot - now);
    if (wait <= 0) return;
    for (let slept = 0; slept < wait; ) {
      const step = Math.min(wait - slept, LONGEST_TIMER_MS);
      await this.options.sleep(step, signal);
      slept += step;
      this.#waited = Math.max(this.#waited, now + slept);
    }
  }

  settle(throttled: boolean): void {
    const target = this.options.perSecond;
    if (!throttled) {
      this.#rate = Math.min(target, this.#rate + target * RECOVERY_FRACTION);
      return;
    }
    this.#throttled++;
    this.#rate = Math.max(target * SLOWEST_FRACTION, this.#rate / 2);
    // The server's bucket is empty: nothing goes before one interval at the slower rate.
    this.#next = Math.max(this.#next, this.#now() + 1000 / this.#rate);
  }
}

/** One bucket per key (e.g. `<account>/<region>` of one API), created on first use. */
export class Pacer {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(private readonly options: PaceOptions) {
    if (!(options.perSecond > 0)) throw new Error(`requests per second must be positive, not ${options.perSecond}`);
  }

  for(key: string): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.options);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Throttled answers heard over all keys. */
  get throttled(): number {
    return [...this.#buckets.values()].reduce((sum, bucket) => sum + bucket.throttled, 0);
  }
}
