/**
 * Test helpers deriving variants of the branch-protection cassette's GraphQL
 * reads: the ProtectionOverview (the organization's counts and the first
 * batch, under the aliases `totals` and `protection`) and any later
 * BranchProtectionBatch queries. The same repositories in smaller batches,
 * or only some of them (the others filtered out by the config). Each query's
 * ids and its answer's nodes stay aligned, as GitHub answers.
 */
import type { CassetteInput } from '@evidentia/testing';
import { BRANCH_PROTECTION_BATCH_QUERY } from './queries.js';

type Interaction = CassetteInput['interactions'][number];
type Node = { nameWithOwner: string } | null;
interface OverviewBody {
  query: string;
  variables: { org: string; ids: string[]; withProtection: boolean };
}
/** The ProtectionOverview answer. */
export interface OverviewAnswer {
  data: { totals: { membersWithRole: { totalCount: number }; repositories: { totalCount: number } } | null; protection?: Node[] } | null;
  errors?: Array<{ type?: string; path?: Array<string | number>; message: string }>;
}

const bodyOf = (interaction: Interaction) => JSON.stringify(interaction.request.body ?? null);
const isOverview = (interaction: Interaction) => bodyOf(interaction).includes('query ProtectionOverview');
const isBatch = (interaction: Interaction) => bodyOf(interaction).includes('query BranchProtectionBatch');

/** The cassette's ProtectionOverview interaction and its answer, to change in place (on a copy of the cassette). */
export function overviewOf(cassette: CassetteInput): { interaction: Interaction; answer: OverviewAnswer } {
  const interaction = cassette.interactions.find(isOverview);
  if (!interaction) throw new Error('the cassette has no ProtectionOverview query');
  return { interaction, answer: interaction.response.body as unknown as OverviewAnswer };
}

/** The cassette's standalone BranchProtectionBatch interactions, in order. */
export function batchInteractions(cassette: CassetteInput): Interaction[] {
  return cassette.interactions.filter(isBatch);
}

/** Every repository the cassette's GraphQL reads ask about, by node id, with the node answered. */
function pairsOf(cassette: CassetteInput): Array<{ id: string; node: Node }> {
  const { interaction, answer } = overviewOf(cassette);
  const pairs = (interaction.request.body as unknown as OverviewBody).variables.ids.map((id, index) => ({ id, node: answer.data?.protection?.[index] ?? null }));
  for (const batch of batchInteractions(cassette)) {
    const nodes = (batch.response.body as unknown as { data: { nodes: Node[] } }).data.nodes;
    pairs.push(...(batch.request.body as unknown as { variables: { ids: string[] } }).variables.ids.map((id, index) => ({ id, node: nodes[index] ?? null })));
  }
  return pairs;
}

/** The reads of `pairs` `size` a query: the first in the overview, the others standalone batches right after it. */
function rebatched(cassette: CassetteInput, pairs: Array<{ id: string; node: Node }>, size: number): CassetteInput {
  const copy = structuredClone(cassette);
  const { interaction: overview, answer } = overviewOf(copy);
  const body = overview.request.body as unknown as OverviewBody;
  const [first = [], ...later] = Array.from({ length: Math.ceil(pairs.length / size) }, (_, n) => pairs.slice(n * size, (n + 1) * size));
  body.variables = { ...body.variables, ids: first.map((p) => p.id), withProtection: first.length > 0 };
  answer.data = { totals: answer.data!.totals, ...(first.length > 0 ? { protection: first.map((p) => p.node) } : {}) };
  const batches = later.map(
    (chunk) =>
      ({
        request: { method: 'POST', path: '/graphql', body: { query: BRANCH_PROTECTION_BATCH_QUERY, variables: { ids: chunk.map((p) => p.id) } } },
        response: { ...overview.response, body: { data: { nodes: chunk.map((p) => p.node) } } },
      }) as unknown as Interaction,
  );
  copy.interactions = copy.interactions.filter((i) => !isBatch(i));
  copy.interactions.splice(copy.interactions.indexOf(overview) + 1, 0, ...batches);
  return copy;
}

/** The reads split into queries of `size` repositories, as `branchProtectionBatchSize: size` sends them. */
export function splitBatches(cassette: CassetteInput, size: number): CassetteInput {
  return rebatched(cassette, pairsOf(cassette), size);
}

/** Only the named repositories (of acme-corp) are read: the others leave the reads and lose their REST interactions. */
export function keepRepositories(cassette: CassetteInput, names: string[]): CassetteInput {
  const kept = new Set(names.map((name) => `acme-corp/${name}`));
  const pairs = pairsOf(cassette).filter((p) => p.node !== null && kept.has(p.node.nameWithOwner));
  const rebuilt = rebatched(cassette, pairs, Math.max(1, pairs.length));
  rebuilt.interactions = rebuilt.interactions.filter((i) => {
    const repo = /^\/repos\/([^/]+\/[^/]+)\//.exec(i.request.path)?.[1];
    return repo === undefined || kept.has(repo);
  });
  return rebuilt;
}
