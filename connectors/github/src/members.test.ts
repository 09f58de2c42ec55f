/**
 * The members stream against recorded fixtures: the account inventory an
 * auditor samples for CC6.1–CC6.3, and how it survives 502 bursts, a rejected
 * token and a token that is not an org owner.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { githubConnector } from './index.js';
import { samlProvider } from './members-cassettes.js';
import { fixturePath, loadFixture, TEST_TOKEN, tokenConfig } from './test-support.js';

const runAll = (cassette: string | CassetteInput) => runConnectorFixture({ connector: githubConnector, stream: 'members', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: tokenConfig() });
/** The stream's account records (the organization's saml_sso fact is judged in members-access.test.ts). */
const run = async (cassette: string | CassetteInput) => {
  const result = await runAll(cassette);
  return { ...result, records: result.records.filter((r) => r.kind === 'access.account') };
};

function account(records: EvidenceRecord[], login: string): Record<string, unknown> {
  const record = records.find((r) => r.key === `user:${login}`);
  if (!record) throw new Error(`no record for ${login}`);
  return record.data;
}

describe('members stream', () => {
  it('inventories admins, members over two pages, outside collaborators and bots', async () => {
    const { outcome, records, requests } = await run('members.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.identity).toBe('erin-sec');
    expect(records.map((r) => r.key).sort()).toEqual(
      ['acme-deploy[bot]', 'alice-dev', 'bob-dev', 'carol-lead', 'dan-qa', 'erin-sec', 'frank-ops', 'grace-ui', 'olivia-contractor'].map((login) => `user:${login}`),
    );
    // GitHub's member count (admins and members); outside collaborators have no count to check against.
    expect(outcome.apiTotal).toBe(8);
    expect(requests.map((r) => r.path)).toContain('/organizations/9919/members?per_page=100&role=member&page=2');
    // /user, the outside collaborators, the repository listing, one GraphQL query (the organization's counts, the SAML identities and the
    // 5 repositories' outside collaborators), admins, members over two pages, the two 2FA lists, then the (empty) pending invitations.
    expect(outcome.requests).toBe(10);
    expect(records.every((r) => r.kind === 'access.account' && r.system === 'github:acme-corp' && r.controls.join() === 'CC6.1,CC6.2,CC6.3')).toBe(true);
  });

  it('records roles, privilege, MFA and SSO identity per account', async () => {
    const { records } = await run('members.json');
    expect(account(records, 'carol-lead')).toMatchObject({ accountType: 'member', roles: ['admin'], privileged: true, mfa: 'enabled' });
    expect(account(records, 'alice-dev')).toMatchObject({
      accountId: 'alice-dev',
      // The numeric id a rename keeps, so a revoke is judged on the account whatever its login by then.
      sourceId: '150001',
      accountType: 'member',
      roles: ['member'],
      privileged: false,
      mfa: 'disabled',
      status: 'active',
      ssoIdentity: 'alice@example.com',
      email: 'alice@example.com',
      displayName: 'Alice Nguyen',
    });
    expect(account(records, 'olivia-contractor')).toMatchObject({ accountType: 'outside_collaborator', roles: ['outside_collaborator'], privileged: false, mfa: 'enabled', ssoIdentity: null });
    expect(account(records, 'acme-deploy[bot]')).toMatchObject({ accountType: 'bot', roles: ['member'], ssoIdentity: null });
  });

  it('rests every record on stored snapshots and keeps the token out of them', async () => {
    const { records, snapshots } = await run('members.json');
    const hashes = new Set(snapshots.map((s) => s.hash));
    for (const record of records) {
      expect(record.sources.length).toBeGreaterThan(0);
      for (const source of record.sources) expect(hashes.has(source)).toBe(true);
    }
    // alice-dev rests on her member page, the 2FA list and the SAML page.
    expect(records.find((r) => r.key === 'user:alice-dev')?.sources).toHaveLength(3);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
    expect(snapshots.every((s) => s.provenance.connector === 'github')).toBe(true);
  });

  it('ends partial, with both numbers, when the member listing stops before GitHub\'s member count', async () => {
    const cassette = loadFixture('members.json');
    // The member listing's first page loses its Link to page 2, as a replayed 304 once did.
    const members = cassette.interactions.find((i) => i.request.path.startsWith('/orgs/acme-corp/members?role=member'))!;
    members.response.headers = Object.fromEntries(Object.entries(members.response.headers ?? {}).filter(([name]) => name !== 'link'));
    cassette.interactions = cassette.interactions.filter((i) => !i.request.path.includes('page=2'));
    const { outcome, records } = await run(cassette);
    expect(records).toHaveLength(6);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toBe('received 5 of 8 organization members (membersWithRole.totalCount) the source reports');
  });

  it('tolerates a page served twice, and fails naming the page only when the pages keep bringing nothing new', async () => {
    const cassette = loadFixture('members.json');
    const page2 = cassette.interactions.find((i) => i.request.path.includes('page=2'))!;
    const selfLink = '<{{baseUrl}}/organizations/9919/members?per_page=100&role=member&page=2>; rel="next"';
    const looping = { ...page2, response: { ...page2.response, headers: { ...page2.response.headers, link: selfLink } } };
    // Served twice, then as the last page: the repeat is absorbed and nobody is listed twice.
    const repeated = structuredClone(cassette);
    repeated.interactions.splice(repeated.interactions.indexOf(repeated.interactions.find((i) => i.request.path.includes('page=2'))!), 0, looping);
    const once = await run(repeated);
    expect(once.outcome.status).toBe('complete');
    expect(once.records).toHaveLength(9);
    // A page that names itself as the next page forever: five pages without a new member end the stream, naming the page.
    const loop = structuredClone(cassette);
    // The reads after the member listing (2FA lists, invitations) are never asked.
    loop.interactions = loop.interactions.filter((i) => !i.request.path.includes('filter=2fa_disabled') && !i.request.path.includes('/invitations')).flatMap((i) => (i.request.path.includes('page=2') ? Array.from({ length: 6 }, () => looping) : [i]));
    const { outcome } = await run(loop);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/role=member.*5 pages in a row brought no new item; stopped at cursor .*\/organizations\/9919\/members\?per_page=100&role=member&page=2/);
  });

  it('fails naming the 409 when a page after the first answers it (only a first page\'s 409 means an empty repository)', async () => {
    const cassette = loadFixture('members.json');
    const page2 = cassette.interactions.find((i) => i.request.path.includes('page=2'))!;
    page2.response = { status: 409, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { message: 'Conflict', documentation_url: 'https://docs.github.com/rest', status: '409' } };
    cassette.interactions = cassette.interactions.filter((i) => !i.request.path.includes('filter=2fa_disabled') && !i.request.path.includes('/invitations'));
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/409/);
    expect(records).toHaveLength(0);
  });

  it('rides out a 502 burst, with no duplicate record from a shifted page', async () => {
    const { outcome, records, sleeps, requests } = await run('members-502-burst.json');
    expect(outcome.status).toBe('complete');
    expect(sleeps).toHaveLength(4);
    expect(requests.filter((r) => r.status === 502)).toHaveLength(4);
    const keys = records.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(9);
    expect(account(records, 'dan-qa')).toMatchObject({ roles: ['member'], mfa: 'enabled' });
  });

  it('fails on a rejected token, naming the 401, and moves no cursor', async () => {
    const { outcome, records } = await run('members-401.json');
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/401/);
    expect(outcome.error).toMatch(/Bad credentials/);
    expect(outcome.cursorAfter).toBeNull();
    expect(records).toHaveLength(0);
  });

  it('records MFA as unknown, without failing, when the token is not an org owner', async () => {
    const cassette = loadFixture('members.json');
    const ownerOnly = { message: 'Only owners can use this filter.', documentation_url: 'https://docs.github.com/rest/orgs/members#list-organization-members', status: '422' };
    for (const interaction of cassette.interactions) {
      if (interaction.request.path.includes('filter=2fa_disabled')) interaction.response = { status: 422, headers: { 'content-type': 'application/json; charset=utf-8' }, body: ownerOnly };
    }
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(new Set(records.map((r) => r.data.mfa))).toEqual(new Set(['unknown']));
  });

  it('fails with the endpoint and field named when a response changes shape', async () => {
    const cassette = loadFixture('members.json');
    const admins = cassette.interactions.find((i) => i.request.path.includes('role=admin'))!;
    admins.response = { ...admins.response, body: [{ id: 150003, type: 'User' }] };
    // The reads after the admins are never asked.
    cassette.interactions = cassette.interactions.filter((i) => !/role=member|page=2|filter=2fa_disabled|\/invitations/.test(i.request.path));
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/GET \/orgs\/\{org\}\/members .*role=admin.*: 0\.login: /);
  });

  it('collects accounts without SSO identities when the org has no SAML provider', async () => {
    const { outcome, records } = await run(samlProvider(loadFixture('members.json'), null));
    expect(outcome.status).toBe('complete');
    expect(records.every((r) => r.data.ssoIdentity === null && r.data.email === null)).toBe(true);
  });
});
