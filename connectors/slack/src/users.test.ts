/**
 * The users stream against recorded fixtures: the account inventory an
 * auditor samples for CC6.1–CC6.3 (deleted users, guests, admins without
 * 2FA, bots), cursor pagination, a rate limit the SDK waits out while the
 * Slack client does not, and `{ok:false}` answers failing the stream by name.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import type { Logger } from '@evidentia/sdk';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { slackConnector } from './index.js';
import { fixturePath, loadFixture, TEST_TOKEN, testConfig } from './test-support.js';

const run = (cassette: string | CassetteInput, options: { config?: Record<string, unknown>; log?: Logger; maxAttempts?: number } = {}) =>
  runConnectorFixture({
    connector: slackConnector,
    stream: 'users',
    cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette],
    config: testConfig(options.config),
    log: options.log,
    retry: options.maxAttempts ? { maxAttempts: options.maxAttempts } : undefined,
  });

function account(records: EvidenceRecord[], id: string): Record<string, unknown> {
  const record = records.find((r) => r.key === `user:${id}`);
  if (!record) throw new Error(`no record for ${id}`);
  return record.data;
}

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
}

describe('users stream', () => {
  it('lists every member over two cursor pages, once each, as the token owner', async () => {
    const { outcome, records, requests } = await run('users.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.identity).toBe('evidentia (U0EVIDBOT1) @ Acme Example (T0ACME0001)');
    expect(requests.map((r) => `${r.path} ${String(r.body ?? '')}`)).toEqual([
      '/auth.test ',
      '/users.list limit=200',
      '/users.list limit=200&cursor=dXNlcjpVMERBTjAwMDAxOw%3D%3D',
    ]);
    expect(records.map((r) => r.key).sort()).toEqual(
      ['USLACKBOT', 'U0ALICE001', 'U0BOB00001', 'U0CAROL001', 'U0DAN00001', 'U0DEPLOY01', 'U0ERIN0001', 'U0FRANK001', 'U0GRACE001', 'U0HEIDI001'].map((id) => `user:${id}`).sort(),
    );
    expect(outcome.requests).toBe(3);
    expect(records.every((r) => r.kind === 'access.account' && r.system === 'slack:acme-example' && r.controls.join() === 'CC6.1,CC6.2,CC6.3')).toBe(true);
  });

  it('records status, roles, guests, privilege and 2FA as Slack reports them', async () => {
    const { records } = await run('users.json');
    expect(account(records, 'U0CAROL001')).toMatchObject({ accountType: 'member', roles: ['primary_owner', 'owner', 'admin'], privileged: true, mfa: 'enabled', status: 'active' });
    expect(account(records, 'U0GRACE001')).toMatchObject({ roles: ['admin'], privileged: true, mfa: 'disabled', email: 'grace@example.com', displayName: 'Grace Hopper' });
    expect(account(records, 'U0BOB00001')).toMatchObject({ status: 'deleted', privileged: false, mfa: 'unknown', email: 'bob@example.com' });
    expect(account(records, 'U0DAN00001')).toMatchObject({ status: 'deleted' });
    expect(account(records, 'U0ERIN0001')).toMatchObject({ accountType: 'guest', roles: ['multi_channel_guest'], privileged: false, mfa: 'disabled' });
    expect(account(records, 'U0FRANK001')).toMatchObject({ accountType: 'guest', roles: ['single_channel_guest'], mfa: 'enabled' });
    expect(account(records, 'U0HEIDI001')).toMatchObject({ status: 'invited', accountType: 'member', roles: ['member'] });
    expect(account(records, 'U0DEPLOY01')).toMatchObject({ accountType: 'bot', roles: ['bot'], privileged: false, email: null });
    expect(account(records, 'USLACKBOT')).toMatchObject({ accountType: 'bot', roles: ['bot'] });
  });

  it('rests every record on its page snapshot and keeps the token out of snapshots', async () => {
    const { records, snapshots } = await run('users.json');
    const pages = snapshots.filter((s) => s.provenance.url.endsWith('/users.list'));
    expect(pages).toHaveLength(2);
    expect(records.find((r) => r.key === 'user:U0ALICE001')?.sources).toEqual([pages[0]!.hash]);
    expect(records.find((r) => r.key === 'user:U0GRACE001')?.sources).toEqual([pages[1]!.hash]);
    expect(pages[1]!.provenance).toMatchObject({ method: 'POST', requestBody: 'limit=200&cursor=dXNlcjpVMERBTjAwMDAxOw%3D%3D', identity: 'evidentia (U0EVIDBOT1) @ Acme Example (T0ACME0001)' });
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('waits out a 429 once, in the SDK, for as long as Retry-After says', async () => {
    const started = Date.now();
    const { outcome, records, sleeps, requests } = await run('users-429.json');
    expect(outcome.status).toBe('complete');
    expect(sleeps).toEqual([7000]);
    expect(requests.map((r) => r.status)).toEqual([200, 429, 200]);
    expect(records).toHaveLength(2);
    // The harness's sleep returns at once: a client that slept out Retry-After itself would take 7 s.
    expect(Date.now() - started).toBeLessThan(6500);
  });

  it('fails at once, without the Slack client sleeping, when the rate limit outlasts the SDK retries', async () => {
    const started = Date.now();
    const cassette = loadFixture('users-429.json');
    cassette.interactions = cassette.interactions.slice(0, 2);
    const { outcome, sleeps } = await run(cassette, { maxAttempts: 1 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('Slack API users.list: rate limited: Slack still asks to wait 7 s after the collector\'s retries');
    expect(sleeps).toEqual([]);
    expect(Date.now() - started).toBeLessThan(6500); // under 7 s whatever the load: only a client that slept out Retry-After itself takes 7 s
  });

  it('fails with the Slack error name and the missing scope on an {ok:false} answer', async () => {
    const { outcome, records } = await run('users-missing-scope.json');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('Slack API users.list: missing_scope (needed: users:read)');
    expect(outcome.cursorAfter).toBeNull();
    expect(records).toHaveLength(0);
  });

  it('refuses a token of another workspace before listing anyone', async () => {
    const cassette = loadFixture('users.json');
    cassette.interactions = cassette.interactions.slice(0, 1);
    const { outcome } = await run(cassette, { config: { workspace: 'globex' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/belongs to workspace Acme Example \(T0ACME0001.*not to the configured workspace "globex"/);
  });

  it('records MFA and email as unknown, with warnings, when the token cannot see them', async () => {
    const cassette = loadFixture('users.json');
    for (const interaction of cassette.interactions.slice(1)) {
      const body = interaction.response.body as { members: Array<Record<string, unknown> & { profile: Record<string, unknown> }> };
      for (const member of body.members) {
        delete member.has_2fa;
        delete member.profile.email;
      }
    }
    const log = recordingLog();
    const { outcome, records } = await run(cassette, { log });
    expect(outcome.status).toBe('complete');
    expect(new Set(records.map((r) => r.data.mfa))).toEqual(new Set(['unknown']));
    expect(records.every((r) => r.data.email === null)).toBe(true);
    expect(log.warnings).toEqual([expect.stringContaining('has_2fa'), expect.stringContaining('users:read.email')]);
  });

  it('fails naming the method and field when an answer changes shape', async () => {
    const cassette = loadFixture('users.json');
    const page = cassette.interactions[1]!;
    page.response = { ...page.response, body: { ok: true, members: [{ name: 'nobody' }] } };
    cassette.interactions = cassette.interactions.slice(0, 2);
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('Slack API users.list: unexpected response shape: members.0.id: Invalid input: expected string, received undefined');
  });
});
