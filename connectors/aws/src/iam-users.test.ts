/**
 * The iam_users stream against the hand-built account: the access inventory
 * an auditor samples for CC6.1–CC6.3 (MFA, stale keys, privilege, root), and
 * how it behaves under IAM throttling and a missing permission.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { fixturePath, indexOf, loadFixture, TEST_SECRET_ACCESS_KEY, testConfig } from './test-support.js';

const run = (cassette: string | CassetteInput) =>
  runConnectorFixture({ connector: awsConnector, stream: 'iam_users', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: testConfig() });

const arn = (name: string) => `arn:aws:iam::123456789012:user/${name}`;

function account(records: EvidenceRecord[], key: string): Record<string, unknown> {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record ${key}`);
  return record.data;
}

describe('iam_users stream', () => {
  it('inventories every IAM user over two ListUsers pages, and the root account', async () => {
    const { outcome, records, sleeps } = await run('iam-users.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.identity).toBe(arn('evidentia-collector'));
    expect(records.map((r) => r.key).sort()).toEqual([...['alice', 'bob', 'carol-ci', 'dave', 'erin', 'evidentia-collector'].map(arn), '123456789012:root'].sort());
    expect(outcome.apiTotal).toBe(7);
    expect(outcome.requests).toBe(31);
    // The credential report was STARTED once: one polite wait before asking again.
    expect(sleeps).toEqual([2000]);
    expect(records.every((r) => r.kind === 'access.account' && r.system === 'aws:acme-prod' && r.controls.join() === 'CC6.1,CC6.2,CC6.3')).toBe(true);
  });

  it('records console password, MFA, access keys and privilege per user', async () => {
    const { records } = await run('iam-users.json');
    expect(account(records, arn('alice'))).toMatchObject({
      accountId: 'alice',
      accountType: 'user',
      status: 'active',
      privileged: true,
      mfa: 'enabled',
      roles: ['AdministratorAccess', 'DeveloperDeploy', 'ReadOnlyAccess', 'group:Admins', 'group:Developers'],
      createdAt: '2024-03-01T10:00:00.000Z',
      lastLoginAt: '2026-06-29T08:15:00.000Z',
      credentials: [
        { id: 'password', type: 'password', status: 'active', createdAt: '2026-03-01T09:00:00.000Z', lastUsedAt: '2026-06-29T08:15:00.000Z' },
        { id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2026-05-01T09:00:00.000Z', lastUsedAt: '2026-06-30T17:20:00.000Z' },
      ],
    });
    // Console password without MFA.
    expect(account(records, arn('bob'))).toMatchObject({ mfa: 'disabled', privileged: false, credentials: [{ id: 'password', status: 'active' }] });
    // An active key rotated 2025-11-20 (over 90 days before the period's end), and an old inactive one.
    expect(account(records, arn('carol-ci'))).toMatchObject({
      mfa: 'disabled',
      privileged: false,
      lastLoginAt: null,
      roles: ['CIDeployPolicy'],
      credentials: [
        { id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2025-11-20T12:00:00.000Z', lastUsedAt: '2026-06-30T23:10:00.000Z' },
        { id: 'access_key_2', type: 'access_key', status: 'inactive', createdAt: '2024-02-01T12:00:00.000Z', lastUsedAt: '2024-10-01T08:00:00.000Z' },
      ],
    });
    // Privileged through an inline Action "*" on Resource "*", and through IAMFullAccess.
    expect(account(records, arn('dave'))).toMatchObject({ privileged: true, roles: ['BreakGlass'] });
    expect(account(records, arn('erin'))).toMatchObject({ privileged: true, roles: ['DeveloperDeploy', 'IAMFullAccess', 'ReadOnlyAccess', 'group:Developers'] });
    // An inline policy that lists actions on "*" is not "everything".
    expect(account(records, arn('evidentia-collector'))).toMatchObject({ privileged: false, roles: ['EvidentiaCollector', 'SecurityAudit'] });
  });

  it('records the root account as privileged, with its MFA and access key', async () => {
    const { records } = await run('iam-users.json');
    expect(account(records, '123456789012:root')).toEqual({
      accountId: 'root',
      displayName: 'root',
      email: null,
      accountType: 'root',
      status: 'active',
      privileged: true,
      roles: [],
      mfa: 'enabled',
      createdAt: '2023-01-10T09:00:00.000Z',
      lastLoginAt: '2026-02-14T10:30:00.000Z',
      credentials: [{ id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2023-02-01T12:00:00.000Z', lastUsedAt: '2026-05-30T06:00:00.000Z' }],
      ssoIdentity: null,
    });
  });

  it('reads a shared group once and rests every record on stored snapshots', async () => {
    const { records, snapshots, requests } = await run('iam-users.json');
    expect(requests.filter((r) => String(r.body).includes('Action=ListGroupPolicies&Version=2010-05-08&GroupName=Developers'))).toHaveLength(1);
    const hashes = new Set(snapshots.map((s) => s.hash));
    for (const record of records) for (const source of record.sources) expect(hashes.has(source)).toBe(true);
    // erin rests on her ListUsers page, the report, her three lists and the Developers group's three reads.
    expect(records.find((r) => r.key === arn('erin'))?.sources).toHaveLength(8);
    const report = snapshots.find((s) => String(s.provenance.requestBody).startsWith('Action=GetCredentialReport'));
    expect(report?.body).toEqual(expect.stringContaining('<Content>'));
    expect(snapshots.every((s) => s.provenance.connector === 'aws' && s.provenance.url.endsWith('/'))).toBe(true);
    expect(snapshots.slice(1).every((s) => s.provenance.identity === arn('evidentia-collector'))).toBe(true);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_SECRET_ACCESS_KEY);
  });

  it('rides out IAM throttling (HTTP 400 Throttling) through the SDK fetch, with no request retried twice', async () => {
    const cassette = loadFixture('iam-users.json');
    const at = indexOf(cassette, 'Action=ListGroupsForUser&Version=2010-05-08&UserName=bob');
    const throttled = { ...cassette.interactions[at]!, response: { status: 400, headers: { 'content-type': 'text/xml' }, body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>00000000-aaaa-4bbb-8ccc-000000000000</RequestId></ErrorResponse>' } };
    cassette.interactions.splice(at, 0, throttled);
    const { outcome, sleeps, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.requests).toBe(32);
    expect(requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
  });

  it('fails naming the missing permission when ListUsers is denied', async () => {
    const { outcome, records } = await run('iam-users-access-denied.json');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'AccessDenied: iam:ListUsers on arn:aws:iam::123456789012:user/ (as arn:aws:iam::123456789012:user/evidentia-collector); add it to the policy in connectors/aws/README.md',
    );
    expect(records).toHaveLength(0);
  });

  it('fails naming the call and the field when a response changes shape', async () => {
    const cassette = loadFixture('iam-users.json');
    const page = cassette.interactions[indexOf(cassette, 'Action=ListUsers&Version=2010-05-08&MaxItems=1000')]!;
    page.response = { ...page.response, body: String(page.response.body).replace('<Arn>arn:aws:iam::123456789012:user/alice</Arn>', '') };
    cassette.interactions = cassette.interactions.slice(0, 5);
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^unexpected response shape from iam:ListUsers: Users\.0\.Arn: /);
  });
});
