/**
 * Privilege through customer-managed policies, whose documents only the
 * account's listing (Filter=LocalManagedPolicy) carries: variants of the
 * hand-built account where such a policy is attached directly, where its
 * document cannot be read, and where IAM changed between the listings.
 */
import { describe, expect, it } from '@jest/globals';
import type { CassetteInput } from '@evidentia/testing';
import { accountData, indexOf, loadFixture, runIamUsers, userArn } from './test-support.js';

const PLATFORM_OPS = 'arn:aws:iam::123456789012:policy/platform-ops';
const CI_DEPLOY = 'arn:aws:iam::123456789012:policy/CIDeployPolicy';

/** iam-users.json with the response of the first request containing `request` rewritten, cut after the request at `keep` (strict replay). */
function variant(request: string, rewrite: (body: string) => string, keep: (cassette: CassetteInput) => number = (c) => c.interactions.length): CassetteInput {
  const cassette = loadFixture('iam-users.json');
  const at = indexOf(cassette, request);
  const interaction = cassette.interactions[at]!;
  const body = String(interaction.response.body);
  interaction.response = { ...interaction.response, body: rewrite(body) };
  expect(String(interaction.response.body)).not.toEqual(body);
  return { ...cassette, interactions: cassette.interactions.slice(0, keep(cassette) + 1) };
}

const policies = 'Filter.member.1=LocalManagedPolicy';
const afterPolicies = (c: CassetteInput) => indexOf(c, policies);

describe('customer-managed policies', () => {
  it('make a user privileged when attached directly and their default version allows everything', async () => {
    const attached = `<member><PolicyName>platform-ops</PolicyName><PolicyArn>${PLATFORM_OPS}</PolicyArn></member>`;
    const cassette = variant('Filter.member.1=User&MaxItems=1000', (body) => body.replace(`<PolicyArn>${CI_DEPLOY}</PolicyArn></member>`, `$&${attached}`));
    const { outcome, records } = await runIamUsers(cassette);
    expect(outcome.status).toBe('complete');
    expect(accountData(records, userArn('carol-ci'))).toMatchObject({ privileged: true, roles: ['CIDeployPolicy', 'platform-ops'], attributes: { privilegedBy: ['platform-ops'] } });
  });

  it('fail the stream naming the policy when its default version cannot be read', async () => {
    const unreadable = variant(policies, (body) => body.replace(/(<Document>)[^<]*(<\/Document><VersionId>v2<)/, '$1%7Bnot json$2'), afterPolicies);
    const failed = await runIamUsers(unreadable);
    expect(failed.outcome.status).toBe('failed');
    expect(failed.outcome.error).toBe(`customer-managed policy platform-ops (${PLATFORM_OPS}): the policy document is not URL-encoded JSON`);
    expect(failed.records).toHaveLength(0);

    const missing = variant(policies, (body) => body.replace(/<member><Document>[^<]*<\/Document><VersionId>v2<\/VersionId>.*?<\/member>/, ''), afterPolicies);
    const { outcome } = await runIamUsers(missing);
    expect(outcome.error).toBe(`customer-managed policy platform-ops (${PLATFORM_OPS}): GetAccountAuthorizationDetails gives no document for its default version v2`);
  });

  it('fail asking to run again when a user or group attaches one the listing does not have', async () => {
    const withoutPolicy = (arn: string) => (body: string) => body.replace(new RegExp(`<member><PolicyName>[^<]*</PolicyName><PolicyId>[^<]*</PolicyId><Arn>${arn}</Arn>.*?</PolicyVersionList></member>`), '');
    // carol-ci is on the first page of users, after alice, whose access key is listed before carol-ci is judged.
    const cassette = variant(policies, withoutPolicy(CI_DEPLOY), (c) => indexOf(c, 'Filter.member.1=User'));
    const fixture = loadFixture('iam-users.json');
    cassette.interactions.push(fixture.interactions[indexOf(fixture, 'UserName=alice')]!);
    const user = await runIamUsers(cassette);
    expect(user.outcome.status).toBe('failed');
    expect(user.outcome.error).toBe(`user carol-ci has policy ${CI_DEPLOY} attached, which GetAccountAuthorizationDetails does not list (IAM changed during collection; run again)`);
    // Platform is judged as the groups are listed.
    const group = await runIamUsers(variant(policies, withoutPolicy(PLATFORM_OPS), (c) => indexOf(c, 'Filter.member.1=Group')));
    expect(group.outcome.error).toBe(`group Platform has policy ${PLATFORM_OPS} attached, which GetAccountAuthorizationDetails does not list (IAM changed during collection; run again)`);
  });
});
