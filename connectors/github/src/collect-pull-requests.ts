/**
 * The `pull_requests` stream: every pull request merged in the collection
 * range, with all of its reviews, one change.request record each. One GraphQL
 * search page brings 100 PRs with their reviews and head commit, so 1,000
 * merged PRs cost about ten requests. GitHub's search stops at 1,000 results
 * per query: a range that reports more is split in halves until each fits.
 */
import type { StreamContext } from '@evidentia/sdk';
import { GitHubClient, type Sourced } from './client.js';
import { repositoryFilter, type GitHubConfig } from './config.js';
import { changeRequestRecord } from './normalize.js';
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
  const seen = new Set<string>();
  let reported = 0;
  let excluded = 0;

  async function collectRange(since: Date, until: Date): Promise<void> {
    const searchQuery = mergedSearchQuery(ctx.config.org, since, until);
    let after: string | null = null;
    let firstPage = true;
    do {
      const page: Sourced<MergedPullRequestsData> = await client.graphql('MergedPullRequests', MERGED_PULL_REQUESTS_QUERY, { searchQuery, after }, MergedPullRequestsData);
      const { issueCount, pageInfo, nodes } = page.value.search;
      if (firstPage) {
        if (issueCount > SEARCH_RESULT_LIMIT && until.getTime() - since.getTime() > 2 * SECOND) {
          const middle = new Date(Math.floor((since.getTime() + until.getTime()) / 2 / SECOND) * SECOND);
          ctx.log.info('more merged PRs than one search returns; splitting the range', { searchQuery, issueCount });
          await collectRange(since, middle);
          await collectRange(middle, until);
          return;
        }
        if (issueCount > SEARCH_RESULT_LIMIT) ctx.log.warn('search reports more PRs than it can return in one second of merges', { searchQuery, issueCount });
        reported += issueCount;
        firstPage = false;
      }
      for (const pr of nodes) {
        if (pr === null) continue;
        const key = `${pr.repository.nameWithOwner}#${pr.number}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (!wanted(pr.repository.nameWithOwner.split('/')[1] ?? '')) {
          excluded++;
          continue;
        }
        const { reviews, sources } = await allReviews(client, pr, page.source);
        await ctx.emit(changeRequestRecord(pr, reviews, sources));
      }
      after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (after !== null);
  }

  await collectRange(ctx.range.since ?? GITHUB_LAUNCH, ctx.range.until);
  if (excluded > 0) ctx.log.info('merged PRs in repositories excluded by the repositories filter', { count: excluded });
  // The population is what the search reported, less what the config deliberately leaves out.
  ctx.reportTotal(reported - excluded);
}

/** The PR's reviews: the first 100 came with the search; a follow-up query pages through the rest. */
async function allReviews(client: GitHubClient, pr: PullRequestNode, source: string): Promise<{ reviews: Review[]; sources: string[] }> {
  const reviews = (pr.reviews?.nodes ?? []).filter((review): review is Review => review !== null);
  const sources = [source];
  let after = pr.reviews?.pageInfo.hasNextPage ? pr.reviews.pageInfo.endCursor : null;
  const [owner = '', name = ''] = pr.repository.nameWithOwner.split('/');
  while (after !== null) {
    const page = await client.graphql('PullRequestReviews', PULL_REQUEST_REVIEWS_QUERY, { owner, name, number: pr.number, after }, PullRequestReviewsData);
    const connection = page.value.repository?.pullRequest?.reviews;
    if (!connection) throw new Error(`the reviews of ${pr.repository.nameWithOwner}#${pr.number} disappeared while paging through them`);
    reviews.push(...connection.nodes.filter((review): review is Review => review !== null));
    sources.push(page.source);
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  }
  return { reviews, sources };
}
