/**
 * IAM Identity Center users beside the IAM users, through the real
 * IdentityStore client against the simulated account: every user over
 * several ListUsers pages, one access.account each (matched to people by
 * email, not counted against the credential report), and an IAM user with no
 * email of its own traced by the Identity Center user of its name.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { SimulatedAccount, type SimUser } from './simulator.js';
import { testConfig } from './test-support.js';

const NOW = new Date('2026-07-01T06:00:00Z');
const STORE = 'd-0123456789';
const iamUser = (name: string): SimUser => ({ name, createdAt: '2025-01-01T00:00:00.000Z', groups: [], managed: [], inline: [], mfa: true, password: { changedAt: '2025-01-01T00:00:00.000Z', lastUsedAt: null }, accessKey: null });
const centerUsers = Array.from({ length: 230 }, (_, i) => ({ userId: `u-${i}`, userName: `person-${i}`, email: `person-${i}@example.com` }));

let sim: SimulatedAccount;
beforeAll(async () => {
  sim = await SimulatedAccount.start(
    { accountId: '123456789012', users: [iamUser('person-7'), iamUser('jdoe')], groups: [], policies: [], passwordPolicy: null, trails: [], events: [], identityCenter: { identityStoreId: STORE, users: centerUsers } },
    { iamPageSize: 10, eventPageSize: 3 },
  );
  sim.now = NOW;
});
afterAll(() => sim.close());

const collect = (identityStoreId = STORE) => {
  const sink = new MemorySink();
  const config = testConfig({ identityCenter: { identityStoreId, region: 'us-east-1' } })(sim.baseUrl);
  return runStream({ connector: awsConnector, instance: 'aws', config, stream: 'iam_users', sink, cursor: null, collectorVersion: '0.0.0-test', now: () => NOW, sleep: async () => undefined }).then((outcome) => ({ outcome, records: sink.records }));
};

describe('IAM Identity Center users', () => {
  it('lists every user over three pages as an sso_user account, and traces the IAM user named like one', async () => {
    const before = sim.requests.get('identitystore:ListUsers') ?? 0;
    const { outcome, records } = await collect();
    expect(outcome.status).toBe('complete');
    expect((sim.requests.get('identitystore:ListUsers') ?? 0) - before).toBe(3);
    const center = records.filter((r) => r.key.startsWith(`identitystore:${STORE}:`));
    expect(center).toHaveLength(230);
    expect(center.find((r) => r.key.endsWith(':u-42'))?.data).toMatchObject({ accountId: 'person-42', email: 'person-42@example.com', accountType: 'sso_user', status: 'active', mfa: 'unknown', ssoIdentity: 'u-42' });
    const iam = (name: string) => records.find((r) => r.key === `arn:aws:iam::123456789012:user/${name}`)?.data as { email: string | null; attributes?: Record<string, unknown> };
    expect(iam('person-7')).toMatchObject({ email: 'person-7@example.com', attributes: { identityCenterUser: 'person-7' } });
    expect(iam('jdoe').email).toBeNull();
  });

  it('fails the stream naming the store when it does not exist, storing nothing as complete', async () => {
    const { outcome } = await collect('d-9999999999');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/identitystore:ListUsers.*d-9999999999|d-9999999999.*not found/);
  });
});
