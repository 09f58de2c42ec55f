/** The pacer on a virtual clock, and the evidence fetch sending every attempt of a paced request through it. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvidenceFetch } from './evidence-fetch.js';
import { Pacer, TokenBucket, type Pace } from './pacer.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

/** A clock that moves only when someone sleeps. */
function virtualClock(start = Date.parse('2026-07-01T00:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    elapsed: () => now - start,
    sleeps,
  };
}

const signal = new AbortController().signal;

describe('TokenBucket', () => {
  it('spaces attempts at its rate, counting the first as free', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ perSecond: 1.9, ...clock });
    for (let i = 0; i < 20; i++) await bucket.acquire(signal);
    // 20 attempts at 1.9 per second: 19 intervals of 1000/1.9 ms, never faster.
    expect(clock.elapsed()).toBeGreaterThanOrEqual((19 * 1000) / 1.9);
    expect(clock.elapsed()).toBeLessThan((19 * 1000) / 1.9 + 20);
    expect(clock.sleeps.every((ms) => ms >= 526)).toBe(true);
  });

  it('spaces attempts by one interval when the clock stands still while its sleeps really wait', async () => {
    const sleeps: number[] = [];
    const bucket = new TokenBucket({ perSecond: 2, now: () => new Date(0), sleep: async (ms) => void sleeps.push(ms) });
    for (let i = 0; i < 5; i++) await bucket.acquire(signal);
    expect(sleeps).toEqual([500, 500, 500, 500]);
  });

  it('gives concurrent callers distinct slots', async () => {
    const clock = { now: () => new Date(0), sleeps: [] as number[], sleep: async (ms: number) => void clock.sleeps.push(ms) };
    const bucket = new TokenBucket({ perSecond: 2, now: clock.now, sleep: clock.sleep });
    await Promise.all([bucket.acquire(signal), bucket.acquire(signal), bucket.acquire(signal)]);
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  it('halves its rate when throttled and earns it back a tenth at a time', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket({ perSecond: 2, ...clock });
    await bucket.acquire(signal);
    bucket.settle(true);
    expect(bucket.rate).toBe(1);
    expect(bucket.throttled).toBe(1);
    // The next attempt waits one interval at the slower rate.
    await bucket.acquire(signal);
    expect(clock.sleeps).toEqual([1000]);
    for (let i = 0; i < 4; i++) bucket.settle(true);
    expect(bucket.rate).toBe(0.25);
    for (let i = 0; i < 30; i++) bucket.settle(false);
    expect(bucket.rate).toBe(2);
  });

  it('waits longer than a Node.js timer can hold in steps a timer can hold, so a very low rate still paces', async () => {
    const clock = virtualClock();
    // One request per 60 days: an interval of 5,184,000,000 ms, over the 2^31-1 ms a timer holds.
    const bucket = new TokenBucket({ perSecond: 1 / (60 * 24 * 3600), ...clock });
    await bucket.acquire(signal);
    await bucket.acquire(signal);
    expect(clock.elapsed()).toBe(60 * 24 * 3600 * 1000);
    expect(clock.sleeps.length).toBeGreaterThan(1);
    expect(clock.sleeps.every((ms) => ms > 0 && ms <= 2 ** 31 - 1)).toBe(true);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new Pacer({ perSecond: 0, now: () => new Date(), sleep: async () => undefined })).toThrow('requests per second must be positive, not 0');
  });
});

describe('Pacer', () => {
  it('keeps one bucket per key', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ perSecond: 2, ...clock });
    expect(pacer.for('a/us-east-1')).toBe(pacer.for('a/us-east-1'));
    await pacer.for('a/us-east-1').acquire(signal);
    await pacer.for('a/eu-west-1').acquire(signal);
    expect(clock.sleeps).toEqual([]);
    pacer.for('a/eu-west-1').settle(true);
    expect(pacer.throttled).toBe(1);
  });
});

describe('a paced request through the evidence fetch', () => {
  let server: Server;
  let base: string;
  let answers: number[] = [];
  beforeAll(async () => {
    server = createServer((_request, response) => {
      const status = answers.shift() ?? 200;
      const body = status === 400 ? { __type: 'ThrottlingException', message: 'Rate exceeded' } : { ok: true };
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('waits on the pace before the first attempt and before each retry, and tells it which were throttled', async () => {
    answers = [400, 400, 200];
    const calls: string[] = [];
    const pace: Pace = {
      acquire: async () => void calls.push('acquire'),
      settle: (throttled) => void calls.push(throttled ? 'throttled' : 'ok'),
    };
    const http = createEvidenceFetch({
      fetch: globalThis.fetch,
      policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
      maxRequests: 10,
      requestTimeoutMs: 5_000,
      signal,
      now: () => new Date('2026-07-01T00:00:00Z'),
      sleep: async () => undefined,
      random: () => 0.5,
      snapshot: async () => 'a'.repeat(64),
    });
    const response = await http.fetch(`${base}/`, { method: 'POST', body: '{}', pace } as RequestInit);
    expect(response.status).toBe(200);
    expect(calls).toEqual(['acquire', 'throttled', 'acquire', 'throttled', 'acquire', 'ok']);
    expect(http.requests()).toBe(3);
  });
});
