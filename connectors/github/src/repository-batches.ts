/**
 * The organization's repositories, listed and read many per GraphQL query by
 * node id: shared by the outside-collaborator and protection batches. The
 * first batch rides in the stream's overview (overview-queries.ts), which also
 * brings GitHub's repository count; as that count is read after the listing,
 * a listing shorter than it is listed once more (a repository created while
 * listing) before the shortfall is taken for a listing that stopped early.
 * A repository GraphQL does not answer for is named with a fallback reason,
 * for the stream to read over REST.
 */
import type { z } from 'zod';
import type { GitHubClient, Sourced } from './client.js';
import { GraphQLResponseError, partialValue, type GraphQLAnswer, type GraphQLError } from './graphql-answer.js';
import { Repository } from './schema.js';

/** Why a repository is read over REST instead. */
export type Fallback = { fallback: string };

/** One kind of batch: its standalone query, the schema of its answer, and what a resolved node says about its repository. */
export interface BatchKind<N, A> {
  what: string;
  query: string;
  schema: z.ZodType<{ nodes: Array<N | null> }>;
  answer(repo: Repository, node: N, source: string): A | Fallback;
}

/** The first batch in an overview's answer, and the repositories it asked about. */
export interface FoldedBatch {
  repos: Repository[];
  answer: GraphQLAnswer;
}

const byName = (repo: Repository) => repo.full_name.toLowerCase();

/** Every repository of the organization (archived ones too), each with the page it came from. */
export async function listRepositories(client: GitHubClient, org: string): Promise<Array<Sourced<Repository>>> {
  const listed: Array<Sourced<Repository>> = [];
  for await (const entry of client.list('GET /orgs/{org}/repos', { org, type: 'all', per_page: 100 }, Repository, byName)) listed.push(entry);
  return listed;
}

/** The listing, listed once more when it holds fewer repositories than GitHub's count read after it: every repository either listing gave, the first listing's first. */
export async function relistIfShort(client: GitHubClient, org: string, listed: Array<Sourced<Repository>>, total: number): Promise<Array<Sourced<Repository>>> {
  if (listed.length >= total) return listed;
  const seen = new Set(listed.map(({ value }) => byName(value)));
  const again = await listRepositories(client, org);
  return [...listed, ...again.filter(({ value }) => !seen.has(byName(value)))];
}

/** The repositories of the first batch: the first `size` the listing gave a node id, in listing order. */
export function firstBatch(repos: Repository[], size: number): Repository[] {
  return repos.filter((repo) => repo.node_id).slice(0, size);
}

/**
 * What GraphQL says of each of `repos`, batch by batch: first those the
 * listing gave no node id (to REST without a query), then the batch the
 * overview answered, then the others `size` per query.
 */
export async function* repositoryBatches<N, A>(client: GitHubClient, kind: BatchKind<N, A>, repos: Repository[], size: number, folded: FoldedBatch | null): AsyncGenerator<Array<{ repo: Repository; answer: A | Fallback }>> {
  const answered = new Set(folded?.repos.map(byName));
  const rest = repos.filter((repo) => !answered.has(byName(repo)));
  const withoutId = rest.filter((repo) => !repo.node_id);
  if (withoutId.length > 0) yield withoutId.map((repo) => ({ repo, answer: { fallback: 'the repository listing gave no GraphQL node id' } }));
  if (folded && folded.repos.length > 0) yield judged(kind, folded.repos, partialValue(folded.answer, kind.schema));
  const withId = rest.filter((repo) => repo.node_id);
  for (let start = 0; start < withId.length; start += size) {
    const batch = withId.slice(start, start + size);
    yield judged(kind, batch, await client.graphqlPartial(kind.what, kind.query, { ids: batch.map((repo) => repo.node_id!) }, kind.schema));
  }
}

function judged<N, A>(kind: BatchKind<N, A>, batch: Repository[], { value, source, errors }: { value: { nodes: Array<N | null> }; source: string; errors: GraphQLError[] }) {
  const perNode = nodeErrors(kind.what, errors, batch.length);
  if (value.nodes.length !== batch.length) throw new GraphQLResponseError(kind.what, [{ message: `${value.nodes.length} nodes answered for ${batch.length} ids` }]);
  return batch.map((repo, index) => {
    const node = value.nodes[index] ?? null;
    const error = perNode.get(index);
    if (error !== undefined) return { repo, answer: { fallback: `GraphQL did not answer for the repository: ${error}` } };
    if (node === null) return { repo, answer: { fallback: 'GraphQL did not resolve the repository' } };
    return { repo, answer: kind.answer(repo, node, source) };
  });
}

/** Errors that name one node (`nodes.<i>…`) make that repository a fallback; any other error fails the query. */
function nodeErrors(what: string, errors: GraphQLError[], count: number): Map<number, string> {
  const byNode = new Map<number, string>();
  const other: GraphQLError[] = [];
  for (const error of errors) {
    const [field, index] = error.path ?? [];
    if (field === 'nodes' && typeof index === 'number' && index < count) byNode.set(index, `${error.message}${error.type ? ` [${error.type}]` : ''}`);
    else other.push(error);
  }
  if (other.length > 0) throw new GraphQLResponseError(what, other);
  return byNode;
}
