/**
 * `evidentia doctor` for AWS against the replay server: one check per IAM
 * action, "no such entity" answers count as permitted, and a denied action
 * is named with the identity and where the policy lives.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runDoctor } from '@evidentia/sdk';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { REQUIRED_ACTIONS } from './doctor.js';
import { awsConnector } from './index.js';
import { indexOf, loadFixture, testConfig, type Interaction } from './test-support.js';

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const COLLECTOR = 'arn:aws:iam::123456789012:user/evidentia-collector';

function iam(body: string, status: number, xml: string): Interaction {
  return { request: { method: 'POST', path: '/', body: `Action=${body}` }, response: { status, headers: { 'content-type': 'text/xml' }, body: xml } };
}
const error = (code: string, message: string) => `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>00000000-aaaa-4bbb-8ccc-00000000000d</RequestId></ErrorResponse>`;
const result = (action: string, inner: string) => `<${action}Response><${action}Result>${inner}</${action}Result></${action}Response>`;
const json = (body: unknown, status = 200): Interaction['response'] => ({ status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: body as Interaction['response']['body'] });

function doctorCassette(): Interaction[] {
  const users = loadFixture('iam-users.json');
  const config = loadFixture('account-config.json');
  const pick = (from: typeof users, text: string) => from.interactions[indexOf(from, text)]!;
  const trail = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-audit-trail';
  return [
    users.interactions[0]!,
    iam('GenerateCredentialReport&Version=2010-05-08', 200, result('GenerateCredentialReport', '<State>COMPLETE</State>')),
    pick(users, 'GetCredentialReport'),
    iam('GetAccountAuthorizationDetails&Version=2010-05-08&Filter.member.1=User&MaxItems=1', 403, error('AccessDenied', `User: ${COLLECTOR} is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *`)),
    iam('GetAccountPasswordPolicy&Version=2010-05-08', 404, error('NoSuchEntity', 'The Password Policy with domain name 123456789012 cannot be found.')),
    iam('ListAccessKeys&Version=2010-05-08&UserName=evidentia-doctor-probe', 404, error('NoSuchEntity', 'The user with name evidentia-doctor-probe cannot be found.')),
    pick(config, 'includeShadowTrails'),
    { request: { method: 'POST', path: '/', body: { Name: trail } }, response: pick(config, trail).response },
    { request: { method: 'POST', path: '/', body: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' }], MaxResults: 1 } }, response: json({ Events: [] }) },
  ];
}

describe('aws doctor', () => {
  it('checks every action once, counts "no such entity" as permitted and names a denied action', async () => {
    const server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'doctor probes', interactions: doctorCassette() }]);
    servers.push(server);
    const checks = await runDoctor({ connector: awsConnector, instance: 'aws', config: testConfig()(server.baseUrl) });
    server.assertDone();
    expect(checks.map((c) => c.name.slice(c.name.lastIndexOf(' ') + 1))).toEqual([...REQUIRED_ACTIONS]);
    expect(checks[0]).toEqual({ name: 'acme-prod: sts:GetCallerIdentity', ok: true, detail: `acting as ${COLLECTOR} in account 123456789012` });
    expect(checks.filter((c) => !c.ok)).toEqual([
      { name: 'acme-prod: iam:GetAccountAuthorizationDetails', ok: false, detail: `iam:GetAccountAuthorizationDetails is denied for ${COLLECTOR}; add it to the policy in connectors/aws/README.md` },
    ]);
    expect(checks.find((c) => c.name.endsWith('iam:GetAccountPasswordPolicy'))?.detail).toBe('permitted (AWS answered NoSuchEntity)');
  });

  it('checks identitystore:ListUsers once when Identity Center is configured, naming it when denied', async () => {
    const denied = json({ __type: 'AccessDeniedException', Message: `User: ${COLLECTOR} is not authorized to perform: identitystore:ListUsers on resource: arn:aws:identitystore::123456789012:identitystore/d-0123456789` }, 400);
    const interactions = [...doctorCassette(), { request: { method: 'POST', path: '/', body: { IdentityStoreId: 'd-0123456789', MaxResults: 1 } }, response: denied }];
    const server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'doctor probes with Identity Center', interactions }]);
    servers.push(server);
    const checks = await runDoctor({ connector: awsConnector, instance: 'aws', config: testConfig({ identityCenter: { identityStoreId: 'd-0123456789', region: 'us-east-1' } })(server.baseUrl) });
    server.assertDone();
    expect(checks.at(-1)).toEqual({ name: 'd-0123456789: identitystore:ListUsers', ok: false, detail: `identitystore:ListUsers is denied for ${COLLECTOR}; add it to the policy in connectors/aws/README.md` });
  });

  it('says so when it cannot act in the account at all', async () => {
    const server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'no identity', interactions: [] }]);
    servers.push(server);
    const checks = await runDoctor({ connector: awsConnector, instance: 'aws', config: testConfig()(server.baseUrl) });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: 'acme-prod: sts:GetCallerIdentity', ok: false });
    expect(checks[0]?.detail).toMatch(/^cannot act in the account: sts:GetCallerIdentity failed: HTTP 501/);
  });
});
