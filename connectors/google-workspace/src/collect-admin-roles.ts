/**
 * The `admin_roles` stream: who holds which admin role. One access.account
 * record per holder (a user or a group) with every role it holds and where
 * (whole customer or one org unit). Roles are named from the role listing;
 * users' emails, status and 2-step verification come from one directory
 * listing with a field mask (cheaper than a lookup per holder at any size).
 * Google reports no totals for these listings. What it does guarantee is that
 * the role listing holds every role (system and custom) and that a role with
 * assignments cannot be deleted: an assignment naming a role the listing lacks
 * means the role listing came back short, so that role is an in-scope item gap.
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
  for await (const { item, source } of client.roles()) {
    roles.set(item.roleId, item);
    if (!roleSources.includes(source)) roleSources.push(source);
  }

  const holders = new Map<string, RoleHolder>();
  for await (const { item: assignment, source } of client.roleAssignments()) {
    if (!roles.has(assignment.roleId)) {
      ctx.itemGap({ item: `role ${assignment.roleId}`, reason: `held through assignment ${assignment.roleAssignmentId} but missing from the role listing`, inScope: true });
    }
    const assigneeType = assignment.assigneeType === 'group' ? 'group' : 'user';
    const id = `${assigneeType}:${assignment.assignedTo}`;
    const holder = holders.get(id) ?? { assigneeType, assignedTo: assignment.assignedTo, assignments: [], sources: [...roleSources] };
    holder.assignments.push(assignment);
    if (!holder.sources.includes(source)) holder.sources.push(source);
    holders.set(id, holder);
  }

  const wanted = new Set([...holders.values()].filter((h) => h.assigneeType === 'user').map((h) => h.assignedTo));
  const users = new Map<string, { user: User; source: string }>();
  if (wanted.size > 0) {
    for await (const { item, source } of client.users({ fields: HOLDER_FIELDS })) if (wanted.has(item.id)) users.set(item.id, { user: item, source });
  }

  for (const holder of holders.values()) {
    const user = holder.assigneeType === 'user' ? users.get(holder.assignedTo) : undefined;
    if (holder.assigneeType === 'user' && !user) ctx.log.warn('an admin role holder is not in the directory listing; recorded by id', { userId: holder.assignedTo });
    await ctx.emit(roleHolderRecord(holder, roles, user, ctx.config.serviceIdentities));
  }
}
