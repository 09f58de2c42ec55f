/**
 * `evidentia doctor` for GitHub against the simulated GitHub on 127.0.0.1:
 * a good token passes every check; a classic token without read:org, a
 * token of a non-owner (2FA list, invitations, SAML identities), one without Administration (read), one not
 * authorized for SAML SSO, a rejected token and a closed port are each
 * named for what they are.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runDoctor, Secret, type DoctorCheck } from '@evidentia/sdk';
import { GitHubConfig } from './config.js';
import { githubConnector } from './index.js';
import { generateSimOrg, type SimToken } from './simulator-org.js';
import { SIMULATOR_TOKEN, startGitHubSimulator, type GitHubSimulator } from './simulator.js';

const simulators: GitHubSimulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((simulator) => simulator.close()));
});

async function doctorOf(token: SimToken | undefined, options: { tokenValue?: string; baseUrl?: string; saml?: boolean } = {}): Promise<DoctorCheck[]> {
  const org = generateSimOrg({ members: 5, collaborators: 1, repositories: 3 });
  org.token = token;
  if (options.saml) org.saml = [{ nameId: 'someone@example.com', login: org.members[0]!.login }];
  const simulator = await startGitHubSimulator(org);
  simulators.push(simulator);
  const config = GitHubConfig.parse({ org: org.org, token: new Secret(options.tokenValue ?? SIMULATOR_TOKEN, '${env:GITHUB_TOKEN}'), baseUrl: options.baseUrl ?? simulator.baseUrl });
  const checks = await runDoctor({ connector: githubConnector, instance: 'github', config, sleep: async () => {} });
  expect(simulator.unexpected).toEqual([]);
  return checks;
}

const failed = (checks: DoctorCheck[]) => checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`);

describe('github doctor', () => {
  it('a fine-grained token of an owner passes every check', async () => {
    const checks = await doctorOf(undefined);
    expect(checks.map((check) => check.name)).toEqual(['token', 'organization sim-corp', 'members: read', 'members: 2FA state (organization owner)', 'members: outside collaborators', 'members: pending invitations (organization owner)', 'members: SAML identities (organization owner)', 'branch protection: Administration (read)', 'pull requests: search (GraphQL)']);
    expect(failed(checks)).toEqual([]);
    expect(checks.find((check) => check.name.startsWith('members: SAML'))?.detail).toBe('the organization has no SAML SSO (recorded as such)');
    expect(checks[0]?.detail).toBe('fine-grained token of sim-owner');
  });

  it('a classic token is judged by its scopes: admin:org covers read:org, a missing repo scope is named', async () => {
    expect(failed(await doctorOf({ scopes: ['admin:org', 'repo'] }))).toEqual([]);
    expect(failed(await doctorOf({ scopes: ['admin:org'] }))).toEqual(['token: classic token of sim-owner lacks repo (or public_repo when every repository is public) (it has: admin:org)']);
  });

  it('a non-owner and a token without Administration (read) are told what they cannot read', async () => {
    expect(failed(await doctorOf({ owner: false }))).toEqual([
      'members: 2FA state (organization owner): GitHub answered 422 (Only owners can use this filter.): only an organization owner can read who has 2FA off; collections would record MFA as unknown',
      'members: pending invitations (organization owner): GitHub answered 403 (Must be an organization owner.): only an organization owner can list pending invitations; collections would name them as a gap',
    ]);
    // With SAML SSO, a non-owner cannot read the identities either.
    expect(failed(await doctorOf({ owner: false }, { saml: true })).filter((line) => line.startsWith('members: SAML'))).toEqual([
      'members: SAML identities (organization owner): GraphQL answered: Only owners can read the SAML identities of sim-corp.; collections would leave SAML linkage unrecorded (only an organization owner can read it)',
    ]);
    expect(failed(await doctorOf({ administration: false }))).toEqual([
      'branch protection: Administration (read): GitHub answered 403 (Resource not accessible by personal access token): cannot read the protection of service-0: Administration (read), or admin rights on the repository, is needed',
    ]);
  });

  it('a token not authorized for SAML SSO is told where to authorize it, not that it lacks a permission', async () => {
    const url = 'https://github.com/orgs/sim-corp/sso?authorization_request=abc';
    expect(failed(await doctorOf({ ssoAuthorizeUrl: url }))).toEqual([`organization sim-corp: the token is not authorized for the organization's SAML SSO: authorize it at ${url}`]);
  });

  it('a rejected token stops at the token check', async () => {
    const checks = await doctorOf(undefined, { tokenValue: 'not-the-token' });
    expect(failed(checks)).toEqual(['token: GitHub rejected the token (401 Bad credentials): it is expired, revoked or mistyped']);
    expect(checks).toHaveLength(1);
  });

  it('an unreachable GitHub is a network error, not a permission or HTTP 500', async () => {
    const closed = await startGitHubSimulator(generateSimOrg({ members: 1, repositories: 1 }));
    const baseUrl = closed.baseUrl;
    await closed.close();
    const checks = await doctorOf(undefined, { baseUrl });
    expect(failed(checks)).toEqual([`doctor: network error: GET ${baseUrl}/user failed after 3 attempts: connection refused by ${baseUrl.replace('http://', '')}`]);
  });
});
