/**
 * The members stream's access facts against recorded fixtures: which
 * repositories each outside collaborator reaches with which permission, and
 * the organization's SAML SSO (identities linked to no member, members with
 * no identity, no provider at all), over several pages, a page served twice,
 * a listing short of GitHub's count and a repository the token may not read.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import type { GitHubConfig } from './config.js';
import { githubConnector } from './index.js';
import { collaboratorAnswer, collaboratorPages, collaboratorsOverRest, deniedRepository, invitationsAnswer, overviewOf, samlPages, samlProvider, setSamlTotal, splitRepositoryListing, type OverviewAnswer } from './members-cassettes.js';
import { OUTSIDE_COLLABORATORS_BATCH_QUERY } from './queries.js';
import { addedRepository, batchQuery, extendListing, relisting } from './repository-cassettes.js';
import { loadFixture, tokenConfig } from './test-support.js';

const run = (cassette: CassetteInput, extra: Partial<GitHubConfig> = {}) => runConnectorFixture({ connector: githubConnector, stream: 'members', cassettes: [cassette], config: tokenConfig(extra) });

const data = (records: EvidenceRecord[], key: string) => {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record ${key}`);
  return record.data;
};
const olivia = (records: EvidenceRecord[]) => data(records, 'user:olivia-contractor').attributes as Record<string, unknown>;

describe('members stream: outside collaborators\' repositories', () => {
  it('records each repository an outside collaborator reaches with the permission, from one GraphQL query for every repository', async () => {
    const { outcome, records, requests, snapshots } = await run(loadFixture('members.json'));
    expect(outcome.status).toBe('complete');
    expect(olivia(records)).toEqual({ repositories: [{ repository: 'acme-corp/docs-site', permission: 'read' }, { repository: 'acme-corp/web', permission: 'triage' }] });
    // Every repository of the organization was asked, the archived one too, by node id in the one GraphQL query of the stream; none over REST.
    const batches = requests.filter((r) => r.method === 'POST');
    expect(batches).toHaveLength(1);
    expect((batches[0]!.body as { variables: { ids: string[] } }).variables.ids).toHaveLength(5);
    expect(requests.some((r) => r.path.includes('/collaborators?'))).toBe(false);
    // Her record rests on the overview's answer beside her listing and 2FA pages.
    const batch = snapshots.filter((s) => s.provenance.url.endsWith('/graphql') && JSON.stringify(s.provenance.requestBody ?? null).includes('MembersOverview')).map((s) => s.hash);
    expect(batch).toHaveLength(1);
    expect(records.find((r) => r.key === 'user:olivia-contractor')!.sources).toEqual(expect.arrayContaining(batch));
    // Members are not asked about: their access comes from their organization role.
    expect(data(records, 'user:alice-dev').attributes).toEqual({ sso: 'linked' });
  });

  it('records an admin grant over several collaborator pages, a page bringing only someone already listed adding nobody twice', async () => {
    const cassette = collaboratorPages(loadFixture('members.json'), 'infra', [
      [collaboratorAnswer('olivia-contractor', 'admin'), collaboratorAnswer('quinn-vendor', 'write')],
      [collaboratorAnswer('quinn-vendor', 'write')],
      [collaboratorAnswer('rita-auditor', 'read')],
    ]);
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(olivia(records).repositories).toEqual([
      { repository: 'acme-corp/docs-site', permission: 'read' },
      { repository: 'acme-corp/infra', permission: 'admin' },
      { repository: 'acme-corp/web', permission: 'triage' },
    ]);
    // Collaborators GitHub lists on a repository but not among the organization's outside collaborators are not accounts of it.
    expect(records.some((r) => r.key === 'user:quinn-vendor')).toBe(false);
  });

  it('follows a repository listing over two pages', async () => {
    const { outcome, records, requests } = await run(splitRepositoryListing(loadFixture('members.json'), 3));
    expect(outcome.status).toBe('complete');
    expect(requests.filter((r) => r.path.includes('/repos?') || r.path.includes('/repositories?')).length).toBe(2);
    expect(olivia(records).repositories).toHaveLength(2);
  });

  it('names a repository whose collaborators the token may not read as an item gap, and on the collaborator\'s record', async () => {
    const { outcome, records } = await run(deniedRepository(loadFixture('members.json'), 'infra'));
    // No include list: the organization's repositories are read as the token finds them, the gap is named.
    expect(outcome.status).toBe('complete');
    expect(outcome.itemGaps).toEqual([{ item: 'repository acme-corp/infra', reason: expect.stringMatching(/^HTTP 403 Must have push access to view repository collaborators\. on the collaborators of acme-corp\/infra/), inScope: false }]);
    expect(olivia(records)).toMatchObject({ repositoriesUnread: ['acme-corp/infra'] });
    // An include list that names the repository puts it in scope: the stream is partial.
    const scoped = await run(deniedRepository(loadFixture('members.json'), 'infra'), { repositories: { include: ['infra', 'web'] } });
    expect(scoped.outcome.status).toBe('partial');
  });

  it('ends partial when the repository listing stops short of GitHub\'s repository count', async () => {
    // The count is read after the listing: the listing is asked once more, and still short, the shortfall stands.
    const cassette = relisting(loadFixture('members.json'), []);
    overviewOf(cassette).answer.data.totals!.repositories.totalCount = 7;
    const { outcome, records, requests } = await run(cassette);
    expect(requests.filter((r) => r.path.startsWith('/orgs/acme-corp/repos?'))).toHaveLength(2);
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([expect.objectContaining({ item: 'repositories of acme-corp', reason: expect.stringContaining('returned 5 of the 7 repositories'), inScope: true })]);
    expect(olivia(records)).toMatchObject({ repositoriesUnread: ['2 unlisted repositories'] });
  });

  it('asks no repository when the organization has no outside collaborators', async () => {
    const cassette = loadFixture('members.json');
    for (const interaction of cassette.interactions) if (interaction.request.path === '/orgs/acme-corp/outside_collaborators?per_page=100') interaction.response.body = [];
    cassette.interactions = cassette.interactions.filter((i) => !i.request.path.startsWith('/orgs/acme-corp/repos') && !i.request.path.includes('/collaborators?'));
    // The overview asks for the counts and the SAML identities only.
    const { interaction, answer } = overviewOf(cassette);
    Object.assign((interaction.request.body as { variables: Record<string, unknown> }).variables, { ids: [], withCollaborators: false });
    delete answer.data.collaborators;
    const { outcome, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(requests.some((r) => r.path.includes('/collaborators?') || r.path.startsWith('/orgs/acme-corp/repos'))).toBe(false);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('members stream: outside collaborators in the GraphQL batch, REST where it cannot say', () => {
  const restAsked = (requests: Array<{ path: string }>) => requests.filter((r) => r.path.includes('/collaborators?')).map((r) => r.path.split('/')[3]);

  it('reads over REST only the repository whose collaborators overflow one GraphQL page, the others from the batch', async () => {
    const { outcome, records, requests } = await run(collaboratorsOverRest(loadFixture('members.json'), 'web', 'overflow'));
    expect(outcome.status).toBe('complete');
    expect(restAsked(requests)).toEqual(['web']);
    expect(olivia(records)).toEqual({ repositories: [{ repository: 'acme-corp/docs-site', permission: 'read' }, { repository: 'acme-corp/web', permission: 'triage' }] });
  });

  it('falls back to REST for a repository GraphQL refuses, and a REST 403 there is still a named gap', async () => {
    const refused = await run(collaboratorsOverRest(loadFixture('members.json'), 'docs-site', 'refused'));
    expect(refused.outcome.status).toBe('complete');
    expect(restAsked(refused.requests)).toEqual(['docs-site']);
    expect(olivia(refused.records).repositories).toHaveLength(2);
    const denied = await run(deniedRepository(loadFixture('members.json'), 'web'));
    expect(denied.outcome.itemGaps).toEqual([{ item: 'repository acme-corp/web', reason: expect.stringMatching(/^HTTP 403 .* on the collaborators of acme-corp\/web/), inScope: false }]);
    expect(olivia(denied.records)).toEqual({ repositories: [{ repository: 'acme-corp/docs-site', permission: 'read' }], repositoriesUnread: ['acme-corp/web'] });
  });

  it('falls back to REST for a repository whose node the overview answers null without an error', async () => {
    const { outcome, records, requests } = await run(collaboratorsOverRest(loadFixture('members.json'), 'web', 'unresolved'));
    expect(outcome.status).toBe('complete');
    expect(restAsked(requests)).toEqual(['web']);
    expect(olivia(records).repositories).toEqual([{ repository: 'acme-corp/docs-site', permission: 'read' }, { repository: 'acme-corp/web', permission: 'triage' }]);
  });

  it('asks the repositories after the first 100 in a batch query of their own', async () => {
    const base = loadFixture('members.json');
    const added = Array.from({ length: 100 }, (_, n) => addedRepository(base, `svc-${n}`, 80_000 + n));
    const empty = (repo: { full_name: string }) => ({ nameWithOwner: repo.full_name, collaborators: { totalCount: 0, edges: [] } });
    const admin = (repo: { full_name: string }) => ({ ...empty(repo), collaborators: { totalCount: 1, edges: [{ permission: 'ADMIN', permissionSources: [{ permission: 'ADMIN', roleName: 'admin', source: { __typename: 'Repository' } }], node: { login: 'olivia-contractor' } }] } });
    // The listing's first 100 repositories (its 5 and svc-0 to svc-94) are the overview's batch; svc-95 to svc-99 the next query's.
    const later = added.slice(95);
    const cassette = batchQuery(extendListing(base, added), OUTSIDE_COLLABORATORS_BATCH_QUERY, later.map((r) => r.node_id), later.map((r, n) => (n === 0 ? admin(r) : empty(r))));
    const { interaction, answer } = overviewOf(cassette);
    const variables = (interaction.request.body as { variables: { ids: string[] } }).variables;
    variables.ids = [...variables.ids, ...added.slice(0, 95).map((r) => r.node_id)];
    answer.data.collaborators!.push(...(added.slice(0, 95).map(empty) as never[]));
    answer.data.totals!.repositories.totalCount = 105;
    const { outcome, records, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(requests.filter((r) => JSON.stringify(r.body ?? null).includes('query OutsideCollaboratorsBatch'))).toHaveLength(1);
    expect(olivia(records).repositories).toContainEqual({ repository: 'acme-corp/svc-95', permission: 'admin' });
    expect(olivia(records).repositories).toHaveLength(3);
  });

  it('lists the repositories once more when GitHub counts more than the listing gave, and asks about one created meanwhile', async () => {
    const base = loadFixture('members.json');
    const added = addedRepository(base, 'new-svc', 70_019);
    const node = { nameWithOwner: 'acme-corp/new-svc', collaborators: { totalCount: 1, edges: [{ permission: 'WRITE', permissionSources: [{ permission: 'WRITE', roleName: 'write', source: { __typename: 'Repository' } }], node: { login: 'olivia-contractor' } }] } };
    const cassette = batchQuery(relisting(base, [added]), OUTSIDE_COLLABORATORS_BATCH_QUERY, [added.node_id], [node]);
    overviewOf(cassette).answer.data.totals!.repositories.totalCount = 6;
    const { outcome, records, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.itemGaps ?? []).toEqual([]);
    expect(requests.filter((r) => r.path.startsWith('/orgs/acme-corp/repos?'))).toHaveLength(2);
    expect(olivia(records)).toEqual({ repositories: [{ repository: 'acme-corp/docs-site', permission: 'read' }, { repository: 'acme-corp/new-svc', permission: 'write' }, { repository: 'acme-corp/web', permission: 'triage' }] });
  });

  it('records a custom role GraphQL names for the permission it grants beside that permission', async () => {
    const cassette = loadFixture('members.json');
    const nodes = overviewOf(cassette).answer.data.collaborators!;
    const edge = nodes.find((n) => n?.nameWithOwner === 'acme-corp/web')!.collaborators!.edges[0]!;
    Object.assign(edge, { permission: 'WRITE', permissionSources: [{ permission: 'WRITE', roleName: 'release-manager', source: { __typename: 'Repository' } }] });
    const { outcome, records, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(restAsked(requests)).toEqual([]);
    expect(olivia(records).repositories).toEqual([{ repository: 'acme-corp/docs-site', permission: 'read' }, { repository: 'acme-corp/web', permission: 'write', role: 'release-manager' }]);
  });
});

describe('members stream: SAML SSO', () => {
  const saml = (records: EvidenceRecord[]) => data(records, 'saml_sso:acme-corp');

  it('records the identities linked to no member and whether each member has one', async () => {
    const { outcome, records } = await run(loadFixture('members.json'));
    expect(outcome.status).toBe('complete');
    expect(saml(records)).toEqual({
      target: 'acme-corp',
      setting: 'saml_sso',
      present: true,
      settings: { provider: true, identities: 8, unlinkedIdentities: [{ nameId: 'henry@example.com', email: 'henry@example.com', displayName: 'Henry Walsh', login: null }] },
    });
    expect(records.find((r) => r.key === 'saml_sso:acme-corp')!.kind).toBe('access.config');
    expect(data(records, 'user:carol-lead').attributes).toEqual({ sso: 'linked' });
    expect(data(records, 'user:acme-deploy[bot]').attributes).toEqual({ sso: 'unlinked' });
    // SAML SSO does not apply to outside collaborators.
    expect(olivia(records).sso).toBeUndefined();
    // The organization's member count is compared with the member accounts only, not with the saml_sso fact.
    expect(outcome.apiTotal).toBe(8);
  });

  it('pages the identities by cursor, tolerating a page served twice', async () => {
    const { outcome, records, requests } = await run(samlPages(loadFixture('members.json'), 3, { repeatSecond: true }));
    expect(outcome.status).toBe('complete');
    // The first page comes with the overview; the second twice (first answered with the first page again), then the third.
    expect(requests.filter((r) => JSON.stringify(r.body).includes('query SamlIdentities'))).toHaveLength(3);
    expect((saml(records).settings as { identities: number }).identities).toBe(8);
    expect(data(records, 'user:grace-ui').attributes).toEqual({ sso: 'linked' });
  });

  it('ends partial when the identities listed fall short of GitHub\'s count', async () => {
    const { outcome } = await run(setSamlTotal(loadFixture('members.json'), 9));
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([{ item: 'SAML identities of acme-corp', reason: 'the listing returned 8 of the 9 identities GitHub counts (externalIdentities.totalCount)', inScope: true }]);
  });

  it('records an organization without SAML SSO as a fact, not a failure', async () => {
    const { outcome, records } = await run(samlProvider(loadFixture('members.json'), null));
    expect(outcome.status).toBe('complete');
    expect(saml(records)).toEqual({ target: 'acme-corp', setting: 'saml_sso', present: false, settings: { provider: false } });
    expect(data(records, 'user:alice-dev').attributes).toEqual({ sso: 'no-provider' });
  });

  it('records nothing about SSO linkage when the token may not read the identities', async () => {
    const cassette = loadFixture('members.json');
    const { answer } = overviewOf(cassette);
    answer.data.saml = { samlIdentityProvider: null };
    answer.errors = [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: ['saml', 'samlIdentityProvider'] }];
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(records.some((r) => r.key === 'saml_sso:acme-corp')).toBe(false);
    expect(data(records, 'user:alice-dev').attributes).toBeUndefined();
    // The refusal is the SAML part's alone: the counts and the outside collaborators of the same answer are kept.
    expect(outcome.apiTotal).toBe(8);
    expect(olivia(records).repositories).toHaveLength(2);
  });
});

describe('members stream: a part of the overview that fails is judged as its own query was', () => {
  /** The overview answering `errors` (after `change`); the stream stops at the failing part, so the reads after it (`unasked`) are left out. */
  const failing = (errors: NonNullable<OverviewAnswer['errors']>, change: (answer: OverviewAnswer) => void, unasked: RegExp) => {
    const cassette = loadFixture('members.json');
    const { answer } = overviewOf(cassette);
    answer.errors = errors;
    change(answer);
    cassette.interactions = cassette.interactions.filter((i) => !unasked.test(i.request.path));
    return run(cassette);
  };
  const afterTheOverview = /\/members\?|\/organizations\/|filter=2fa|\/invitations/;

  it('the SAML part, with an error other than a refusal: the stream fails naming SamlIdentities and the path its query had', async () => {
    const { outcome } = await failing([{ type: 'INTERNAL', path: ['saml', 'samlIdentityProvider'], message: 'Something went wrong while executing your query.' }], (answer) => (answer.data.saml = { samlIdentityProvider: null }), /\/invitations/);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('GraphQL SamlIdentities returned errors: Something went wrong while executing your query. [INTERNAL] at organization.samlIdentityProvider');
  });

  it('the totals: the stream fails naming OrganizationTotals before listing anyone', async () => {
    const { outcome, records } = await failing([{ type: 'NOT_FOUND', path: ['totals'], message: "Could not resolve to an Organization with the login of 'acme-corp'." }], (answer) => (answer.data.totals = null), afterTheOverview);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe("GraphQL OrganizationTotals returned errors: Could not resolve to an Organization with the login of 'acme-corp'. [NOT_FOUND] at organization");
    expect(records).toEqual([]);
  });

  it('an error that names no part: the stream fails naming the overview, never passes as complete', async () => {
    const { outcome } = await failing([{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }], () => undefined, afterTheOverview);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('GraphQL MembersOverview returned errors: API rate limit exceeded for installation. [RATE_LIMITED]');
  });
});

