/**
 * The branch_protection stream against recorded fixtures: classic protection,
 * rulesets, both, none, archived repositories, repository filters, a
 * token that may not read one repository's protection, and a repository
 * listing shorter than GitHub's count. Protection is read in batched GraphQL
 * queries, the first batch folded with the organization's counts into one
 * ProtectionOverview; the fixture's infra repository is one GraphQL does not show fully
 * (its organization ruleset is not named), read over REST.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { githubConnector } from './index.js';
import type { GitHubConfig } from './config.js';
import { fixturePath, loadFixture, TEST_TOKEN, tokenConfig } from './test-support.js';
import { batchInteractions, keepRepositories, overviewOf, splitBatches, type OverviewAnswer } from './protection-cassettes.js';
import { BRANCH_PROTECTION_BATCH_QUERY } from './queries.js';
import { addedRepository, batchQuery, relisting } from './repository-cassettes.js';
import type { Interaction } from '@evidentia/testing';

type OverviewErrors = NonNullable<OverviewAnswer['errors']>;

const run = (cassette: string | CassetteInput, extra: Partial<GitHubConfig> = {}) =>
  runConnectorFixture({ connector: githubConnector, stream: 'branch_protection', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: tokenConfig(extra) });

function protection(records: EvidenceRecord[], key: string): { present: boolean; settings: Record<string, unknown> } {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record for ${key}`);
  return record.data as { present: boolean; settings: Record<string, unknown> };
}

describe('branch_protection stream', () => {
  it('emits one record per repository, the archived one marked read-only with its protection left unread', async () => {
    const { outcome, records } = await run('branch-protection.json');
    expect(outcome.status).toBe('complete');
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/docs-site@main', 'acme-corp/infra@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
    const legacy = records.find((r) => r.key === 'acme-corp/legacy-billing@main')!;
    expect(legacy.data).toEqual({ target: 'acme-corp/legacy-billing@main', setting: 'branch_protection', present: false, settings: { archived: true, disabled: false } });
    expect(legacy.sources).toHaveLength(1);
    // apiTotal is GitHub's own count (5): every repository, the archived one included, is a record.
    expect(outcome.apiTotal).toBe(5);
    // /user, the repository list, one GraphQL query for the org's counts and the four active repositories, then infra over REST:
    // its branch, its classic protection (the branch reports one) and its rules. (Read one by one over REST: 14.)
    expect(outcome.requests).toBe(6);
    expect(records.every((r) => r.kind === 'change.config' && r.controls.join() === 'CC8.1')).toBe(true);
  });

  it('asks GraphQL for the active repositories only: the archived one is excluded by rule, not read', async () => {
    const { requests, snapshots } = await run('branch-protection.json');
    const batches = requests.filter((r) => JSON.stringify(r.body).includes('ProtectionOverview'));
    expect(batches).toHaveLength(1);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const ids = (batches[0]!.body as { variables: { ids: string[] } }).variables.ids;
    const listing = snapshots.find((s) => s.provenance.url.includes('/orgs/acme-corp/repos'))!.body as Array<{ name: string; node_id: string }>;
    const idOf = (name: string) => listing.find((repo) => repo.name === name)!.node_id;
    expect(ids).toEqual(['api', 'web', 'infra', 'docs-site'].map(idOf));
    expect(ids).not.toContain(idOf('legacy-billing'));
    expect(requests.some((r) => r.path.includes('legacy-billing'))).toBe(false);
  });

  it('reads the same records in several GraphQL queries when the batch is smaller than the organization', async () => {
    const whole = await run('branch-protection.json');
    const split = await run(splitBatches(loadFixture('branch-protection.json'), 2), { branchProtectionBatchSize: 2 });
    expect(split.outcome.status).toBe('complete');
    // The first batch comes with the overview, the second is a query of its own.
    expect(split.requests.filter((r) => JSON.stringify(r.body).includes('query ProtectionOverview'))).toHaveLength(1);
    expect(split.requests.filter((r) => JSON.stringify(r.body).includes('query BranchProtectionBatch'))).toHaveLength(1);
    expect(split.outcome.requests).toBe(7);
    const byKey = (records: EvidenceRecord[]) => Object.fromEntries(records.map((r) => [r.key, r.data]));
    expect(byKey(split.records)).toEqual(byKey(whole.records));
    // Each repository rests on the query that read it.
    const [first, second] = split.snapshots.filter((s) => s.provenance.url.endsWith('/graphql'));
    expect(split.records.find((r) => r.key === 'acme-corp/api@main')!.sources).toContain(first!.hash);
    expect(split.records.find((r) => r.key === 'acme-corp/docs-site@main')!.sources).toContain(second!.hash);
  });

  it('reads classic protection', async () => {
    const { records } = await run('branch-protection.json');
    expect(protection(records, 'acme-corp/api@main')).toEqual({
      target: 'acme-corp/api@main',
      setting: 'branch_protection',
      present: true,
      settings: {
        source: 'classic',
        requiresPullRequest: true,
        requiredApprovals: 2,
        dismissStaleReviews: true,
        requireCodeOwnerReviews: true,
        requireLastPushApproval: false,
        enforceAdmins: true,
        allowForcePushes: false,
        allowDeletions: false,
        requiredStatusChecks: ['ci/build', 'ci/test'],
        requireLinearHistory: true,
        rulesetIds: [],
      },
    });
  });

  it('reads a ruleset-only branch, and combines classic protection with an org ruleset', async () => {
    const { records } = await run('branch-protection.json');
    expect(protection(records, 'acme-corp/web@main')).toMatchObject({
      present: true,
      settings: { source: 'ruleset', requiredApprovals: 1, allowForcePushes: false, allowDeletions: false, enforceAdmins: true, requiredStatusChecks: ['build'], rulesetIds: [311] },
    });
    expect(protection(records, 'acme-corp/infra@main')).toMatchObject({
      present: true,
      settings: { source: 'both', requiredApprovals: 2, dismissStaleReviews: true, requireLinearHistory: true, requiredStatusChecks: ['terraform-plan'], rulesetIds: [52] },
    });
  });

  it('records an unprotected branch as present: false, resting on the GraphQL answer that shows no classic rule and no ruleset rule', async () => {
    const { records, snapshots } = await run('branch-protection.json');
    expect(protection(records, 'acme-corp/docs-site@main')).toMatchObject({ present: false, settings: { source: 'none', requiredApprovals: 0, allowForcePushes: true, allowDeletions: true } });
    const docs = records.find((r) => r.key === 'acme-corp/docs-site@main')!;
    const batch = snapshots.find((s) => JSON.stringify(s.provenance.requestBody).includes('ProtectionOverview'))!;
    const docsNode = (batch.body as { data: { protection: Array<{ nameWithOwner: string; defaultBranchRef: unknown }> } }).data.protection.find((n) => n.nameWithOwner === 'acme-corp/docs-site');
    expect(docsNode?.defaultBranchRef).toMatchObject({ name: 'main', branchProtectionRule: null, rules: { nodes: [] } });
    expect(docs.sources).toContain(batch.hash);
    expect(snapshots.some((s) => s.provenance.url.includes('/docs-site/'))).toBe(false);

    // infra, which GraphQL did not show fully, rests on its REST answers: the provenance says how it was read.
    const infra = records.find((r) => r.key === 'acme-corp/infra@main')!;
    const infraRest = snapshots.filter((s) => s.provenance.url.includes('/repos/acme-corp/infra/'));
    expect(infraRest.map((s) => new URL(s.provenance.url).pathname).sort()).toEqual(['/repos/acme-corp/infra/branches/main', '/repos/acme-corp/infra/branches/main/protection', '/repos/acme-corp/infra/rules/branches/main']);
    expect(infra.sources).toEqual(expect.arrayContaining(infraRest.map((s) => s.hash)));
    expect(infra.sources).not.toContain(batch.hash);
    const hashes = new Set(snapshots.map((s) => s.hash));
    // A repository read by GraphQL rests on the listing and its query; one read over REST on the listing, its branch and its rules; an archived one on the listing alone.
    const least = (key: string) => (key.includes('legacy-billing') ? 1 : key.includes('infra') ? 3 : 2);
    expect(records.every((r) => r.sources.length >= least(r.key) && r.sources.every((s) => hashes.has(s)))).toBe(true);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  const json = { 'content-type': 'application/json; charset=utf-8' };
  const get = (path: string, status: number, body: unknown): Interaction => ({ request: { method: 'GET', path, body: null }, response: { status, headers: json, body } }) as Interaction;

  it('reads over REST a repository GraphQL does not resolve, into the same record GraphQL gives', async () => {
    const cassette = loadFixture('branch-protection.json');
    const { answer } = overviewOf(cassette);
    answer.data!.protection![1] = null;
    answer.errors = [{ type: 'NOT_FOUND', path: ['protection', 1], message: "Could not resolve to a node with the global id of 'MDEwOlJlcG9zaXRvcnk3MDAxMg=='" }];
    // What GitHub's REST answers for web: protected (by its ruleset), no classic protection, the ruleset's rules.
    const rules = [
      { type: 'deletion', ruleset_source_type: 'Repository', ruleset_source: 'acme-corp/web', ruleset_id: 311 },
      { type: 'non_fast_forward', ruleset_source_type: 'Repository', ruleset_source: 'acme-corp/web', ruleset_id: 311 },
      { type: 'pull_request', parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: false, require_code_owner_review: false, require_last_push_approval: false, required_review_thread_resolution: false }, ruleset_source_type: 'Repository', ruleset_source: 'acme-corp/web', ruleset_id: 311 },
      { type: 'required_status_checks', parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context: 'build', integration_id: 15368 }] }, ruleset_source_type: 'Repository', ruleset_source: 'acme-corp/web', ruleset_id: 311 },
    ];
    cassette.interactions.push(
      get('/repos/acme-corp/web/branches/main', 200, { name: 'main', commit: { sha: 'a'.repeat(40) }, protected: true }),
      get('/repos/acme-corp/web/branches/main/protection', 404, { message: 'Branch not protected', documentation_url: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection', status: '404' }),
      get('/repos/acme-corp/web/rules/branches/main?per_page=100', 200, rules),
    );
    const viaGraphQL = (await run('branch-protection.json')).records.find((r) => r.key === 'acme-corp/web@main')!;
    const { outcome, records, snapshots } = await run(cassette);
    expect(outcome.status).toBe('complete');
    const web = records.find((r) => r.key === 'acme-corp/web@main')!;
    expect(web.data).toEqual(viaGraphQL.data);
    // The kept 404 "Branch not protected" is one of its sources, as before batching.
    const notProtected = snapshots.find((s) => s.provenance.status === 404 && s.provenance.url.includes('/web/'))!;
    expect(web.sources).toContain(notProtected.hash);
    expect(outcome.requests).toBe(9);
  });

  it('fails the stream on a GraphQL error that names no repository, rather than guessing', async () => {
    const cassette = splitBatches(loadFixture('branch-protection.json'), 2);
    const batch = batchInteractions(cassette)[0]!;
    batch.response.body = { data: null, errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: 'This query requests up to 10,100 nodes which exceeds the maximum limit of 500,000.' }] } as never;
    cassette.interactions = cassette.interactions.filter((i) => !i.request.path.startsWith('/repos/'));
    const { outcome, records } = await run(cassette, { branchProtectionBatchSize: 2 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/GraphQL BranchProtectionBatch returned errors: .*MAX_NODE_LIMIT_EXCEEDED/);
    // The first batch (from the overview) was recorded before the second failed.
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
  });

  it("slows the run's pace after GitHub's secondary rate limit, waits as told, and completes with the same records", async () => {
    const calm = await run('branch-protection.json');
    // Nothing throttled: a run this size fits in the pace's opening burst, so it never waits.
    expect(calm.sleeps).toEqual([]);
    const cassette = loadFixture('branch-protection.json');
    const batch = overviewOf(cassette).interaction;
    const limited: Interaction = {
      request: batch.request,
      response: { status: 403, headers: { ...json, 'retry-after': '60', 'x-ratelimit-remaining': '4958' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' } },
    } as Interaction;
    cassette.interactions.splice(cassette.interactions.indexOf(batch), 0, limited);
    const { outcome, records, sleeps } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.requests).toBe(7);
    expect(Object.fromEntries(records.map((r) => [r.key, r.data]))).toEqual(Object.fromEntries(calm.records.map((r) => [r.key, r.data])));
    // The retry waited the minute GitHub asked for; then every later attempt was spaced by the halved pace (13/s → 6.5/s, earning back 1.3/s per answer).
    expect(sleeps[0]).toBe(60_000);
    const paced = sleeps.slice(1);
    expect(paced.length).toBeGreaterThanOrEqual(4);
    expect(paced.every((ms) => ms > 0 && ms <= Math.ceil(1000 / 6.5))).toBe(true);
  });

  it('fails, never calls the repository denied, when a secondary rate limit that names no wait outlasts the retries', async () => {
    const cassette = loadFixture('branch-protection.json');
    const branch = cassette.interactions.findIndex((i) => i.request.path === '/repos/acme-corp/infra/branches/main');
    // GitHub's secondary limit can come as a bare 403 whose message alone says so; six of them exhaust the SDK's attempts.
    const limited = { request: cassette.interactions[branch]!.request, response: { status: 403, headers: json, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } } } as Interaction;
    cassette.interactions.splice(branch, 3, ...Array.from({ length: 6 }, () => structuredClone(limited)));
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/secondary rate limit/);
    expect(outcome.itemGaps ?? []).toEqual([]);
    expect(records.some((r) => r.key === 'acme-corp/infra@main')).toBe(false);
  });

  it('lists the repositories once more when GitHub counts more than the listing gave, and reads one created meanwhile in a batch of its own', async () => {
    const base = loadFixture('branch-protection.json');
    const added = addedRepository(base, 'new-svc', 70019);
    const docs = structuredClone(overviewOf(base).answer.data!.protection!.find((n) => n?.nameWithOwner === 'acme-corp/docs-site')!);
    const cassette = batchQuery(relisting(base, [added]), BRANCH_PROTECTION_BATCH_QUERY, [added.node_id], [{ ...docs, id: added.node_id, nameWithOwner: 'acme-corp/new-svc' }]);
    overviewOf(cassette).answer.data!.totals!.repositories.totalCount = 6;
    const { outcome, records, requests } = await run(cassette);
    expect(outcome.status).toBe('complete');
    expect(outcome.apiTotal).toBe(6);
    expect(requests.filter((r) => r.path.startsWith('/orgs/acme-corp/repos?'))).toHaveLength(2);
    expect(protection(records, 'acme-corp/new-svc@main')).toMatchObject({ present: false });
    expect(records).toHaveLength(6);
  });

  describe('a part of the overview that fails is judged as its own query was', () => {
    const failing = (errors: OverviewErrors, data?: (answer: OverviewAnswer) => void) => {
      const cassette = loadFixture('branch-protection.json');
      cassette.interactions = cassette.interactions.filter((i) => !i.request.path.startsWith('/repos/'));
      const { answer } = overviewOf(cassette);
      answer.errors = errors;
      data?.(answer);
      return run(cassette);
    };

    it('the totals: the stream fails naming OrganizationTotals', async () => {
      const { outcome, records } = await failing([{ type: 'NOT_FOUND', path: ['totals'], message: "Could not resolve to an Organization with the login of 'acme-corp'." }], (answer) => (answer.data!.totals = null));
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBe("GraphQL OrganizationTotals returned errors: Could not resolve to an Organization with the login of 'acme-corp'. [NOT_FOUND] at organization");
      expect(records).toEqual([]);
    });

    it('the batch as a whole: the stream fails naming BranchProtectionBatch, as it did before the fold', async () => {
      const { outcome } = await failing([{ type: 'INTERNAL', path: ['protection'], message: 'Something went wrong while executing your query.' }]);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toBe('GraphQL BranchProtectionBatch returned errors: Something went wrong while executing your query. [INTERNAL] at nodes');
    });

    it('an error that names no part: the stream fails naming the overview, never passes as complete', async () => {
      const { outcome } = await failing([{ type: 'MAX_NODE_LIMIT_EXCEEDED', message: 'This query requests too many nodes.' }]);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toMatch(/^GraphQL ProtectionOverview returned errors: This query requests too many nodes\. \[MAX_NODE_LIMIT_EXCEEDED\]$/);
    });
  });

  it('applies the include/exclude repository patterns', async () => {
    const cassette = keepRepositories(loadFixture('branch-protection.json'), ['api', 'web', 'legacy-billing']);
    const { outcome, records } = await run(cassette, { repositories: { include: ['*'], exclude: ['docs-*', 'INFRA'] } });
    expect(outcome.status).toBe('complete');
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
  });

  // infra is read over REST (GraphQL does not show it fully); there the token may not read its classic protection.
  const denyInfra = () => {
    const cassette = loadFixture('branch-protection.json');
    const infra = cassette.interactions.find((i) => i.request.path === '/repos/acme-corp/infra/branches/main/protection')!;
    infra.response = { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection', status: '404' } };
    // After the denial the infra repository's rules are not read.
    cassette.interactions = cassette.interactions.filter((i) => i.request.path !== '/repos/acme-corp/infra/rules/branches/main?per_page=100');
    return cassette;
  };

  it('names a repository whose protection the token may not read as an item gap, never as an unprotected branch', async () => {
    const { outcome, records } = await run(denyInfra());
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/docs-site@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
    expect(outcome.itemGaps).toEqual([{ item: 'repository acme-corp/infra', reason: expect.stringMatching(/^HTTP 404 Not Found on the classic protection of acme-corp\/infra@main .*admin/), inScope: false }]);
    // With no include list the org's repositories are collected as found: the named gap leaves the stream complete.
    expect(outcome.status).toBe('complete');
    expect(outcome.apiTotal).toBe(5);
  });

  /** The infra repository's default branch gone (renamed or deleted) between two reads: GitHub answers 404 "Branch not found" on `path`. */
  const infraBranchGone = (path: string) => {
    const cassette = loadFixture('branch-protection.json');
    const answered = cassette.interactions.find((i) => i.request.path === path)!;
    answered.response = { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest/branches/branch-protection', status: '404' } };
    const after = path.endsWith('/protection') ? ['/repos/acme-corp/infra/rules/branches/main?per_page=100'] : ['/repos/acme-corp/infra/branches/main/protection', '/repos/acme-corp/infra/rules/branches/main?per_page=100'];
    cassette.interactions = cassette.interactions.filter((i) => !after.includes(i.request.path));
    return cassette;
  };

  it('names a default branch that went away after the branch read said protected as an in-scope item gap, never an unprotected branch', async () => {
    const { outcome, records } = await run(infraBranchGone('/repos/acme-corp/infra/branches/main/protection'));
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/docs-site@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
    expect(outcome.itemGaps).toEqual([
      { item: 'repository acme-corp/infra', reason: 'HTTP 404 Branch not found on the classic protection of acme-corp/infra@main: the default branch was renamed or deleted while the run read it; the next run reads the new default branch', inScope: true },
    ]);
    expect(outcome.status).toBe('partial');
  });

  it('names a default branch the branch read does not find (an empty repository has none) as a gap, in scope as the configuration says, not as a denial needing admin rights', async () => {
    const { outcome, records } = await run(infraBranchGone('/repos/acme-corp/infra/branches/main'));
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/docs-site@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
    const reason = 'HTTP 404 Branch not found on the branch of acme-corp/infra@main: no such branch (an empty repository has none; or it was renamed or deleted while the run read it)';
    expect(outcome.itemGaps).toEqual([{ item: 'repository acme-corp/infra', reason, inScope: false }]);
    expect(outcome.status).toBe('complete');
    const named = await run(infraBranchGone('/repos/acme-corp/infra/branches/main'), { repositories: { include: ['api', 'web', 'infra', 'docs-*'] } });
    expect(named.outcome.itemGaps).toEqual([{ item: 'repository acme-corp/infra', reason, inScope: true }]);
    expect(named.outcome.status).toBe('partial');
  });

  it('is partial when the denied repository is one the include list puts in scope', async () => {
    const { outcome, records } = await run(denyInfra(), { repositories: { include: ['api', 'web', 'infra', 'docs-*'] } });
    expect(records).toHaveLength(3);
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toMatchObject([{ item: 'repository acme-corp/infra', inScope: true }]);
    expect(outcome.error).toMatch(/^1 in-scope item could not be read: repository acme-corp\/infra \(HTTP 404 Not Found/);
  });

  it('ends partial, with both numbers, when the repository listing holds fewer repositories than GitHub counts', async () => {
    // The count is read after the listing, so the listing is asked once more before the shortfall stands.
    const cassette = relisting(loadFixture('branch-protection.json'), []);
    overviewOf(cassette).answer.data!.totals!.repositories.totalCount = 205;
    const { outcome, records } = await run(cassette);
    expect(records).toHaveLength(5);
    expect(outcome.status).toBe('partial');
    // 5 records, the archived one among them, account for 5 of GitHub's 205.
    expect(outcome.error).toBe('received 5 of 205 repositories (repositories.totalCount; excluded and denied ones are received but not kept) the source reports');
  });
});
