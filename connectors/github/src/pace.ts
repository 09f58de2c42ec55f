/**
 * GitHub's secondary rate limits, kept by the SDK's pacer: every attempt of
 * every request of a stream run (REST and GraphQL, first attempts and
 * retries alike) waits on one token bucket. GitHub allows no more than 900
 * points a minute on REST (a GET is one point) and 2,000 on GraphQL; the
 * bucket aims under the stricter one (13 a second, 780 a minute) and lets a
 * run start with a burst of 60, which together stay under 900 in any minute.
 * A secondary-limit answer (403 or 429 with retry-after, x-ratelimit-remaining 0
 * or GitHub's "secondary rate limit" message) halves the pace; answers that are
 * not throttled earn it back (see the SDK's pacer.ts). The evidence fetch
 * still waits what the answer asked for before its retry.
 */
import { TokenBucket, type StreamContext } from '@evidentia/sdk';

export const GITHUB_REQUESTS_PER_SECOND = 13;
export const GITHUB_BURST = 60;

export function githubPace(ctx: Pick<StreamContext<unknown>, 'now' | 'sleep'>): TokenBucket {
  return new TokenBucket({ perSecond: GITHUB_REQUESTS_PER_SECOND, burst: GITHUB_BURST, now: () => ctx.now(), sleep: (ms) => ctx.sleep(ms) });
}
