/**
 * Outside collaborators of many repositories per GraphQL query (by node id:
 * the first batch in MembersOverview, the others
 * OUTSIDE_COLLABORATORS_BATCH_QUERY), as the same grants the
 * REST listing gives. What GraphQL does not say, or says in a way that cannot
 * be trusted, is named per repository as a fallback reason; those
 * repositories are read over REST, as they always were: more than 100
 * collaborators, a repository GraphQL refuses or does not resolve (a
 * 403/404 over REST then becomes the named item gap), a custom role GraphQL
 * does not tie to the permission it grants.
 */
import type { GitHubClient } from './client.js';
import type { RepositoryGrant } from './normalize.js';
import { OUTSIDE_COLLABORATORS_BATCH_QUERY } from './queries.js';
import { repositoryBatches, type BatchKind, type Fallback, type FoldedBatch } from './repository-batches.js';
import { CollaboratorBatch, type CollaboratorBatchNode, type Repository } from './schema.js';

export type CollaboratorAnswer = { grants: Array<{ login: string; grant: RepositoryGrant }>; source: string } | Fallback;

/** Repositories per query: GitHub's maximum for nodes(ids:); 100 × up to 100 collaborators stays far below its 500,000-node limit. */
export const COLLABORATOR_BATCH_SIZE = 100;

const BASE_ROLES = new Set(['admin', 'maintain', 'write', 'triage', 'read']);

const COLLABORATOR_BATCH: BatchKind<NonNullable<CollaboratorBatchNode>, CollaboratorAnswer> = { what: 'OutsideCollaboratorsBatch', query: OUTSIDE_COLLABORATORS_BATCH_QUERY, schema: CollaboratorBatch, answer: answerFor };

/** The outside collaborators of `repos`, batch by batch; `folded` is the first batch, answered in the members overview. */
export function collaboratorBatches(client: GitHubClient, repos: Repository[], folded: FoldedBatch | null): AsyncGenerator<Array<{ repo: Repository; answer: CollaboratorAnswer }>> {
  return repositoryBatches(client, COLLABORATOR_BATCH, repos, COLLABORATOR_BATCH_SIZE, folded);
}

function answerFor(repo: Repository, node: NonNullable<CollaboratorBatchNode>, source: string): CollaboratorAnswer {
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
