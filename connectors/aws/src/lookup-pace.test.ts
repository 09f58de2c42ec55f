/**
 * LookupEvents against the simulated account enforcing CloudTrail's real
 * limit (2 requests per second per region, ThrottlingException above it),
 * through the official SDK client and in real time: at the default pace no
 * request is throttled; a pace configured far above the limit is throttled,
 * slows down and still collects every event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { DEFAULT_MANAGEMENT_EVENTS } from './management-events.js';
import { SimulatedAccount, type SimEvent } from './simulator.js';
import { testConfig } from './test-support.js';

const HOUR = 3_600_000;
const now = new Date();
const event = (i: number): SimEvent => ({
  id: `${String(i).padStart(8, '0')}-1111-4222-8333-000000000000`,
  at: new Date(now.getTime() - (i + 1) * HOUR).toISOString(),
  region: 'us-east-1',
  source: 'iam.amazonaws.com',
  name: 'CreateUser',
  actor: 'alice',
  target: `user-${i}`,
  failed: false,
});
/** Two trail events answer their own queries. */
const trailEvents: SimEvent[] = [
  { ...event(20), id: 'stop-0000-1111-4222-8333-000000000000', source: 'cloudtrail.amazonaws.com', name: 'StopLogging', target: 'main' },
  { ...event(21), id: 'start-000-1111-4222-8333-000000000000', source: 'cloudtrail.amazonaws.com', name: 'StartLogging', target: 'main' },
];

let sim: SimulatedAccount;
beforeAll(async () => {
  const events = [...Array.from({ length: 8 }, (_, i) => event(i)), ...trailEvents];
  sim = await SimulatedAccount.start({ accountId: '123456789012', users: [], groups: [], policies: [], passwordPolicy: null, trails: [], events }, { iamPageSize: 100, eventPageSize: 4, lookupEventsPerSecond: 2 });
  sim.now = now;
});
afterAll(() => sim.close());

async function collect(perSecond?: number) {
  const before = { requests: sim.requests.get('cloudtrail:LookupEvents') ?? 0, throttled: sim.lookupLimit!.throttled };
  const sink = new MemorySink();
  const outcome = await runStream({
    connector: awsConnector,
    instance: 'aws',
    config: testConfig(perSecond ? { lookupEventsPerSecond: perSecond } : {})(sim.baseUrl),
    stream: 'cloudtrail_events',
    sink,
    cursor: null,
    since: new Date(now.getTime() - 2 * 86_400_000),
    until: now,
    collectorVersion: '0.0.0-test',
  });
  return { outcome, sink, requests: (sim.requests.get('cloudtrail:LookupEvents') ?? 0) - before.requests, throttled: sim.lookupLimit!.throttled - before.throttled };
}

// Two pages of IAM events, one of sign-ins, one per management event.
const LOOKUPS = 3 + DEFAULT_MANAGEMENT_EVENTS.length;

describe('LookupEvents at the real rate limit', () => {
  it('is never throttled at the default pace', async () => {
    const { outcome, sink, requests, throttled } = await collect();
    expect([outcome.status, outcome.error]).toEqual(['complete', null]);
    expect(sink.records.map((r) => r.data.action).sort()).toEqual([...Array.from({ length: 8 }, () => 'CreateUser'), 'StartLogging', 'StopLogging']);
    expect(throttled).toBe(0);
    expect(requests).toBe(LOOKUPS);
  }, 120_000);

  it('slows down when a pace set above the limit is throttled, and still collects everything', async () => {
    const { outcome, sink, requests, throttled } = await collect(50);
    expect([outcome.status, outcome.error]).toEqual(['complete', null]);
    expect(sink.records).toHaveLength(10);
    expect(throttled).toBeGreaterThan(0);
    // Every throttled request was retried once more through the pace; none was lost.
    expect(requests).toBe(LOOKUPS + throttled);
  }, 120_000);
});
