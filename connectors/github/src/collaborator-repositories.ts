/**
 * Which repositories each outside collaborator can reach, and with what
 * permission: an outside collaborator with admin or write on a repository is
 * what an auditor asks about for CC6.2/CC6.3. GitHub has no organization-wide
 * listing of it, so every repository of the organization is asked for its
 * outside collaborators: 100 repositories per GraphQL query
 * (collaborator-graphql.ts), over REST (one request per repository and per
 * 100 collaborators) only where GraphQL cannot say it. Access is access,
 * whatever the `repositories` patterns say: they choose which repositories'
 * protection and changes are judged, not whose access is recorded.
 *
 * A repository whose collaborators the credential may not read (403/404, not
 * a rate limit) is a named item gap and is named on every collaborator's
 * record as unread, so no collaborator's access list passes as complete; a
 * repository listing shorter than GitHub's own count (read after it, in the
 * members overview) is listed once more, and still short, a gap of its own.
 */
import type { StreamContext } from '@evidentia/sdk';
import { collaboratorBatches } from './collaborator-graphql.js';
import { errorMessage, isHttpError, isRateLimited, type GitHubClient, type Sourced } from './client.js';
import { repositoryInScope, type GitHubConfig } from './config.js';
import type { RepositoryGrant } from './normalize.js';
import { relistIfShort, type FoldedBatch } from './repository-batches.js';
import { Collaborator, type Repository } from './schema.js';

/** Every outside collaborator's grants by lower-case login, the snapshots they rest on, and what could not be read (the same for everyone). */
export interface CollaboratorAccess {
  grants: Map<string, { grants: RepositoryGrant[]; sources: string[] }>;
  /** Repositories whose collaborators could not be read, and a note when the repository listing fell short of GitHub's count. */
  unread: string[];
}

const BASE_ROLES = new Set(['admin', 'maintain', 'write', 'triage', 'read']);

/** What the collaborator may do, from GitHub's permission flags (a custom role is recorded beside its base permission). */
export function grantOf(repository: string, collaborator: Collaborator): RepositoryGrant {
  const p = collaborator.permissions;
  const permission = p.admin ? 'admin' : p.maintain ? 'maintain' : p.push ? 'write' : p.triage ? 'triage' : 'read';
  const role = collaborator.role_name;
  return { repository, permission, ...(role !== undefined && !BASE_ROLES.has(role) ? { role } : {}) };
}

const byLogin = (user: { login: string }) => user.login.toLowerCase();

/** The access of every outside collaborator, from the repositories `listed` (GitHub counting `repositoriesTotal`) and the first batch the overview answered. */
export async function collaboratorAccess(ctx: StreamContext<GitHubConfig>, client: GitHubClient, listed: Array<Sourced<Repository>>, repositoriesTotal: number, folded: FoldedBatch | null): Promise<CollaboratorAccess> {
  const { org } = ctx.config;
  const inScope = repositoryInScope(ctx.config);
  const grants: CollaboratorAccess['grants'] = new Map();
  const unread: string[] = [];
  const repos = (await relistIfShort(client, org, listed, repositoriesTotal)).map(({ value }) => value);
  if (repos.length < repositoriesTotal) {
    const reason = `the repository listing returned ${repos.length} of the ${repositoriesTotal} repositories GitHub counts (repositories.totalCount): outside collaborators' access to the others is unknown`;
    ctx.itemGap({ item: `repositories of ${org}`, reason, inScope: true });
    unread.push(`${repositoriesTotal - repos.length} unlisted repositories`);
  }
  const add = (login: string, grant: RepositoryGrant, source: string) => {
    const entry = grants.get(login.toLowerCase()) ?? { grants: [], sources: [] };
    entry.grants.push(grant);
    if (!entry.sources.includes(source)) entry.sources.push(source);
    grants.set(login.toLowerCase(), entry);
  };
  const viaRest: Array<{ repo: Repository; reason: string }> = [];
  for await (const batch of collaboratorBatches(client, repos, folded)) {
    for (const { repo, answer } of batch) {
      if ('fallback' in answer) viaRest.push({ repo, reason: answer.fallback });
      else for (const { login, grant } of answer.grants) add(login, grant, answer.source);
    }
  }
  if (viaRest.length > 0) ctx.log.info('outside collaborators read over REST where GraphQL did not show them', { repositories: viaRest.length, of: repos.length });
  for (const { repo, reason } of viaRest) {
    ctx.log.info('reading outside collaborators over REST', { repository: repo.full_name, because: reason });
    const params = { owner: repo.owner.login, repo: repo.name, affiliation: 'outside', per_page: 100 };
    try {
      for await (const { value, source } of client.list('GET /repos/{owner}/{repo}/collaborators', params, Collaborator, byLogin)) add(value.login, grantOf(repo.full_name, value), source);
    } catch (error) {
      if (!isHttpError(error) || (error.status !== 403 && error.status !== 404) || isRateLimited(error)) throw error;
      const reason = `HTTP ${error.status} ${errorMessage(error)} on the collaborators of ${repo.full_name} (the token needs push access or admin rights on the repository): its outside collaborators are unknown`;
      ctx.itemGap({ item: `repository ${repo.full_name}`, reason, inScope: inScope(repo.name) });
      unread.push(repo.full_name);
    }
  }
  for (const entry of grants.values()) entry.grants.sort((a, b) => a.repository.localeCompare(b.repository));
  return { grants, unread };
}
