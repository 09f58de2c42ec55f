/**
 * Outside collaborators of many repositories per GraphQL query
 * (OUTSIDE_COLLABORATORS_BATCH_QUERY, by node id), as the same grants the
 * REST listing gives. What GraphQL does not say, or says in a way that cannot
 * be trusted, is named per repository as a fallback reason; those
 * repositories are read over REST, as they always were: more than 100
 * collaborators, a repository GraphQL refuses or does not resolve (a
 * 403/404 over REST then becomes the named item gap), a custom role GraphQL
 * does not tie to the permission it grants.
 */
import { GraphQLResponseError, type GitHubClient } from './client.js';
import type { RepositoryGrant } from './normalize.js';
import { nodeErrors } from './protection-graphql.js';
import { OUTSIDE_COLLABORATORS_BATCH_QUERY } from './queries.js';
import { CollaboratorBatch, type CollaboratorBatchNode, type Repository } from './schema.js';

export type CollaboratorAnswer = { grants: Array<{ login: string; grant: RepositoryGrant }>; source: string } | { fallback: string };

/** Repositories per query: GitHub's maximum for nodes(ids:); 100 × up to 100 collaborators stays far below its 500,000-node limit. */
export const COLLABORATOR_BATCH_SIZE = 100;

const BASE_ROLES = new Set(['admin', 'maintain', 'write', 'triage', 'read']);

/** The outside collaborators of `repos`, batch by batch; a repository the listing gave no node id goes to REST without a query. */
export async function* collaboratorBatches(client: GitHubClient, repos: Repository[]): AsyncGenerator<Array<{ repo: Repository; answer: CollaboratorAnswer }>> {
  const withoutId = repos.filter((repo) => !repo.node_id);
  if (withoutId.length > 0) yield withoutId.map((repo) => ({ repo, answer: { fallback: 'the repository listing gave no GraphQL node id' } }));
  const withId = repos.filter((repo) => repo.node_id);
  for (let start = 0; start < withId.length; start += COLLABORATOR_BATCH_SIZE) {
    const batch = withId.slice(start, start + COLLABORATOR_BATCH_SIZE);
    const { value, source, errors } = await client.graphqlPartial('OutsideCollaboratorsBatch', OUTSIDE_COLLABORATORS_BATCH_QUERY, { ids: batch.map((repo) => repo.node_id!) }, CollaboratorBatch);
    const perNode = nodeErrors('OutsideCollaboratorsBatch', errors, batch.length);
    if (value.nodes.length !== batch.length) throw new GraphQLResponseError('OutsideCollaboratorsBatch', [{ message: `${value.nodes.length} nodes answered for ${batch.length} ids` }]);
    yield batch.map((repo, index) => ({ repo, answer: answerFor(repo, value.nodes[index] ?? null, perNode.get(index), source) }));
  }
}

function answerFor(repo: Repository, node: CollaboratorBatchNode, error: string | undefined, source: string): CollaboratorAnswer {
  if (error !== undefined) return { fallback: `GraphQL did not answer for the repository: ${error}` };
  if (node === null) return { fallback: 'GraphQL did not resolve the repository' };
  const listed = node.collaborators;
  if (listed === null || listed.edges === null) return { fallback: 'GraphQL does not show the collaborators' };
  if (listed.totalCount > 100) return { fallback: `${listed.totalCount} outside collaborators, more than one GraphQL page` };
  if (listed.edges.length !== listed.totalCount) return { fallback: `GraphQL listed ${listed.edges.length} of the ${listed.totalCount} outside collaborators it counts` };
  const grants: Array<{ login: string; grant: RepositoryGrant }> = [];
  for (const edge of listed.edges) {
    if (edge === null) return { fallback: 'GraphQL left a collaborator out (null edge)' };
    if (edge.permissionSources === null) return { fallback: `GraphQL does not show what grants ${edge.node.login} access, so a custom role would be lost` };
    const permission = edge.permission.toLowerCase() as RepositoryGrant['permission'];
    // A custom role is named only in permissionSources; it is recorded when GraphQL ties it to the very permission the edge states.
    const custom = new Set(edge.permissionSources.filter((s) => s.roleName && !BASE_ROLES.has(s.roleName.toLowerCase())).map((s) => `${s.roleName}\u0000${s.permission.toLowerCase()}`));
    if (custom.size > 1) return { fallback: `GraphQL names several custom roles for ${edge.node.login}` };
    const [role, rolePermission] = custom.size === 1 ? [...custom][0]!.split('\u0000') : [];
    if (role !== undefined && rolePermission !== permission) return { fallback: `GraphQL names the custom role ${role} of ${edge.node.login} with ${rolePermission}, the collaborator with ${permission}` };
    grants.push({ login: edge.node.login, grant: { repository: repo.full_name, permission, ...(role !== undefined ? { role } : {}) } });
  }
  return { grants, source };
}
