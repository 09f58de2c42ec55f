/**
 * The IAM user listing through the SDK paginator against the simulated
 * account: a page whose marker names itself (served twice) is tolerated and
 * emits each user once, while a listing that keeps naming the same marker is
 * a real loop and fails the stream, naming the marker.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { SimulatedAccount, type SimUser } from './simulator.js';
import { testConfig } from './test-support.js';

const NOW = new Date('2026-07-01T06:00:00Z');
const user = (i: number): SimUser => ({ name: `u-${String(i).padStart(2, '0')}`, createdAt: '2025-01-01T00:00:00.000Z', groups: [], managed: [], inline: [], mfa: true, password: null, accessKey: null });

let sim: SimulatedAccount;
beforeAll(async () => {
  sim = await SimulatedAccount.start(
    { accountId: '123456789012', users: Array.from({ length: 10 }, (_, i) => user(i)), groups: [], policies: [], passwordPolicy: null, trails: [], events: [] },
    { iamPageSize: 3, eventPageSize: 3 },
  );
  sim.now = NOW;
});
afterAll(() => sim.close());

const collect = () =>
  runStream({ connector: awsConnector, instance: 'aws', config: testConfig()(sim.baseUrl), stream: 'iam_users', sink: new MemorySink(), cursor: null, collectorVersion: '0.0.0-test', now: () => NOW, sleep: async () => undefined });

describe('IAM user listing', () => {
  it('reads a marker served twice once and stays complete', async () => {
    sim.faults.repeatPage.add('users');
    const before = sim.requests.get('iam:GetAccountAuthorizationDetails') ?? 0;
    const outcome = await collect();
    expect(outcome.status).toBe('complete');
    expect(outcome.records).toBe(11);
    expect(outcome.apiTotal).toBe(11);
    // One page of policies, one of groups, four of users and the repeated one.
    expect((sim.requests.get('iam:GetAccountAuthorizationDetails') ?? 0) - before).toBe(7);
  });

  it('fails on a real loop, naming the marker', async () => {
    sim.faults.loopUsers = true;
    try {
      const outcome = await collect();
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatch(/^iam:GetAccountAuthorizationDetails \(Filter=User\) of acme-prod: 5 pages in a row brought no new item; stopped at cursor Marker \S+$/);
    } finally {
      sim.faults.loopUsers = false;
    }
  });
});
