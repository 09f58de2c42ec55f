/**
 * When the daemon tries a failed stream again. Retries stay inside the
 * stream's schedule slot (a retry that would fall at or after the next fire
 * is dropped: the scheduled run takes over), are bounded, back off
 * exponentially with jitter, and concern only the streams that failed, so a
 * connector that keeps failing never holds the others back.
 */

export interface RetryPolicy {
  /** Delay before the first retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retries per slot after the scheduled attempt. */
  maxRetries: number;
  /** ± fraction of the delay, so several daemons' retries do not align. */
  jitter: number;
}

export const DEFAULT_DAEMON_RETRY: RetryPolicy = { baseDelayMs: 60_000, maxDelayMs: 30 * 60_000, maxRetries: 4, jitter: 0.2 };

/**
 * The time of retry number `retry` (1-based) after a failure at `failedAt`,
 * or null when the retries are used up or it would not come before `nextFire`.
 */
export function retryAt(policy: RetryPolicy, retry: number, failedAt: number, nextFire: number | null, random: () => number): number | null {
  if (retry > policy.maxRetries) return null;
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const at = failedAt + Math.round(delay * (1 + policy.jitter * (2 * random() - 1)));
  return nextFire !== null && at >= nextFire ? null : at;
}
