/**
 * The account_config stream: the password policy (CC6.1) and the trails with
 * their logging status (CC7.2), including a trail that stopped logging, an
 * account without a password policy, a region without any trail, and a
 * multi-region trail seen in two regions but recorded once.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { fixturePath, indexOf, loadFixture, testConfig, type Interaction } from './test-support.js';

const run = (cassette: string | CassetteInput, regions = ['us-east-1']) =>
  runConnectorFixture({ connector: awsConnector, stream: 'account_config', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: testConfig({ regions }) });

const TRAIL = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-audit-trail';
const LEGACY = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/legacy-app-trail';

describe('account_config stream', () => {
  it('records the password policy as access.config and each trail as change.config', async () => {
    const { outcome, records } = await run('account-config.json');
    expect(outcome.status).toBe('complete');
    expect(records.map((r) => [r.kind, r.key, r.controls.join()])).toEqual([
      ['access.config', '123456789012:password_policy', 'CC6.1,CC7.2'],
      ['change.config', TRAIL, 'CC6.1,CC7.2'],
      ['change.config', LEGACY, 'CC6.1,CC7.2'],
    ]);
    expect(records[0]?.data).toEqual({
      target: 'aws:123456789012',
      setting: 'password_policy',
      present: true,
      settings: {
        minimumPasswordLength: 14,
        requireSymbols: true,
        requireNumbers: true,
        requireUppercaseCharacters: true,
        requireLowercaseCharacters: true,
        allowUsersToChangePassword: true,
        expirePasswords: false,
        maxPasswordAge: null,
        passwordReusePrevention: 24,
        hardExpiry: false,
      },
    });
  });

  it('shows a trail that stopped logging, with its delivery error', async () => {
    const { records } = await run('account-config.json');
    expect(records.find((r) => r.key === TRAIL)?.data.settings).toMatchObject({ isLogging: true, isMultiRegionTrail: true, logFileValidationEnabled: true, latestDeliveryError: null });
    expect(records.find((r) => r.key === LEGACY)?.data).toMatchObject({
      target: LEGACY,
      setting: 'trail',
      present: true,
      settings: { name: 'legacy-app-trail', isLogging: false, stopLoggingTime: '2026-05-12T16:40:00.000Z', latestDeliveryError: 'NoSuchBucket', isMultiRegionTrail: false, logFileValidationEnabled: false },
    });
  });

  it('records present: false, resting on the stored NoSuchEntity answer, when the account has no password policy', async () => {
    const cassette = loadFixture('account-config.json');
    const noPolicy = '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The Password Policy with domain name 123456789012 cannot be found.</Message></Error><RequestId>00000000-aaaa-4bbb-8ccc-000000000001</RequestId></ErrorResponse>';
    cassette.interactions[indexOf(cassette, 'GetAccountPasswordPolicy')]!.response = { status: 404, headers: { 'content-type': 'text/xml' }, body: noPolicy };
    const { outcome, records, snapshots } = await run(cassette);
    expect(outcome.status).toBe('complete');
    const policy = records.find((r) => r.key === '123456789012:password_policy');
    expect(policy?.data).toEqual({ target: 'aws:123456789012', setting: 'password_policy', present: false, settings: {} });
    const kept = snapshots.find((s) => s.hash === policy?.sources[0]);
    expect(kept?.provenance).toMatchObject({ status: 404, method: 'POST', requestBody: 'Action=GetAccountPasswordPolicy&Version=2010-05-08' });
    expect(kept?.body).toBe(noPolicy);
  });

  it('names a trail deleted between DescribeTrails and GetTrailStatus as an in-scope item gap and records the others', async () => {
    const cassette = loadFixture('account-config.json');
    const status = cassette.interactions[indexOf(cassette, 'org-audit-trail')]!;
    status.response = { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: { __type: 'TrailNotFoundException', Message: `Unknown trail: ${TRAIL} for the user: 123456789012` } };
    const { outcome, records } = await run(cassette);
    expect(records.map((r) => r.key)).toEqual(['123456789012:password_policy', LEGACY]);
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([
      { item: `trail ${TRAIL}`, reason: `cloudtrail:GetTrailStatus in us-east-1 of acme-prod answered TrailNotFound (deleted after DescribeTrails listed it): its logging status is unknown until the next run`, inScope: true },
    ]);
  });

  it('fails naming the region and the account when one region of several refuses DescribeTrails', async () => {
    const cassette = loadFixture('account-config.json');
    const describe = cassette.interactions[indexOf(cassette, 'includeShadowTrails')]!;
    const refused = { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    cassette.interactions = [...cassette.interactions.slice(0, indexOf(cassette, 'includeShadowTrails') + 1), { request: describe.request, response: { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: refused } }];
    const { outcome, records } = await run(cassette, ['us-east-1', 'eu-west-1']);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('cloudtrail:DescribeTrails in eu-west-1 of acme-prod failed: HTTP 400 UnrecognizedClientException: The security token included in the request is invalid.');
    // What was read before the refusal is kept.
    expect(records.map((r) => r.key)).toEqual(['123456789012:password_policy']);
  });

  it('records a trail seen in two regions once, and a region that no trail covers', async () => {
    const cassette = loadFixture('account-config.json');
    const describe = cassette.interactions[indexOf(cassette, 'includeShadowTrails')]!;
    const multiRegion = (describe.response.body as { trailList: unknown[] }).trailList[0];
    const inRegion = (body: unknown): Interaction => ({ request: describe.request, response: { ...describe.response, body: body as Interaction['response']['body'] } });
    cassette.interactions.push(inRegion({ trailList: [multiRegion] }), inRegion({ trailList: [] }));
    const { outcome, records } = await run(cassette, ['us-east-1', 'eu-west-1', 'ap-south-1']);
    expect(outcome.status).toBe('complete');
    expect(records.filter((r) => r.key === TRAIL)).toHaveLength(1);
    expect(records.find((r) => r.key === TRAIL)?.sources).toHaveLength(3);
    expect(records.find((r) => r.key === '123456789012:ap-south-1:trail')?.data).toEqual({ target: 'aws:123456789012:ap-south-1', setting: 'trail', present: false, settings: {} });
  });
});
