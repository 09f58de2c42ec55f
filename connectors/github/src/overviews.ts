/**
 * Each stream's overview (overview-queries.ts) sent as one POST and cut back
 * into its parts (graphql-answer.ts), each judged later by the code that judged
 * its standalone query: the totals by organization-totals.ts, the first SAML
 * page by saml-identities.ts, the first batch by repository-batches.ts.
 */
import type { GitHubClient } from './client.js';
import { COLLABORATOR_BATCH_SIZE } from './collaborator-graphql.js';
import { splitAnswer, type GraphQLAnswer } from './graphql-answer.js';
import { MEMBERS_OVERVIEW_QUERY, PROTECTION_OVERVIEW_QUERY } from './overview-queries.js';
import { firstBatch, type FoldedBatch } from './repository-batches.js';
import type { Repository } from './schema.js';

const TOTALS = { what: 'OrganizationTotals', field: 'organization' };

export interface MembersOverview {
  totals: GraphQLAnswer;
  /** The first page of SAML identities. */
  saml: GraphQLAnswer;
  /** The first batch of outside collaborators; null when no repository was asked about. */
  collaborators: FoldedBatch | null;
}

/** The members overview; `repos` (the organization's repositories, when outside collaborators make them worth asking about) choose the first batch. */
export async function membersOverview(client: GitHubClient, org: string, repos: Repository[]): Promise<MembersOverview> {
  const batch = firstBatch(repos, COLLABORATOR_BATCH_SIZE);
  const answer = await client.graphqlAnswer('MembersOverview', MEMBERS_OVERVIEW_QUERY, { org, ids: batch.map((repo) => repo.node_id!), withCollaborators: batch.length > 0 });
  const parts = splitAnswer(answer, { totals: TOTALS, saml: { what: 'SamlIdentities', field: 'organization' }, collaborators: { what: 'OutsideCollaboratorsBatch', field: 'nodes' } });
  return { totals: parts.totals, saml: parts.saml, collaborators: batch.length > 0 ? { repos: batch, answer: parts.collaborators } : null };
}

export interface ProtectionOverview {
  totals: GraphQLAnswer;
  /** The first batch of default-branch protection; null when no repository was asked about. */
  protection: FoldedBatch | null;
}

/** The branch_protection overview; the first `batchSize` of `repos` (the active repositories in scope) are its batch. */
export async function protectionOverview(client: GitHubClient, org: string, repos: Repository[], batchSize: number): Promise<ProtectionOverview> {
  const batch = firstBatch(repos, batchSize);
  const answer = await client.graphqlAnswer('ProtectionOverview', PROTECTION_OVERVIEW_QUERY, { org, ids: batch.map((repo) => repo.node_id!), withProtection: batch.length > 0 });
  const parts = splitAnswer(answer, { totals: TOTALS, protection: { what: 'BranchProtectionBatch', field: 'nodes' } });
  return { totals: parts.totals, protection: batch.length > 0 ? { repos: batch, answer: parts.protection } : null };
}
