/**
 * The streams at volume against the synthetic account: every user over
 * several GetAccountAuthorizationDetails pages after one page of customer-managed policies and one of groups, and hundreds of events
 * over many LookupEvents pages, with the request counts the README promises.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { DEFAULT_MANAGEMENT_EVENTS } from './management-events.js';
import { startSyntheticAccount, type SyntheticAccount } from './synthetic-account.js';
import { testConfig } from './test-support.js';

const accounts: SyntheticAccount[] = [];
afterEach(async () => {
  await Promise.all(accounts.splice(0).map((account) => account.close()));
});

async function collect(stream: string, options: { users: number; events: number; userPageSize: number; groups: number }) {
  const account = await startSyntheticAccount(options);
  accounts.push(account);
  const sink = new MemorySink();
  const sleeps: number[] = [];
  const now = new Date('2026-07-01T00:00:00Z');
  const outcome = await runStream({
    connector: awsConnector,
    instance: 'aws',
    config: testConfig({ lookupEventsPerSecond: 50 })(account.baseUrl),
    stream,
    sink,
    cursor: null,
    collectorVersion: '0.0.0-test',
    now: () => now,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { outcome, sink, requests: account.requests, sleeps };
}

describe('at volume', () => {
  it('reads 250 users over three pages after the 2 customer-managed policies and the 9 groups, in 8 requests and a ListAccessKeys per user holding a key', async () => {
    const { outcome, sink, requests } = await collect('iam_users', { users: 250, events: 0, userPageSize: 100, groups: 8 });
    expect(outcome.status).toBe('complete');
    expect(outcome.apiTotal).toBe(251);
    expect(new Set(sink.records.map((r) => r.key)).size).toBe(251);
    // GetCallerIdentity, GenerateCredentialReport, GetCredentialReport, one page of customer-managed policies, one of groups, three of users,
    // and ListAccessKeys for the 84 users holding a key (every third).
    expect(Object.fromEntries(requests)).toEqual({ 'sts:GetCallerIdentity': 1, 'iam:GenerateCredentialReport': 1, 'iam:GetCredentialReport': 1, 'iam:GetAccountAuthorizationDetails': 5, 'iam:ListAccessKeys': 84 });
    expect(outcome.requests).toBe(92);
    expect(sink.records.find((r) => r.key === 'arn:aws:iam::123456789012:user/user-00249')?.data.credentials).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'access_key_1', lastFour: '0249' })]));
    // The root account, Admins (every 7th user) and group-0 (every 8th), whose platform-ops grants everything.
    const privilegedUsers = Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 7 === 0 || i % 8 === 0);
    expect(sink.records.filter((r) => r.data.privileged === true)).toHaveLength(1 + privilegedUsers.length);
    const user = sink.records.find((r) => r.key === 'arn:aws:iam::123456789012:user/user-00050');
    expect(user?.data).toMatchObject({ privileged: false, roles: ['ReadOnlyAccess', 'ci-deploy', 'group:group-2', 'inline-50', 'team-policy'] });
    expect(sink.records.find((r) => r.key === 'arn:aws:iam::123456789012:user/user-00008')?.data).toMatchObject({ privileged: true, attributes: { privilegedBy: ['platform-ops (group group-0)'] } });
  });

  it('pages through 620 events, paced, emitting each once', async () => {
    const { outcome, sink, requests, sleeps } = await collect('cloudtrail_events', { users: 10, events: 620, userPageSize: 100, groups: 2 });
    expect(outcome.status).toBe('complete');
    expect(sink.records).toHaveLength(620);
    // 496 IAM events in 10 pages, 124 sign-ins in 3 pages, one query per management event (none in this account).
    expect(requests.get('cloudtrail:LookupEvents')).toBe(13 + DEFAULT_MANAGEMENT_EVENTS.length);
    // One interval at 95 % of 50 per second (21.05 ms, to the millisecond) before every request but the first.
    expect(sleeps).toHaveLength(12 + DEFAULT_MANAGEMENT_EVENTS.length);
    expect(sleeps.filter((ms) => ms !== 21 && ms !== 22)).toEqual([]);
  });
});
