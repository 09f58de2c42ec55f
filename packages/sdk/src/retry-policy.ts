/**
 * When to retry an HTTP exchange and how long to wait. Kept apart from the
 * fetch wrapper so the policy can be read (and tested) on its own: the SDK is
 * the only layer that retries, so API clients are configured not to.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After / rate-limit reset we are willing to wait for; beyond it the request fails. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 15 * 60_000,
};

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/** GitHub's secondary rate limit arrives as a 403 that may carry no header at all; only its message says so. */
const SECONDARY_RATE_LIMIT = /secondary rate limit/i;
/** How long to wait for a secondary rate limit that names no time (GitHub asks for at least a minute). */
const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;

/** AWS answers throttling with HTTP 400 and an error code in the body (XML for IAM/STS, JSON for CloudTrail). */
const THROTTLING_CODE = /<Code>(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)<\/Code>|"__type"\s*:\s*"[^"]*(ThrottlingException|TooManyRequestsException)"/;

/** Google APIs answer some rate limits with 403 and a reason in the body, and no Retry-After. */
const GOOGLE_RATE_LIMIT = /"reason"\s*:\s*"(rateLimitExceeded|userRateLimitExceeded|quotaExceeded)"/;

/** True when the server said "too many requests": 429, AWS's throttling codes, GitHub's and Google's rate-limit 403s. */
export function isThrottling(status: number, headers: Headers, body = ''): boolean {
  if (status === 429) return true;
  if (status === 400) return THROTTLING_CODE.test(body);
  return (
    status === 403 &&
    (headers.get('x-ratelimit-remaining') === '0' || headers.has('retry-after') || SECONDARY_RATE_LIMIT.test(body) || GOOGLE_RATE_LIMIT.test(body))
  );
}

/** True when a response status (or a rate limit answered with 400/403) is worth another attempt. */
export function isTransientStatus(status: number, headers: Headers, body = ''): boolean {
  return TRANSIENT_STATUS.has(status) || isThrottling(status, headers, body);
}

/**
 * The wait the server asked for, in milliseconds: Retry-After (seconds or an
 * HTTP date), or the rate-limit reset time when the remaining quota is zero.
 * Null when the server said nothing.
 */
export function serverRequestedWait(headers: Headers, now: Date, body = ''): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (remaining === '0' && reset !== null && Number.isFinite(Number(reset))) {
    const value = Number(reset);
    // GitHub sends epoch seconds; the IETF draft header sends seconds from now.
    const resetMs = value > 1e9 ? value * 1000 - now.getTime() : value * 1000;
    return Math.max(0, resetMs) + 1000;
  }
  if (SECONDARY_RATE_LIMIT.test(body)) return SECONDARY_RATE_LIMIT_WAIT_MS;
  return null;
}

/** Exponential backoff with full jitter for the given (1-based) attempt that just failed. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
