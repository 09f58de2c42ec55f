/**
 * The pull_requests stream against recorded fixtures: the change population
 * for CC8.1 with the exceptions an auditor looks for (no approval, stale
 * approval, bot approval, dismissed review), rate limits, backfill ranges,
 * the cursor overlap and GitHub App authentication.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { Secret } from '@evidentia/sdk';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { githubConnector } from './index.js';
import { GitHubConfig } from './config.js';
import { MERGED_PULL_REQUESTS_QUERY } from './queries.js';
import { fixturePath, loadFixture, TEST_TOKEN, tokenConfig } from './test-support.js';

type Change = { approvals: Array<{ reviewer: { login: string | null; bot?: boolean }; state: string; at: string | null; revision: string | null }> } & Record<string, unknown>;

function change(records: EvidenceRecord[], key: string): Change {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record for ${key}`);
  return record.data as Change;
}

/** A cassette answering one merged-PR search with no results. */
function emptySearch(searchQuery: string): CassetteInput {
  const user = loadFixture('pull-requests.json').interactions[0]!;
  return {
    format: 'evidentia.cassette/1',
    description: `empty search ${searchQuery}`,
    interactions: [
      user,
      {
        request: { method: 'POST', path: '/graphql', body: { query: MERGED_PULL_REQUESTS_QUERY, variables: { searchQuery, after: null } } },
        response: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { data: { search: { issueCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } },
      },
    ],
  };
}

describe('pull_requests stream', () => {
  it('collects every merged PR of the last 90 days on the first run', async () => {
    const { outcome, records, requests } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [fixturePath('pull-requests.json')], config: tokenConfig() });
    expect(outcome.status).toBe('complete');
    expect(outcome.range).toEqual({ since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') });
    expect(requests[1]?.body).toMatchObject({ variables: { searchQuery: 'org:acme-corp is:pr is:merged merged:2026-04-02T00:00:00Z..2026-06-30T23:59:59Z' } });
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api#412', 'acme-corp/api#415', 'acme-corp/docs-site#7', 'acme-corp/infra#23', 'acme-corp/web#88', 'acme-corp/web#90']);
    expect(outcome.apiTotal).toBe(6);
    expect(outcome.requests).toBe(2);
    expect(outcome.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect(records.find((r) => r.key === 'acme-corp/api#412')?.occurredAt).toBe('2026-05-05T08:31:12Z');
  });

  it('keeps the facts change-management checks need', async () => {
    const { records, snapshots } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [fixturePath('pull-requests.json')], config: tokenConfig() });
    const approved = change(records, 'acme-corp/api#412');
    expect(approved).toMatchObject({ linkedTickets: ['ACME-231'], emergency: false, target: 'acme-corp/api:main', author: { login: 'alice-dev', bot: false } });
    expect(approved.approvals.filter((a) => a.state === 'approved').every((a) => a.revision === approved.headRevision)).toBe(true);

    const bypass = change(records, 'acme-corp/api#415');
    expect(bypass).toMatchObject({ approvals: [], mergedBy: { login: 'carol-lead', bot: false }, emergency: true, linkedTickets: [] });

    const stale = change(records, 'acme-corp/web#88');
    const [staleApproval] = stale.approvals;
    expect(staleApproval?.state).toBe('approved');
    expect(staleApproval?.revision).not.toBe(stale.headRevision);
    expect(Date.parse(staleApproval!.at!)).toBeLessThan(Date.parse(stale.headRevisionAt as string));
    expect(stale.linkedTickets).toEqual(['WEB-17']);

    const botOnly = change(records, 'acme-corp/web#90');
    expect(botOnly.approvals).toEqual([{ reviewer: { login: 'github-actions', bot: true }, state: 'approved', at: '2026-06-08T04:20:44Z', revision: botOnly.headRevision }]);
    expect(botOnly.author).toEqual({ login: 'dependabot', bot: true });

    const dismissed = change(records, 'acme-corp/infra#23');
    expect(dismissed.approvals.map((a) => `${a.reviewer.login}:${a.state}`)).toEqual(['erin-sec:dismissed', 'carol-lead:approved', 'erin-sec:approved']);
    expect(dismissed.linkedTickets).toEqual(['INFRA-9', 'CHG-102']);

    // Traceability: keys from the body too, each with where it was found; GitHub's review decision; the default branch.
    expect(approved).toMatchObject({ ticketSources: { 'ACME-231': ['title', 'branch', 'body'] }, reviewDecision: 'approved', defaultBranch: 'main', sourceBranch: 'feature/ACME-231-login-rate-limit', labels: ['security'] });
    expect(change(records, 'acme-corp/docs-site#7')).toMatchObject({ linkedTickets: ['OPS-12'], ticketSources: { 'OPS-12': ['body'] }, reviewDecision: null });
    expect(bypass.reviewDecision).toBe('review_required');
    expect(botOnly.labels).toEqual(['dependencies', 'javascript']);

    const search = snapshots.find((s) => s.provenance.method === 'POST');
    expect(search?.provenance.requestBody).toMatchObject({ variables: { searchQuery: expect.stringContaining('org:acme-corp') } });
    expect(records.every((r) => r.sources.length === 1 && r.sources[0] === search!.hash)).toBe(true);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('reads ticket keys with the configured patterns instead of the default', async () => {
    const { records } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [fixturePath('pull-requests.json')], config: tokenConfig({ ticketPatterns: ['\\bOPS-\\d+'] }) });
    expect(change(records, 'acme-corp/api#412').linkedTickets).toEqual([]);
    expect(change(records, 'acme-corp/docs-site#7').linkedTickets).toEqual(['OPS-12']);
  });

  it('refuses a ticket pattern that is not a regular expression, naming the field', () => {
    const parsed = GitHubConfig.safeParse({ org: 'acme-corp', token: new Secret(TEST_TOKEN, '${env:GITHUB_TOKEN}'), ticketPatterns: ['[A-Z'] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['ticketPatterns', 0], message: expect.stringContaining('regular expression') });
  });

  it('waits out a 429 and a secondary rate limit as Retry-After asks, then completes', async () => {
    const { outcome, records, sleeps } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [fixturePath('pull-requests-429.json')], config: tokenConfig() });
    expect(outcome.status).toBe('complete');
    // Each wait the answer asked for, then the run's pace (pace.ts) spaces the retry: halved after the first
    // throttled answer (13/s → 6.5/s: 154 ms), halved again after the second (3.25/s: 308 ms).
    expect(sleeps).toEqual([30_000, 154, 60_000, 308]);
    expect(records.map((r) => r.key)).toEqual(['acme-corp/api#412']);
    expect(outcome.requests).toBe(4);
  });

  it('puts a backfill range into the search query', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-02-01T00:00:00Z');
    const { outcome } = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [emptySearch('org:acme-corp is:pr is:merged merged:2026-01-01T00:00:00Z..2026-01-31T23:59:59Z')],
      config: tokenConfig(),
      since,
      until,
    });
    expect(outcome).toMatchObject({ status: 'complete', range: { since, until }, apiTotal: 0, cursorAfter: '2026-02-01T00:00:00.000Z' });
  });

  it('re-reads from the cursor minus the one-hour overlap', async () => {
    const cursor = '2026-06-30T00:00:00.000Z';
    const byDefault = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [emptySearch('org:acme-corp is:pr is:merged merged:2026-06-29T23:00:00Z..2026-06-30T23:59:59Z')],
      config: tokenConfig(),
      cursor,
    });
    expect(byDefault.outcome.status).toBe('complete');
  });

  it('leaves out PRs of excluded repositories from the records, counting them against GitHub’s own total', async () => {
    const { outcome, records } = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [fixturePath('pull-requests.json')],
      config: tokenConfig({ repositories: { exclude: ['docs-*'] } }),
    });
    expect(records).toHaveLength(5);
    // GitHub's issueCount (6) as reported; the excluded repository's PR was received but not kept.
    expect(outcome.apiTotal).toBe(6);
    expect(outcome.status).toBe('complete');
  });

  it('fails with GitHub’s message when the GraphQL response carries errors', async () => {
    const cassette = loadFixture('pull-requests.json');
    const search = cassette.interactions[1]!;
    search.response = { ...search.response, body: { data: null, errors: [{ type: 'NOT_FOUND', path: ['search'], message: "Could not resolve to an Organization with the login of 'acme-corp'." }] } };
    const { outcome } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [cassette], config: tokenConfig() });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/Could not resolve to an Organization.*NOT_FOUND/);
  });

  it('authenticates as a GitHub App installation, keeping the installation token out of the snapshots', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const { outcome, snapshots } = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [fixturePath('app-auth.json')],
      config: (baseUrl) => GitHubConfig.parse({ org: 'acme-corp', baseUrl, app: { appId: 1234, installationId: '4242', privateKey: new Secret(pem, '${file:/keys/app.pem}') } }),
    });
    expect(outcome).toMatchObject({ status: 'complete', identity: 'app:1234/installation:4242', apiTotal: 0 });
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.provenance.identity).toBe('app:1234/installation:4242');
    expect(JSON.stringify(snapshots)).not.toContain('fake-installation-token-not-real');
  });
});
