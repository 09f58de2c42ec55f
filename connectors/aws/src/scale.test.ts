/**
 * The streams at volume against the synthetic account: every user over
 * several ListUsers pages with each group read once, and hundreds of events
 * over many LookupEvents pages, with the request counts the README promises.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { awsConnector } from './index.js';
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
  it('reads 250 users over three pages, each of 9 groups once', async () => {
    const { outcome, sink, requests } = await collect('iam_users', { users: 250, events: 0, userPageSize: 100, groups: 8 });
    expect(outcome.status).toBe('complete');
    expect(outcome.apiTotal).toBe(251);
    expect(new Set(sink.records.map((r) => r.key)).size).toBe(251);
    expect(requests.get('iam:ListUsers')).toBe(3);
    expect(requests.get('iam:ListGroupsForUser')).toBe(250);
    expect(requests.get('iam:GetUserPolicy')).toBe(5);
    expect(requests.get('iam:ListGroupPolicies')).toBe(9);
    expect(requests.get('iam:GetGroupPolicy')).toBe(8);
    // GetCallerIdentity, GenerateCredentialReport, GetCredentialReport, 3 ListUsers pages,
    // 3 lists per user, 5 inline documents, 2 lists per group and 8 group documents.
    expect(outcome.requests).toBe(1 + 1 + 1 + 3 + 3 * 250 + 5 + 2 * 9 + 8);
    expect(sink.records.filter((r) => r.data.privileged === true)).toHaveLength(1 + Math.ceil(250 / 7));
  });

  it('pages through 620 events, paced, emitting each once', async () => {
    const { outcome, sink, requests, sleeps } = await collect('cloudtrail_events', { users: 10, events: 620, userPageSize: 100, groups: 2 });
    expect(outcome.status).toBe('complete');
    expect(sink.records).toHaveLength(620);
    // 496 IAM events in 10 pages, 124 sign-ins in 3 pages.
    expect(requests.get('cloudtrail:LookupEvents')).toBe(13);
    expect(sleeps).toEqual(Array.from({ length: 12 }, () => 20));
  });
});
