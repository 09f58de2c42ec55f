/**
 * The `pull_requests` stream: every pull request merged in the collection
 * range, with all of its reviews, one change.request record each. One GraphQL
 * search page brings 100 PRs with their reviews and head commit, so 1,000
 * merged PRs cost about ten requests. GitHub's search stops at 1,000 results
 * per query: a range that reports more is split in halves until each fits.
 */
import { paginate, type StreamContext } from '@evidentia/sdk';
import { GitHubClient, type Sourced } from './client.js';
import { repositoryFilter, type GitHubConfig } from './config.js';
import { changeRequestRecord } from './normalize.js';
import { ticketMatchers } from './ticket-keys.js';
import { MERGED_PULL_REQUESTS_QUERY, PULL_REQUEST_REVIEWS_QUERY } from './queries.js';
import { MergedPullRequestsData, PullRequestReviewsData, type PullRequestNode, type Review } from './schema.js';

const SECOND = 1000;
/** GitHub search returns at most this many results per query. */
export const SEARCH_RESULT_LIMIT = 1000;
/** Lower bound for a range with no start: nothing was merged on GitHub before it launched. */
const GITHUB_LAUNCH = new Date('2008-01-01T00:00:00Z');

const isoSeconds = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The search query for PRs merged in the half-open range [since, until).
 * GitHub's `merged:a..b` is inclusive at both ends and counts whole seconds,
 * so the bounds become the first and last whole seconds inside the range.
 */
export function mergedSearchQuery(org: string, since: Date, until: Date): string {
  const first = Math.ceil(since.getTime() / SECOND) * SECOND;
  const last = Math.floor((until.getTime() - 1) / SECOND) * SECOND;
  return `org:${org} is:pr is:merged merged:${isoSeconds(first)}..${isoSeconds(last)}`;
}

export async function collectPullRequests(ctx: StreamContext<GitHubConfig>): Promise<void> {
  if (ctx.range === null) throw new Error('pull_requests is an event stream and needs a collection range');
  const client = await GitHubClient.connect(ctx);
  const wanted = repositoryFilter(ctx.config);
  const tickets = ticketMatchers(ctx.config.ticketPatterns);
  const seen = new Set<string>();
  let reported = 0;
  let excluded = 0;

  async function collectRange(since: Date, until: Date): Promise<void> {
    const searchQuery = mergedSearchQuery(ctx.config.org, since, until);
    const search = (after: string | null) => client.graphql('MergedPullRequests', MERGED_PULL_REQUESTS_QUERY, { searchQuery, after }, MergedPullRequestsData);
    const first = await search(null);
    const { issueCount } = first.value.search;
    if (issueCount > SEARCH_RESULT_LIMIT && until.getTime() - since.getTime() > 2 * SECOND) {
      const middle = new Date(Math.floor((since.getTime() + until.getTime()) / 2 / SECOND) * SECOND);
      ctx.log.info('more merged PRs than one search returns; splitting the range', { searchQuery, issueCount });
      await collectRange(since, middle);
      await collectRange(middle, until);
      return;
    }
    if (issueCount > SEARCH_RESULT_LIMIT) ctx.log.warn('search reports more PRs than it can return in one second of merges', { searchQuery, issueCount });
    reported += issueCount;
    const pullRequests = paginate<{ pr: PullRequestNode; source: string }, string>({
      what: `GraphQL search ${searchQuery}`,
      first: null,
      key: ({ pr }) => prKey(pr),
      fetchPage: async (after) => {
        // The first page is already here: it carried the count that decided whether to split.
        const page: Sourced<MergedPullRequestsData> = after === null ? first : await search(after);
        const { pageInfo, nodes } = page.value.search;
        const items = nodes.filter((pr): pr is PullRequestNode => pr !== null).map((pr) => ({ pr, source: page.source }));
        return { items, next: pageInfo.hasNextPage ? pageInfo.endCursor : null };
      },
    });
    for await (const { pr, source } of pullRequests) {
      // Split ranges are disjoint, but a PR must still never count twice toward the excluded ones.
      if (seen.has(prKey(pr))) continue;
      seen.add(prKey(pr));
      if (!wanted(pr.repository.nameWithOwner.split('/')[1] ?? '')) {
        excluded++;
        continue;
      }
      const read = await allReviews(client, pr, source).catch((error: unknown) => {
        if (!(error instanceof ShortReviews)) throw error;
        // A change judged from part of its reviews could lack the approval: named, not stored, and the stream partial.
        ctx.itemGap({ item: `pull request ${prKey(pr)}`, reason: error.message, inScope: true });
        return null;
      });
      if (read !== null) await ctx.emit(changeRequestRecord(pr, read.reviews, read.sources, tickets));
    }
  }

  await collectRange(ctx.range.since ?? GITHUB_LAUNCH, ctx.range.until);
  if (excluded > 0) ctx.log.info('merged PRs in repositories excluded by the repositories filter', { count: excluded });
  // The search's issueCount is GitHub's own count of the range, reported as it is; the PRs of excluded repositories
  // are received (each once) but not kept. Records plus those equal the count only when the listing returned every
  // PR the count covers: a listing that stopped early shows as a shortfall.
  ctx.reportTotal(reported, { what: 'merged pull requests in the range (search issueCount; those of excluded repositories are received but not kept)', excluded: () => excluded });
  client.logThrottling();
}

