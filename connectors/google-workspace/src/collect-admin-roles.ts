/**
 * The `admin_roles` stream: who holds which admin role. One access.account
 * record per holder (a user or a group) with every role it holds and where
 * (whole customer or one org unit). Roles are named from the role listing;
 * users' emails, status and 2-step verification come from one directory
 * listing with a field mask (cheaper than a lookup per holder at any size).
 */
import type { StreamContext } from '@evidentia/sdk';
import { WorkspaceClient } from './client.js';
import { STREAM_SCOPES, type GoogleWorkspaceConfig } from './config.js';
import { roleHolderRecord, type RoleHolder } from './normalize.js';
import type { Role, User } from './schema.js';

/** What the holder records need from each user: a partial response keeps the listing small. */
export const HOLDER_FIELDS = 'nextPageToken,users(id,primaryEmail,name/fullName,isEnrolledIn2Sv,suspended,archived,creationTime,lastLoginTime)';

export async function collectAdminRoles(ctx: StreamContext<GoogleWorkspaceConfig>): Promise<void> {
  const client = await WorkspaceClient.connect(ctx, STREAM_SCOPES.admin_roles);
  ctx.setIdentity(client.identity);

  const roles = new Map<string, Role>();
  const roleSources: string[] = [];
  for await (const page of client.roles()) {
    for (const role of page.items) roles.set(role.roleId, role);
    roleSources.push(page.source);
  }

  const holders = new Map<string, RoleHolder>();
  const assignmentIds = new Set<string>();
  for await (const page of client.roleAssignments()) {
    for (const assignment of page.items) {
      if (assignmentIds.has(assignment.roleAssignmentId)) continue;
      assignmentIds.add(assignment.roleAssignmentId);
      const assigneeType = assignment.assigneeType === 'group' ? 'group' : 'user';
      const id = `${assigneeType}:${assignment.assignedTo}`;
      const holder = holders.get(id) ?? { assigneeType, assignedTo: assignment.assignedTo, assignments: [], sources: [...roleSources] };
      holder.assignments.push(assignment);
      if (!holder.sources.includes(page.source)) holder.sources.push(page.source);
      holders.set(id, holder);
    }
  }

  const wanted = new Set([...holders.values()].filter((h) => h.assigneeType === 'user').map((h) => h.assignedTo));
  const users = new Map<string, { user: User; source: string }>();
  if (wanted.size > 0) {
    for await (const page of client.users({ fields: HOLDER_FIELDS })) {
      for (const user of page.items) if (wanted.has(user.id)) users.set(user.id, { user, source: page.source });
    }
  }

  ctx.reportTotal(holders.size);
  for (const holder of holders.values()) {
    const user = holder.assigneeType === 'user' ? users.get(holder.assignedTo) : undefined;
    if (holder.assigneeType === 'user' && !user) ctx.log.warn('an admin role holder is not in the directory listing; recorded by id', { userId: holder.assignedTo });
    await ctx.emit(roleHolderRecord(holder, roles, user));
  }
}