describe('members stream: pending invitations', () => {
  const invitation = { id: 7001, login: null, email: 'new.hire@example.com', role: 'admin', created_at: '2026-06-28T09:00:00Z', inviter: { login: 'octo-admin' } };

  it('records each pending invitation as an invited account, by email when it names no login, outside the member count', async () => {
    const { outcome, records } = await run(invitationsAnswer(loadFixture('members.json'), [invitation, { ...invitation, id: 7002, login: 'someone', email: null, role: 'direct_member' }]));
    expect(outcome.status).toBe('complete');
    expect(data(records, 'invitation:7001')).toMatchObject({ accountId: 'new.hire@example.com', email: 'new.hire@example.com', status: 'invited', privileged: true, mfa: 'unknown', createdAt: '2026-06-28T09:00:00Z', attributes: { invitationId: 7001, invitedRole: 'admin', invitedBy: 'octo-admin' } });
    expect(data(records, 'invitation:7002')).toMatchObject({ accountId: 'someone', status: 'invited', privileged: false });
  });

  it('names the invitations as a gap, without failing or losing the accounts, when the token is not an owner', async () => {
    const { outcome, records } = await run(invitationsAnswer(loadFixture('members.json'), { status: 403, message: 'Must be an organization owner.' }));
    expect(outcome.status).toBe('complete');
    expect(outcome.itemGaps).toEqual([{ item: 'pending invitations of acme-corp', reason: expect.stringMatching(/^HTTP 403 .*owner/), inScope: false }]);
    expect(records.filter((r) => r.key.startsWith('user:')).length).toBeGreaterThan(5);
  });
});
