/**
 * The branch_protection stream against recorded fixtures: classic protection,
 * rulesets, both, none, archived repositories, repository filters, a
 * token that may not read one repository's protection, and a repository
 * listing shorter than GitHub's count.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { githubConnector } from './index.js';
import type { GitHubConfig } from './config.js';
import { fixturePath, loadFixture, TEST_TOKEN, tokenConfig } from './test-support.js';

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
    // /user, the org's counts, the repository list, then per repository its branch, classic protection where the branch reports one, and its rules.
    expect(outcome.requests).toBe(14);
    expect(records.every((r) => r.kind === 'change.config' && r.controls.join() === 'CC8.1')).toBe(true);
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

  it('records an unprotected branch as present: false, resting on the branch answer and, for a ruleset-only branch, the kept 404', async () => {
    const { records, snapshots } = await run('branch-protection.json');
    expect(protection(records, 'acme-corp/docs-site@main')).toMatchObject({ present: false, settings: { source: 'none', requiredApprovals: 0, allowForcePushes: true, allowDeletions: true } });
    const docs = records.find((r) => r.key === 'acme-corp/docs-site@main')!;
    const docsBranch = snapshots.find((s) => s.provenance.url.endsWith('/repos/acme-corp/docs-site/branches/main'));
    expect(docsBranch?.body).toMatchObject({ protected: false });
    expect(docs.sources).toContain(docsBranch!.hash);
    expect(snapshots.some((s) => s.provenance.url.includes('/docs-site/branches/main/protection'))).toBe(false);

    const web = records.find((r) => r.key === 'acme-corp/web@main')!;
    const notProtected = snapshots.find((s) => s.provenance.status === 404 && s.provenance.url.includes('/web/'));
    expect(notProtected?.body).toMatchObject({ message: 'Branch not protected' });
    expect(web.sources).toContain(notProtected!.hash);
    const hashes = new Set(snapshots.map((s) => s.hash));
    // An active repository rests on the listing, its branch and its rules; an archived one on the listing alone.
    expect(records.every((r) => r.sources.length >= (r.key.includes('legacy-billing') ? 1 : 3) && r.sources.every((s) => hashes.has(s)))).toBe(true);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('applies the include/exclude repository patterns', async () => {
    const cassette = loadFixture('branch-protection.json');
    cassette.interactions = cassette.interactions.filter((i) => !i.request.path.includes('/repos/acme-corp/docs-site/') && !i.request.path.includes('/repos/acme-corp/infra/'));
    const { outcome, records } = await run(cassette, { repositories: { include: ['*'], exclude: ['docs-*', 'INFRA'] } });
    expect(outcome.status).toBe('complete');
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
  });

  const denyApi = () => {
    const cassette = loadFixture('branch-protection.json');
    const api = cassette.interactions.find((i) => i.request.path === '/repos/acme-corp/api/branches/main/protection')!;
    api.response = { status: 404, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection', status: '404' } };
    // After the denial the api repository's rules are not read.
    cassette.interactions = cassette.interactions.filter((i) => i.request.path !== '/repos/acme-corp/api/rules/branches/main?per_page=100');
    return cassette;
  };

  it('names a repository whose protection the token may not read as an item gap, never as an unprotected branch', async () => {
    const { outcome, records } = await run(denyApi());
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/docs-site@main', 'acme-corp/infra@main', 'acme-corp/legacy-billing@main', 'acme-corp/web@main']);
    expect(outcome.itemGaps).toEqual([{ item: 'repository acme-corp/api', reason: expect.stringMatching(/^HTTP 404 Not Found on the classic protection of acme-corp\/api@main .*admin/), inScope: false }]);
    // With no include list the org's repositories are collected as found: the named gap leaves the stream complete.
    expect(outcome.status).toBe('complete');
    expect(outcome.apiTotal).toBe(5);
  });

  it('is partial when the denied repository is one the include list puts in scope', async () => {
    const { outcome, records } = await run(denyApi(), { repositories: { include: ['api', 'web', 'infra', 'docs-*'] } });
    expect(records).toHaveLength(3);
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toMatchObject([{ item: 'repository acme-corp/api', inScope: true }]);
    expect(outcome.error).toMatch(/^1 in-scope item could not be read: repository acme-corp\/api \(HTTP 404 Not Found/);
  });

  it('ends partial, with both numbers, when the repository listing holds fewer repositories than GitHub counts', async () => {
    const cassette = loadFixture('branch-protection.json');
    const totals = cassette.interactions.find((i) => i.request.method === 'POST')!;
    totals.response = { ...totals.response, body: { data: { organization: { membersWithRole: { totalCount: 8 }, repositories: { totalCount: 205 } } } } };
    const { outcome, records } = await run(cassette);
    expect(records).toHaveLength(5);
    expect(outcome.status).toBe('partial');
    // 5 records, the archived one among them, account for 5 of GitHub's 205.
    expect(outcome.error).toBe('received 5 of 205 repositories (repositories.totalCount; excluded and denied ones are received but not kept) the source reports');
  });
});
