/**
 * The LookupEvents pace: CloudTrail allows 2 LookupEvents requests per second
 * per account and region (and throttles above it), so each account and
 * region gets one token bucket (the SDK's `Pacer`) a little under that rate,
 * shared by first attempts and the evidence fetch's retries, and slowed by
 * any throttling answer. The handler asks `lookupEventsPace` which bucket a
 * signed request belongs to; requests of other operations are not paced.
 */
import { Pacer, type StreamContext } from '@evidentia/sdk';
import type { PaceOf, SdkHttpRequest } from './fetch-handler.js';

export type { PaceOf };

/** The fraction of the configured (published) rate the pacer aims at, so clock jitter never crosses the limit. */
export const PACE_HEADROOM = 0.95;


/** Waits go through the stream's `sleep` (cancellable by the run) and time through its clock, so tests see the waits without waiting. */
export function lookupEventsPacer(ctx: Pick<StreamContext<unknown>, 'now' | 'sleep'>, perSecond: number): Pacer {
  return new Pacer({ perSecond: perSecond * PACE_HEADROOM, now: () => ctx.now(), sleep: (ms) => ctx.sleep(ms) });
}

/** The region of a SigV4-signed request, from its credential scope. */
function regionOf(request: SdkHttpRequest): string {
  const authorization = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization)?.[1] ?? 'unknown-region';
}

/** The pace of LookupEvents requests of one account (by alias). */
export function lookupEventsPace(pacer: Pacer, account: string): PaceOf {
  return (request) => {
    const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
    return target?.endsWith('.LookupEvents') ? pacer.for(`${account}/${regionOf(request)}`) : undefined;
  };
}
