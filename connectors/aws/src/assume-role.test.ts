/**
 * An account reached through an assumed role: AssumeRole (with the external
 * ID) goes through the credential fetch, so the temporary credentials are
 * never stored; one session serves the IAM, STS and CloudTrail clients; the
 * identity in provenance is the assumed role; a denied AssumeRole is named.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { loadFixture, testConfig, type Interaction } from './test-support.js';

const ROLE = 'arn:aws:iam::123456789012:role/evidentia-readonly';
const ASSUMED = 'arn:aws:sts::123456789012:assumed-role/evidentia-readonly/evidentia-acme-prod';
const SESSION_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const ASSUME_BODY = `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(ROLE)}&RoleSessionName=evidentia-acme-prod&DurationSeconds=3600&ExternalId=acme-evidentia-7f3a`;

const xml = (status: number, body: string): Interaction['response'] => ({ status, headers: { 'content-type': 'text/xml' }, body });
const assumed = xml(
  200,
  `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><Arn>${ASSUMED}</Arn><AssumedRoleId>AROAEXAMPLEROLEID0001:evidentia-acme-prod</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId><SecretAccessKey>${SESSION_SECRET}</SecretAccessKey><SessionToken>FwoGZXIvYXdzEXAMPLESESSIONTOKEN</SessionToken><Expiration>2026-07-01T01:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
);

function viaRole(response: Interaction['response']): CassetteInput {
  const cassette = loadFixture('account-config.json');
  const identity = cassette.interactions[0]!;
  identity.response = { ...identity.response, body: String(identity.response.body).replace('arn:aws:iam::123456789012:user/evidentia-collector', ASSUMED) };
  cassette.interactions.unshift({ request: { method: 'POST', path: '/', body: ASSUME_BODY }, response });
  return cassette;
}

const run = (cassette: CassetteInput) =>
  runConnectorFixture({ connector: awsConnector, stream: 'account_config', cassettes: [cassette], config: testConfig({ accounts: [{ alias: 'acme-prod', roleArn: ROLE, externalId: 'acme-evidentia-7f3a' }] }) });

describe('assume role', () => {
  it('assumes the role once for every client and records the assumed identity, never the session credentials', async () => {
    const { outcome, snapshots, requests } = await run(viaRole(assumed));
    expect(outcome.status).toBe('complete');
    expect(outcome.identity).toBe(ASSUMED);
    expect(requests.filter((r) => String(r.body).startsWith('Action=AssumeRole'))).toHaveLength(1);
    expect(snapshots.some((s) => String(s.provenance.requestBody).startsWith('Action=AssumeRole'))).toBe(false);
    expect(JSON.stringify(snapshots)).not.toContain(SESSION_SECRET);
    expect(snapshots.filter((s) => s.provenance.identity === ASSUMED).length).toBe(snapshots.length - 1);
  });

  it('fails naming sts:AssumeRole and the role when the trust policy refuses', async () => {
    const refused = xml(403, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/evidentia-collector is not authorized to perform: sts:AssumeRole on resource: ${ROLE}</Message></Error><RequestId>00000000-aaaa-4bbb-8ccc-0000000000a1</RequestId></ErrorResponse>`);
    const cassette = viaRole(refused);
    cassette.interactions = cassette.interactions.slice(0, 1);
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(`AccessDenied: sts:AssumeRole on ${ROLE}; add it to the policy in connectors/aws/README.md`);
  });
});
