/**
 * The users stream against recorded fixtures: the account inventory an
 * auditor samples for CC6.1–CC6.3 (leavers stay visible, admins without
 * 2-step verification stand out), paginated with pageToken, riding out a 429
 * as Retry-After asks, and authenticated as a service account whose token
 * never reaches a snapshot.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { googleWorkspaceConnector } from './index.js';
import { fixturePath, loadFixture, serviceAccountConfig, serviceAccountKeyFile, TEST_TOKEN, tokenConfig } from './test-support.js';

const run = (cassettes: Array<string | CassetteInput>, config = tokenConfig()) =>
  runConnectorFixture({ connector: googleWorkspaceConnector, stream: 'users', cassettes: cassettes.map((c) => (typeof c === 'string' ? fixturePath(c) : c)), config });

function account(records: EvidenceRecord[], email: string): Record<string, unknown> {
  const record = records.find((r) => r.data.email === email);
  if (!record) throw new Error(`no record for ${email}`);
  return record.data;
}

describe('users stream', () => {
  it('inventories every user over two pages plus the deleted ones', async () => {
    const { outcome, records, requests } = await run(['users.json']);
    // Google reports no total for users.list: the stream cross-checks none rather than count its own listing.
    expect(outcome).toMatchObject({ status: 'complete', identity: 'erin@example.com', apiTotal: null, requests: 3, records: 7 });
    expect(requests.map((r) => r.path)).toContain(
      '/admin/directory/v1/users?customer=my_customer&maxResults=500&orderBy=email&projection=full&pageToken=CioKGAoVZXhhbXBsZS5jb20vY2Fyb2wxMjM0EgwI3f6fvwYQwKyj1wI',
    );
    expect(records.map((r) => r.data.email).sort()).toEqual(['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'gina'].map((n) => `${n}@example.com`));
    expect(records.every((r) => r.kind === 'access.account' && r.system === 'google-workspace:example.com' && r.controls.join() === 'CC6.1,CC6.2,CC6.3')).toBe(true);
    expect(records.find((r) => r.data.email === 'alice@example.com')?.key).toBe('user:104938271650392847561');
  });

  it('keeps leavers visible: suspended, archived and deleted users', async () => {
    const { records } = await run(['users.json']);
    expect(account(records, 'bob@example.com')).toMatchObject({ status: 'suspended', privileged: false, lastLoginAt: '2026-05-15T09:30:00.000Z' });
    expect(account(records, 'dan@example.com')).toMatchObject({ status: 'suspended' });
    expect(account(records, 'gina@example.com')).toMatchObject({ status: 'deleted', displayName: 'Gina Leaver', createdAt: '2023-05-02T08:00:00.000Z' });
    // The time a leaver left is in the record itself, not only in the snapshot.
    expect(account(records, 'gina@example.com')).toMatchObject({ statusSince: '2026-06-20T10:15:00.000Z', attributes: { orgUnitPath: '/Sales' } });
    expect(account(records, 'bob@example.com')).toMatchObject({ statusSince: null });
  });

  it('records admin flags and 2-step verification: an admin without 2SV stands out', async () => {
    const { records } = await run(['users.json']);
    expect(account(records, 'carol@example.com')).toMatchObject({ privileged: true, roles: ['delegated_admin'], mfa: 'disabled', status: 'active' });
    expect(account(records, 'erin@example.com')).toMatchObject({ privileged: true, roles: ['super_admin'], mfa: 'enabled' });
    expect(account(records, 'alice@example.com')).toMatchObject({
      accountId: 'alice@example.com',
      // The user id a change of primary email keeps.
      sourceId: '104938271650392847561',
      accountType: 'user',
      displayName: 'Alice Developer',
      roles: ['user'],
      privileged: false,
      mfa: 'enabled',
      createdAt: '2024-03-04T09:12:30.000Z',
      lastLoginAt: '2026-06-30T08:01:12.000Z',
    });
    expect(account(records, 'frank@example.com')).toMatchObject({ lastLoginAt: null, mfa: 'disabled' });
  });

  it('records MFA as unknown, not disabled, for a user whose answer says nothing of 2-step verification', async () => {
    const cassette = loadFixture('users.json');
    const page = cassette.interactions[1]!.response.body as { users: Array<Record<string, unknown>> };
    const dan = page.users.find((user) => user.primaryEmail === 'dan@example.com')!;
    delete dan.isEnrolledIn2Sv;
    const { outcome, records } = await run([cassette]);
    expect(outcome.status).toBe('complete');
    expect(account(records, 'dan@example.com')).toMatchObject({ mfa: 'unknown' });
    expect(account(records, 'frank@example.com')).toMatchObject({ mfa: 'disabled' });
  });

  it('rests every record on a stored page and keeps the token out of the snapshots', async () => {
    const { records, snapshots } = await run(['users.json']);
    const hashes = new Set(snapshots.map((s) => s.hash));
    expect(records.every((r) => r.sources.length === 1 && hashes.has(r.sources[0]!))).toBe(true);
    expect(snapshots.map((s) => s.provenance.identity)).toEqual(['erin@example.com', 'erin@example.com', 'erin@example.com']);
    expect(snapshots[2]?.provenance.url).toMatch(/showDeleted=true/);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('waits out a 429 as Retry-After asks, then completes', async () => {
    const { outcome, records, sleeps, requests } = await run(['users-429.json', 'users.json']);
    expect(outcome.status).toBe('complete');
    expect(sleeps).toEqual([20_000]);
    expect(requests.map((r) => r.status)).toEqual([429, 200, 200, 200]);
    expect(outcome.requests).toBe(4);
    expect(records).toHaveLength(7);
  });

  it('rides out a page served again (a token that comes back): each user once, the stream complete', async () => {
    const cassette = loadFixture('users.json');
    const [first, second, deleted] = cassette.interactions as [CassetteInput['interactions'][number], CassetteInput['interactions'][number], CassetteInput['interactions'][number]];
    const token = new URL(second.request.path, 'http://x').searchParams.get('pageToken')!;
    // Google answers page 2 once with its own token again, then as usual.
    const repeated = { ...second, response: { ...second.response, body: { ...(second.response.body as object), nextPageToken: token } } };
    cassette.interactions = [first, repeated, second, deleted];
    const { outcome, records } = await run([cassette]);
    expect(outcome).toMatchObject({ status: 'complete', requests: 4, records: 7 });
    expect(new Set(records.map((r) => r.key)).size).toBe(7);
  });

  it('fails on a real loop, naming the page token it kept getting', async () => {
    const cassette = loadFixture('users.json');
    const [first, second] = cassette.interactions as [CassetteInput['interactions'][number], CassetteInput['interactions'][number]];
    const token = new URL(second.request.path, 'http://x').searchParams.get('pageToken')!;
    const looping = { ...second, response: { ...second.response, body: { ...(second.response.body as object), nextPageToken: token } } };
    cassette.interactions = [first, ...Array.from({ length: 6 }, () => looping)];
    const { outcome } = await run([cassette]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain(`no new item; stopped at cursor page token ${token}`);
  });

  it('records a user deleted between the two listings once, as deleted', async () => {
    const cassette = loadFixture('users.json');
    const [first, second, deleted] = cassette.interactions as [CassetteInput['interactions'][number], CassetteInput['interactions'][number], CassetteInput['interactions'][number]];
    type Body = { users: Array<{ primaryEmail: string; deletionTime?: string }> };
    const alice = (first.response.body as Body).users.find((u) => u.primaryEmail === 'alice@example.com')!;
    const body = structuredClone(deleted.response.body) as Body;
    body.users.push({ ...alice, deletionTime: '2026-06-30T12:00:00.000Z' });
    cassette.interactions = [first, second, { ...deleted, response: { ...deleted.response, body: body as unknown as typeof deleted.response.body } }];
    const { outcome, records } = await run([cassette]);
    expect(outcome).toMatchObject({ status: 'complete', records: 7 });
    expect(records.filter((r) => r.data.email === 'alice@example.com').map((r) => r.data.status)).toEqual(['deleted']);
  });

  it('fails with the request and field named when a page changes shape', async () => {
    const cassette = loadFixture('users.json');
    const first = cassette.interactions[0]!;
    first.response = { ...first.response, body: { users: [{ id: '1' }], nextPageToken: 'x' } };
    cassette.interactions = [first];
    const { outcome } = await run([cassette]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/GET \/admin\/directory\/v1\/users .*projection=full: users\.0\.primaryEmail/);
  });

  it('authenticates as a service account acting as an admin; the token is in no snapshot', async () => {
    const { json } = serviceAccountKeyFile();
    const { outcome, snapshots, requests } = await run(['service-account-token.json', 'users.json'], serviceAccountConfig(json));
    expect(outcome).toMatchObject({ status: 'complete', identity: 'erin@example.com (via service account evidentia@acme-evidence.iam.gserviceaccount.com)', requests: 4, snapshots: 3 });
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/token' });
    expect(snapshots.some((s) => s.provenance.url.endsWith('/token'))).toBe(false);
    expect(JSON.stringify(snapshots)).not.toContain('fake-access-token-not-real');
    expect(JSON.stringify(snapshots)).not.toContain('PRIVATE KEY');
  });

  it('names the scope to delegate when the token endpoint refuses the service account', async () => {
    const { json } = serviceAccountKeyFile();
    const token = loadFixture('service-account-token.json').interactions[0]!;
    token.response = { status: 401, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' } };
    const { outcome } = await run([{ format: 'evidentia.cassette/1', description: 'refused', interactions: [token] }], serviceAccountConfig(json));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/unauthorized_client.*client id 100000000000000000001 the scopes admin\.directory\.user\.readonly$/);
  });
});
