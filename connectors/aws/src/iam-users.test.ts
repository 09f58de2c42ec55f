/**
 * The iam_users stream against the hand-built account: the access inventory
 * an auditor samples for CC6.1–CC6.3 (MFA, stale keys, privilege, root), and
 * how it behaves under IAM throttling and a missing permission.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { accountData as account, bodyText, indexOf, loadFixture, runIamUsers as run, TEST_SECRET_ACCESS_KEY, testConfig, userArn as arn } from './test-support.js';

describe('iam_users stream', () => {
  it('inventories every IAM user over two GetAccountAuthorizationDetails pages, and the root account', async () => {
    const { outcome, records, sleeps } = await run('iam-users.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.identity).toBe(arn('evidentia-collector'));
    expect(records.map((r) => r.key).sort()).toEqual([...['alice', 'bob', 'carol-ci', 'dave', 'erin', 'evidentia-collector'].map(arn), '123456789012:root'].sort());
    expect(outcome.apiTotal).toBe(7);
    // GetCallerIdentity, two GenerateCredentialReport, GetCredentialReport, one page of customer-managed policies, one of groups, two of users,
    // and ListAccessKeys for the three users whose report row holds a key.
    expect(outcome.requests).toBe(11);
    // The credential report was STARTED once: one polite wait before asking again.
    expect(sleeps).toEqual([2000]);
    expect(records.every((r) => r.kind === 'access.account' && r.system === 'aws:acme-prod' && r.controls.join() === 'CC6.1,CC6.2,CC6.3')).toBe(true);
  });

  it('records console password, MFA, access keys and privilege per user', async () => {
    const { records } = await run('iam-users.json');
    expect(account(records, arn('alice'))).toMatchObject({
      accountId: 'alice',
      // The user id a rename (UpdateUser) keeps.
      sourceId: 'AIDAALICEEXAMPLE00001',
      accountType: 'user',
      status: 'active',
      privileged: true,
      mfa: 'enabled',
      roles: ['AdministratorAccess', 'DeveloperDeploy', 'ReadOnlyAccess', 'group:Admins', 'group:Developers'],
      createdAt: '2024-03-01T10:00:00.000Z',
      lastLoginAt: '2026-06-29T08:15:00.000Z',
      credentials: [
        { id: 'password', type: 'password', status: 'active', createdAt: '2026-03-01T09:00:00.000Z', lastUsedAt: '2026-06-29T08:15:00.000Z' },
        { id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2026-05-01T09:00:00.000Z', lastUsedAt: '2026-06-30T17:20:00.000Z', lastFour: '0A1B' },
      ],
    });
    expect(account(records, arn('alice')).attributes).toEqual({ consoleAccess: true, privilegedBy: ['AdministratorAccess (group Admins)'] });
    // Console password without MFA, and privileged through group Platform: the default version of its customer-managed platform-ops allows everything.
    expect(account(records, arn('bob'))).toMatchObject({
      mfa: 'disabled',
      privileged: true,
      roles: ['DeveloperDeploy', 'ReadOnlyAccess', 'group:Developers', 'group:Platform', 'platform-ops'],
      attributes: { privilegedBy: ['platform-ops (group Platform)'] },
      credentials: [{ id: 'password', status: 'active' }],
    });
    // An active key rotated 2025-11-20 (over 90 days before the period's end), and an old inactive one; keys and no console password: a service identity.
    expect(account(records, arn('carol-ci'))).toMatchObject({
      accountType: 'service',
      mfa: 'disabled',
      privileged: false,
      lastLoginAt: null,
      roles: ['CIDeployPolicy'],
      credentials: [
        // ListAccessKeys lists the old key first: each key joins the slot created in the same second.
        { id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2025-11-20T12:00:00.000Z', lastUsedAt: '2026-06-30T23:10:00.000Z', lastFour: 'MPLE' },
        { id: 'access_key_2', type: 'access_key', status: 'inactive', createdAt: '2024-02-01T12:00:00.000Z', lastUsedAt: '2024-10-01T08:00:00.000Z', lastFour: '2OLD' },
      ],
    });
    // Privileged through an inline Action "*" on Resource "*", and through IAMFullAccess.
    expect(account(records, arn('dave'))).toMatchObject({ privileged: true, roles: ['BreakGlass'], attributes: { privilegedBy: ['BreakGlass'] } });
    expect(account(records, arn('erin'))).toMatchObject({ privileged: true, roles: ['DeveloperDeploy', 'IAMFullAccess', 'ReadOnlyAccess', 'group:Developers'], attributes: { privilegedBy: ['IAMFullAccess'] } });
    // An inline policy that lists actions on "*" is not "everything"; a user who is not privileged names no policy that makes it so.
    expect(account(records, arn('evidentia-collector'))).toMatchObject({ privileged: false, roles: ['EvidentiaCollector', 'SecurityAudit'] });
    expect(account(records, arn('carol-ci')).attributes).toEqual({ consoleAccess: false, serviceBecause: 'access keys and no console password' });
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

  it('never puts a whole access key ID in a record', async () => {
    const { records } = await run('iam-users.json');
    const text = JSON.stringify(records);
    for (const id of ['AKIAEXAMPLEALICE0A1B', 'AKIAI44QH8DHBEXAMPLE', 'AKIAEXAMPLECAROL2OLD', 'AKIAIOSFODNN7EXAMPLE']) expect(text).not.toContain(id);
    expect(account(records, arn('evidentia-collector')).credentials).toEqual([expect.objectContaining({ id: 'access_key_1', lastFour: 'MPLE' })]);
  });

  it('leaves a slot without its last four when its key cannot be told apart, rather than guessing', async () => {
    const cassette = loadFixture('iam-users.json');
    const keys = cassette.interactions[indexOf(cassette, 'UserName=carol-ci')]!;
    // Both of carol-ci's keys claim the same creation second: neither slot can be matched.
    keys.response = { ...keys.response, body: String(keys.response.body).replace('2024-02-01T12:00:00Z', '2025-11-20T12:00:00Z') };
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('complete');
    const credentials = account(records, arn('carol-ci')).credentials as Array<Record<string, unknown>>;
    expect(credentials.map((c) => [c.id, c.lastFour])).toEqual([
      ['access_key_1', undefined],
      ['access_key_2', undefined],
    ]);
    expect(account(records, arn('alice')).credentials).toEqual(expect.arrayContaining([expect.objectContaining({ lastFour: '0A1B' })]));
  });

  it('lists the groups once and rests every record on stored snapshots', async () => {
    const { records, snapshots, requests } = await run('iam-users.json');
    expect(requests.filter((r) => String(r.body).includes('Filter.member.1=Group'))).toHaveLength(1);
    const hashes = new Set(snapshots.map((s) => s.hash));
    for (const record of records) for (const source of record.sources) expect(hashes.has(source)).toBe(true);
    // erin rests on her page of users, the report and the page of groups that holds Developers.
    expect(records.find((r) => r.key === arn('erin'))?.sources).toHaveLength(3);
    // alice's two groups come from the same page, named once; her access key's last four from ListAccessKeys.
    expect(records.find((r) => r.key === arn('alice'))?.sources).toHaveLength(4);
    // Judged by a customer-managed policy's document, directly (carol-ci) or through a group (bob): the page of policies too; carol-ci's keys too.
    expect(records.find((r) => r.key === arn('carol-ci'))?.sources).toHaveLength(4);
    expect(records.find((r) => r.key === arn('bob'))?.sources).toHaveLength(4);
    const report = snapshots.find((s) => String(s.provenance.requestBody).startsWith('Action=GetCredentialReport'));
    expect(report?.body).toEqual(expect.stringContaining('<Content>'));
    expect(snapshots.every((s) => s.provenance.connector === 'aws' && s.provenance.url.endsWith('/'))).toBe(true);
    expect(snapshots.slice(1).every((s) => s.provenance.identity === arn('evidentia-collector'))).toBe(true);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_SECRET_ACCESS_KEY);
  });

  it('rides out IAM throttling (HTTP 400 Throttling) through the SDK fetch, with no request retried twice', async () => {
    const cassette = loadFixture('iam-users.json');
    const at = indexOf(cassette, 'Marker=AAEXAMPLEMARKERpage2');
    const throttled = { ...cassette.interactions[at]!, response: { status: 400, headers: { 'content-type': 'text/xml' }, body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>00000000-aaaa-4bbb-8ccc-000000000000</RequestId></ErrorResponse>' } };
    cassette.interactions.splice(at, 0, throttled);
    const { outcome, sleeps, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.requests).toBe(12);
    expect(requests.filter((r) => r.status === 400)).toHaveLength(1);
    expect(sleeps).toHaveLength(2);
  });

  it('fails naming the missing permission when GetAccountAuthorizationDetails is denied', async () => {
    const { outcome, records } = await run('iam-users-access-denied.json');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'AccessDenied: iam:GetAccountAuthorizationDetails of acme-prod on * (as arn:aws:iam::123456789012:user/evidentia-collector); add it to the policy in connectors/aws/README.md',
    );
    expect(records).toHaveLength(0);
  });

  it('names a user deleted between its listing and ListAccessKeys (NoSuchEntity) as an item gap, keeps its record and the others', async () => {
    const cassette = loadFixture('iam-users.json');
    const keys = cassette.interactions[indexOf(cassette, 'Action=ListAccessKeys&Version=2010-05-08&UserName=alice')]!;
    keys.response = {
      ...keys.response,
      status: 404,
      body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The user with name alice cannot be found.</Message></Error><RequestId>00000400-aaaa-4bbb-8ccc-000000000401</RequestId></ErrorResponse>',
    };
    const { outcome, records } = await run(cassette);
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 7, records: 7, cursorAfter: null });
    expect(outcome.itemGaps).toEqual([{ item: `IAM user ${arn('alice')}`, reason: expect.stringMatching(/^iam:ListAccessKeys answered NoSuchEntity/), inScope: true }]);
    const alice = account(records, arn('alice')) as { mfa: string; credentials: Array<Record<string, unknown>> };
    expect(alice).toMatchObject({ mfa: 'enabled', credentials: [{ id: 'password' }, { id: 'access_key_1', status: 'active' }] });
    expect(alice.credentials[1]).not.toHaveProperty('lastFour');
    expect(account(records, arn('carol-ci')).credentials).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'access_key_1', lastFour: 'MPLE' })]));
  });

  it('lists the groups again when a page of users names a group created since, and fails if it is still missing', async () => {
    const cassette = loadFixture('iam-users.json');
    const at = indexOf(cassette, 'Filter.member.1=Group');
    const full = cassette.interactions[at]!;
    const body = String(full.response.body);
    const withoutDevelopers = { ...full, response: { ...full.response, body: body.replace(/\s*<member><Path>\/<\/Path><GroupName>Developers<\/GroupName>.*?<\/AttachedManagedPolicies><\/member>/s, '') } };
    expect(String(withoutDevelopers.response.body)).not.toContain('Developers');
    // The first listing misses Developers; the second, asked for by the first page of users, has it.
    cassette.interactions.splice(at, 1, withoutDevelopers);
    cassette.interactions.splice(at + 2, 0, full);
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.requests).toBe(12);
    expect(account(records, arn('bob'))).toMatchObject({ privileged: true, roles: ['DeveloperDeploy', 'ReadOnlyAccess', 'group:Developers', 'group:Platform', 'platform-ops'] });

    const stale = loadFixture('iam-users.json');
    stale.interactions.splice(at, 2, withoutDevelopers, stale.interactions[at + 1]!, withoutDevelopers);
    const failed = await run({ ...stale, interactions: stale.interactions.slice(0, at + 3) });
    expect(failed.outcome.status).toBe('failed');
    expect(failed.outcome.error).toBe('user alice is in group Developers, which GetAccountAuthorizationDetails does not list (IAM changed during collection; run again)');
  });

  it('is partial, naming each, when the credential report lacks the root row and a user the listing has (created before the report)', async () => {
    const cassette = loadFixture('iam-users.json');
    const at = indexOf(cassette, 'Action=GetCredentialReport');
    const page = cassette.interactions[at]!;
    const body = String(page.response.body);
    const content = /<Content>(.*?)<\/Content>/s.exec(body)![1]!;
    const csv = Buffer.from(content, 'base64').toString('utf8').split('\n').filter((line) => !line.startsWith('<root_account>,') && !line.startsWith('bob,'));
    page.response = { ...page.response, body: body.replace(content, Buffer.from(csv.join('\n')).toString('base64')) };
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('partial');
    expect(outcome.apiTotal).toBe(5);
    expect(records.map((r) => r.key)).not.toContain('123456789012:root');
    expect(account(records, arn('bob'))).toMatchObject({ mfa: 'unknown', credentials: [] });
    expect(outcome.itemGaps).toEqual([
      { item: `IAM user ${arn('bob')}`, reason: 'created 2025-01-15T09:30:00.000Z, before the credential report was generated (2026-06-30T23:50:00.000Z), yet missing from it while GetAccountAuthorizationDetails lists it', inScope: true },
      { item: 'root account of acme-prod (123456789012)', reason: 'the credential report generated 2026-06-30T23:50:00.000Z has no root account row', inScope: true },
    ]);
    expect(outcome.error).toBe(
      `received 6 of 5 IAM users and root account of acme-prod (the rows of the credential report generated 2026-06-30T23:50:00.000Z) the source reports; 2 in-scope items could not be read: IAM user ${arn('bob')} (created 2025-01-15T09:30:00.000Z, before the credential report was generated (2026-06-30T23:50:00.000Z), yet missing from it while GetAccountAuthorizationDetails lists it); root account of acme-prod (123456789012) (the credential report generated 2026-06-30T23:50:00.000Z has no root account row)`,
    );
  });

  it("does not give a user re-created under the same name since the credential report the former user's MFA, password and keys: an in-scope item gap names it", async () => {
    const cassette = loadFixture('iam-users.json');
    const page = cassette.interactions[indexOf(cassette, 'Filter.member.1=User&MaxItems=1000&Marker=AAEXAMPLEMARKERpage2')]!;
    const body = String(page.response.body);
    // dave was deleted and created again after the report (generated 2026-06-30T23:50:00Z) that still holds the former dave's row.
    const recreated = body.replace(/(<UserName>dave<\/UserName>[\s\S]*?<CreateDate>)2025-09-10T12:00:00Z(<\/CreateDate>)/, '$12026-06-30T23:55:00Z$2');
    expect(recreated).not.toBe(body);
    page.response = { ...page.response, body: recreated };
    const { outcome, records } = await run(cassette);
    expect(account(records, arn('dave'))).toMatchObject({ mfa: 'unknown', credentials: [], lastLoginAt: null, createdAt: '2026-06-30T23:55:00.000Z' });
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([
      {
        item: `IAM user ${arn('dave')}`,
        reason:
          'created 2026-06-30T23:55:00.000Z, while the credential report generated 2026-06-30T23:50:00.000Z has the row of a user of that name created 2025-09-10T12:00:00.000Z (deleted and created again since): its password, MFA and access keys are unknown until a report generated after it',
        inScope: true,
      },
    ]);
  });

  it('on a later run names each unchanged key from the ListAccessKeys answer its earlier record rests on, and lists no key again', async () => {
    const first = await run('iam-users.json');
    const later = loadFixture('iam-users.json');
    // Strict replay: a ListAccessKeys request would match nothing and fail the run.
    later.interactions = later.interactions.filter((interaction) => !bodyText(interaction).includes('Action=ListAccessKeys'));
    const second = await runConnectorFixture({ connector: awsConnector, stream: 'iam_users', cassettes: [later], config: testConfig(), previous: first });
    expect(second.outcome.status).toBe('complete');
    expect(second.outcome.requests).toBe(first.outcome.requests - 3);
    expect(second.records.map((r) => r.data)).toEqual(first.records.map((r) => r.data));
    const listings = new Map(first.snapshots.filter((s) => JSON.stringify(s.provenance.requestBody).includes('ListAccessKeys')).map((s) => [String(s.body).match(/<UserName>([^<]+)<\/UserName>/)![1]!, s.hash]));
    expect([...listings.keys()].sort()).toEqual(['alice', 'carol-ci', 'evidentia-collector']);
    for (const [user, hash] of listings) expect(second.records.find((r) => r.key === arn(user))!.sources).toContain(hash);
    // Nothing but the sources changed, so each record is the earlier one again (sources included), as in a locker.
    expect(second.records).toEqual(first.records);
  });

  it('asks ListAccessKeys again for a user whose key slot holds another key since (a new creation time), and only for that user', async () => {
    const first = await run('iam-users.json');
    const later = loadFixture('iam-users.json');
    const report = later.interactions[indexOf(later, 'Action=GetCredentialReport')]!;
    const body = String(report.response.body);
    const content = /<Content>(.*?)<\/Content>/s.exec(body)![1]!;
    // carol-ci's active key is rotated: slot 1 now holds a key created 2026-06-30T10:00:00Z.
    const csv = Buffer.from(content, 'base64').toString('utf8').replace('carol-ci,arn:aws:iam::123456789012:user/carol-ci,2023-06-01T08:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-11-20T12:00:00+00:00', 'carol-ci,arn:aws:iam::123456789012:user/carol-ci,2023-06-01T08:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-06-30T10:00:00+00:00');
    expect(csv).toContain('2026-06-30T10:00:00+00:00');
    report.response = { ...report.response, body: body.replace(content, Buffer.from(csv).toString('base64')) };
    const carol = later.interactions[indexOf(later, 'UserName=carol-ci')]!;
    carol.response = { ...carol.response, body: String(carol.response.body).replace(/<AccessKeyId>[^<]*EXAMPLE<\/AccessKeyId>(\s*<Status>Active<\/Status>\s*<CreateDate>)2025-11-20T12:00:00Z/, '<AccessKeyId>AKIAEXAMPLECAROLNEW9</AccessKeyId>$12026-06-30T10:00:00Z') };
    expect(String(carol.response.body)).toContain('AKIAEXAMPLECAROLNEW9');
    later.interactions = later.interactions.filter((interaction) => !bodyText(interaction).includes('Action=ListAccessKeys') || bodyText(interaction).includes('UserName=carol-ci'));
    const second = await runConnectorFixture({ connector: awsConnector, stream: 'iam_users', cassettes: [later], config: testConfig(), previous: first });
    expect(second.outcome.status).toBe('complete');
    expect(second.outcome.requests).toBe(first.outcome.requests - 2);
    expect(account(second.records, arn('carol-ci')).credentials).toEqual([
      { id: 'access_key_1', type: 'access_key', status: 'active', createdAt: '2026-06-30T10:00:00.000Z', lastUsedAt: '2026-06-30T23:10:00.000Z', lastFour: 'NEW9' },
      { id: 'access_key_2', type: 'access_key', status: 'inactive', createdAt: '2024-02-01T12:00:00.000Z', lastUsedAt: '2024-10-01T08:00:00.000Z', lastFour: '2OLD' },
    ]);
    expect(account(second.records, arn('alice')).credentials).toEqual(account(first.records, arn('alice')).credentials);
  });

  it('fails naming the call and the field when a response changes shape', async () => {
    const cassette = loadFixture('iam-users.json');
    const at = indexOf(cassette, 'Filter.member.1=User');
    const page = cassette.interactions[at]!;
    page.response = { ...page.response, body: String(page.response.body).replace('<Arn>arn:aws:iam::123456789012:user/alice</Arn>', '') };
    cassette.interactions = cassette.interactions.slice(0, at + 1);
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^unexpected response shape from iam:GetAccountAuthorizationDetails of acme-prod: UserDetailList\.0\.Arn: /);
  });
});
