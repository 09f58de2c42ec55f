/**
 * A published rate limit as the simulated AWS enforces it: a token bucket per
 * key (account and region), refilled at `perSecond` in real time and holding
 * at most `burst` tokens; a request that finds it empty is answered with
 * ThrottlingException (HTTP 400), as CloudTrail answers LookupEvents above 2
 * requests per second. Real time, so the limit holds against the client's
 * real pacing whatever clock the account itself keeps.
 */

/** CloudTrail's throttling answer (JSON 1.1), which the evidence fetch retries. */
export const THROTTLED = { status: 400, body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }) };

export class ServerRateLimit {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  /** Requests refused so far. */
  throttled = 0;

  constructor(
    readonly perSecond: number,
    readonly burst = 2,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error(`a rate limit needs a positive rate and a burst of at least 1, not ${perSecond}/s and ${burst}`);
  }

  /** Whether a request under `key` is served now (taking a token) or throttled. */
  admit(key: string): boolean {
    const now = this.clock();
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      this.throttled++;
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