/** A PR whose reviews could not all be read: fewer distinct reviews than GitHub's totalCount, or no reviews connection. */
class ShortReviews extends Error {
  override name = 'ShortReviews';
}

/**
 * The PR's reviews: the first 100 came with the search; follow-up queries page
 * through the rest. A reading that ends with fewer distinct reviews than the
 * connection's latest `totalCount` (a null node, a page that says more follow
 * without a cursor, a shifted page), or with no connection at all, throws
 * ShortReviews rather than passing part of the reviews as all of them.
 */
async function allReviews(client: GitHubClient, pr: PullRequestNode, source: string): Promise<{ reviews: Review[]; sources: string[] }> {
  const [owner = '', name = ''] = pr.repository.nameWithOwner.split('/');
  if (pr.reviews === null) throw new ShortReviews(`GitHub answered no reviews connection for it (GraphQL search ${prKey(pr)}); its approvals cannot be read`);
  let total = pr.reviews.totalCount;
  const nonNull = (nodes: Array<Review | null>, from: string) => nodes.filter((review): review is Review => review !== null).map((review) => ({ review, source: from }));
  const all = paginate<{ review: Review; source: string }, string>({
    what: `reviews of ${prKey(pr)}`,
    first: null,
    key: ({ review }) => review.id ?? JSON.stringify([review.author?.login ?? null, review.state, review.submittedAt, review.commit?.oid ?? null]),
    fetchPage: async (after) => {
      if (after === null) return { items: nonNull(pr.reviews?.nodes ?? [], source), next: pr.reviews?.pageInfo.hasNextPage ? pr.reviews.pageInfo.endCursor : null };
      const page = await client.graphql('PullRequestReviews', PULL_REQUEST_REVIEWS_QUERY, { owner, name, number: pr.number, after }, PullRequestReviewsData);
      const connection = page.value.repository?.pullRequest?.reviews;
      if (!connection) throw new ShortReviews(`its reviews disappeared while paging through them (GraphQL PullRequestReviews after ${after})`);
      total = connection.totalCount;
      return { items: nonNull(connection.nodes, page.source), next: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null };
    },
  });
  const reviews: Review[] = [];
  const sources = [source];
  for await (const { review, source: from } of all) {
    reviews.push(review);
    if (!sources.includes(from)) sources.push(from);
  }
  if (reviews.length < total) throw new ShortReviews(`its reviews ended after ${reviews.length} of the ${total} reviews GitHub reports (reviews.totalCount); the missing ones could hold its approval`);
  return { reviews, sources };
}

function prKey(pr: PullRequestNode): string {
  return `${pr.repository.nameWithOwner}#${pr.number}`;
}
