/**
 * Test helpers deriving variants of the branch-protection cassette's
 * BranchProtectionBatch interaction: the same repositories in smaller
 * batches, or only some of them (the others filtered out by the config).
 * The query's ids and the answer's nodes stay aligned, as GitHub answers.
 */
import type { CassetteInput } from '@evidentia/testing';

type Interaction = CassetteInput['interactions'][number];
interface BatchBody {
  query: string;
  variables: { ids: string[] };
}
interface BatchAnswer {
  data: { nodes: Array<{ nameWithOwner: string } | null> };
}

const isBatch = (interaction: Interaction) => JSON.stringify(interaction.request.body ?? null).includes('BranchProtectionBatch');

/** The cassette's protection batch interactions, in order. */
export function batchInteractions(cassette: CassetteInput): Interaction[] {
  return cassette.interactions.filter(isBatch);
}

function rebuild(cassette: CassetteInput, make: (batch: Interaction, body: BatchBody, answer: BatchAnswer) => Interaction[]): CassetteInput {
  const interactions = cassette.interactions.flatMap((interaction) =>
    isBatch(interaction) ? make(interaction, interaction.request.body as unknown as BatchBody, interaction.response.body as unknown as BatchAnswer) : [interaction],
  );
  return { ...cassette, interactions };
}

function batchOf(batch: Interaction, body: BatchBody, pairs: Array<{ id: string; node: BatchAnswer['data']['nodes'][number] }>): Interaction {
  return {
    request: { ...batch.request, body: { query: body.query, variables: { ids: pairs.map((p) => p.id) } } },
    response: { ...batch.response, body: { data: { nodes: pairs.map((p) => p.node) } } },
  } as Interaction;
}

/** The batch split into queries of `size` repositories, as `branchProtectionBatchSize: size` sends them. */
export function splitBatches(cassette: CassetteInput, size: number): CassetteInput {
  return rebuild(cassette, (batch, body, answer) => {
    const pairs = body.variables.ids.map((id, index) => ({ id, node: answer.data.nodes[index] ?? null }));
    const chunks: Interaction[] = [];
    for (let start = 0; start < pairs.length; start += size) chunks.push(batchOf(batch, body, pairs.slice(start, start + size)));
    return chunks;
  });
}

/** Only the named repositories (of acme-corp) are read: the others leave the batch and lose their REST interactions. */
export function keepRepositories(cassette: CassetteInput, names: string[]): CassetteInput {
  const kept = new Set(names.map((name) => `acme-corp/${name}`));
  const rebuilt = rebuild(cassette, (batch, body, answer) => {
    const pairs = body.variables.ids.map((id, index) => ({ id, node: answer.data.nodes[index] ?? null })).filter((p) => p.node !== null && kept.has(p.node.nameWithOwner));
    return [batchOf(batch, body, pairs)];
  });
  rebuilt.interactions = rebuilt.interactions.filter((i) => {
    const repo = /^\/repos\/([^/]+\/[^/]+)\//.exec(i.request.path)?.[1];
    return repo === undefined || kept.has(repo);
  });
  return rebuilt;
}
