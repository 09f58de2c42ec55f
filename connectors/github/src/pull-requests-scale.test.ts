/**
 * The pull_requests stream at volume, on generated cassettes: 1,000 merged
 * PRs within the request budget, a PR with more than 100 reviews, and a range
 * whose search reports more than GitHub's 1,000-result ceiling.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture, type CassetteInput, type JsonValue } from '@evidentia/testing';
import { githubConnector } from './index.js';
import { MERGED_PULL_REQUESTS_QUERY, PULL_REQUEST_REVIEWS_QUERY } from './queries.js';
import { loadFixture, tokenConfig } from './test-support.js';

type Interaction = CassetteInput['interactions'][number];
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const FULL_RANGE = 'org:acme-corp is:pr is:merged merged:2026-04-02T00:00:00Z..2026-06-30T23:59:59Z';
const oid = (n: number, rev = 0) => (n * 1000 + rev).toString(16).padStart(40, '0');

function review(login: string, n: number, i = 0): JsonValue {
  return { id: `PRR_${n}_${i}`, author: { login, __typename: 'User' }, state: 'APPROVED', submittedAt: '2026-05-01T12:00:00Z', commit: { oid: oid(n) } };
}

function pullRequest(n: number, reviews: JsonValue[] = [review('bob-dev', n)], more = false): JsonValue {
  return {
    number: n,
    title: `Change ${n}`,
    url: `https://github.com/acme-corp/api/pull/${n}`,
    createdAt: '2026-05-01T09:00:00Z',
    mergedAt: '2026-05-01T13:00:00Z',
    closedAt: '2026-05-01T13:00:00Z',
    author: { login: 'alice-dev', __typename: 'User' },
    mergedBy: { login: 'alice-dev', __typename: 'User' },
    baseRefName: 'main',
    headRefName: `change-${n}`,
    headRefOid: oid(n),
    repository: { nameWithOwner: 'acme-corp/api' },
    labels: { nodes: [] },
    commits: { nodes: [{ commit: { oid: oid(n), committedDate: '2026-05-01T10:00:00Z' } }] },
    reviews: { totalCount: reviews.length + (more ? 2 : 0), pageInfo: { hasNextPage: more, endCursor: more ? 'cmV2aWV3OjEwMA==' : null }, nodes: reviews },
  };
}

function searchPage(searchQuery: string, after: string | null, issueCount: number, nodes: JsonValue[], next: string | null): Interaction {
  return {
    request: { method: 'POST', path: '/graphql', body: { query: MERGED_PULL_REQUESTS_QUERY, variables: { searchQuery, after } } },
    response: { status: 200, headers: JSON_HEADERS, body: { data: { search: { issueCount, pageInfo: { hasNextPage: next !== null, endCursor: next }, nodes } } } },
  };
}

const user = () => loadFixture('pull-requests.json').interactions[0]!;
const cassette = (description: string, interactions: Interaction[]): CassetteInput => ({ format: 'evidentia.cassette/1', description, interactions: [user(), ...interactions] });

describe('pull_requests at volume', () => {
  it('collects 1,000 merged PRs in ten search pages, paging the reviews of a PR with more than 100', async () => {
    const pages: Interaction[] = [];
    for (let page = 0; page < 10; page++) {
      const nodes = Array.from({ length: 100 }, (_, i) => {
        const n = page * 100 + i + 1;
        return n === 1 ? pullRequest(n, Array.from({ length: 100 }, (_, r) => review('bob-dev', n, r)), true) : pullRequest(n);
      });
      pages.push(searchPage(FULL_RANGE, page === 0 ? null : `cursor-${page}`, 1000, nodes, page < 9 ? `cursor-${page + 1}` : null));
    }
    const followUp: Interaction = {
      request: { method: 'POST', path: '/graphql', body: { query: PULL_REQUEST_REVIEWS_QUERY, variables: { owner: 'acme-corp', name: 'api', number: 1, after: 'cmV2aWV3OjEwMA==' } } },
      response: {
        status: 200,
        headers: JSON_HEADERS,
        body: { data: { repository: { pullRequest: { reviews: { totalCount: 102, pageInfo: { hasNextPage: false, endCursor: 'cmV2aWV3OjEwMg==' }, nodes: [review('carol-lead', 1, 100), review('erin-sec', 1, 101)] } } } } },
      },
    };
    pages.splice(1, 0, followUp);
    const { outcome, records } = await runConnectorFixture({ connector: githubConnector, stream: 'pull_requests', cassettes: [cassette('1,000 merged PRs', pages)], config: tokenConfig() });
    expect(outcome.status).toBe('complete');
    expect(records).toHaveLength(1000);
    expect(outcome.apiTotal).toBe(1000);
    expect(outcome.requests).toBeLessThanOrEqual(15);
    expect(outcome.requests).toBe(12);
    const first = records.find((r) => r.key === 'acme-corp/api#1')!;
    expect((first.data.approvals as unknown[]).length).toBe(102);
    expect(first.sources).toHaveLength(2);
  });

  it('does not store a PR whose reviews came back short of the totalCount GitHub reports: an in-scope item gap names it', async () => {
    const followUp = (nodes: JsonValue[]): Interaction => ({
      request: { method: 'POST', path: '/graphql', body: { query: PULL_REQUEST_REVIEWS_QUERY, variables: { owner: 'acme-corp', name: 'api', number: 1, after: 'cmV2aWV3OjEwMA==' } } },
      response: { status: 200, headers: JSON_HEADERS, body: { data: { repository: { pullRequest: { reviews: { totalCount: 102, pageInfo: { hasNextPage: false, endCursor: 'cmV2aWV3OjEwMg==' }, nodes } } } } } },
    });
    // #1: the follow-up page brings one review and a node GitHub could not resolve; #2: its reviews connection is null;
    // #3: a page that says more follow without a cursor to follow.
    const noReviews = { ...(pullRequest(2) as Record<string, JsonValue>), reviews: null };
    const noCursor = { ...(pullRequest(3) as Record<string, JsonValue>), reviews: { totalCount: 2, pageInfo: { hasNextPage: true, endCursor: null }, nodes: [review('bob-dev', 3)] } };
    const { outcome, records } = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [
        cassette('reviews short of their count', [
          searchPage(FULL_RANGE, null, 4, [pullRequest(1, Array.from({ length: 100 }, (_, r) => review('bob-dev', 1, r)), true), noReviews, noCursor, pullRequest(4)], null),
          followUp([review('carol-lead', 1, 100), null]),
        ]),
      ],
      config: tokenConfig(),
    });
    expect(outcome.status).toBe('partial');
    expect(records.map((r) => r.key)).toEqual(['acme-corp/api#4']);
    expect(outcome.itemGaps).toEqual([
      { item: 'pull request acme-corp/api#1', reason: expect.stringContaining('101 of the 102 reviews GitHub reports'), inScope: true },
      { item: 'pull request acme-corp/api#2', reason: expect.stringContaining('GitHub answered no reviews connection'), inScope: true },
      { item: 'pull request acme-corp/api#3', reason: expect.stringContaining('1 of the 2 reviews GitHub reports'), inScope: true },
    ]);
  });

  it('splits a range whose search reports more than 1,000 results into halves', async () => {
    const firstHalf = 'org:acme-corp is:pr is:merged merged:2026-04-02T00:00:00Z..2026-05-16T23:59:59Z';
    const secondHalf = 'org:acme-corp is:pr is:merged merged:2026-05-17T00:00:00Z..2026-06-30T23:59:59Z';
    const { outcome, records } = await runConnectorFixture({
      connector: githubConnector,
      stream: 'pull_requests',
      cassettes: [
        cassette('a range over the search ceiling', [
          searchPage(FULL_RANGE, null, 1500, [pullRequest(1)], 'cursor-1'),
          searchPage(firstHalf, null, 2, [pullRequest(1), pullRequest(2)], null),
          searchPage(secondHalf, null, 1, [pullRequest(3)], null),
        ]),
      ],
      config: tokenConfig(),
    });
    expect(outcome.status).toBe('complete');
    expect(records.map((r) => r.key).sort()).toEqual(['acme-corp/api#1', 'acme-corp/api#2', 'acme-corp/api#3']);
    expect(outcome.apiTotal).toBe(3);
  });
});
