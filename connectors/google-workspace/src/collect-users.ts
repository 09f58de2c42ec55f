/**
 * The `users` stream: every account of the directory, one access.account
 * record each, with admin flags, 2-step verification and status. A leaver is
 * evidence, never dropped: suspended and archived users come with the active
 * ones, and a second listing (showDeleted) brings the deleted users Google
 * still keeps (about 20 days after deletion), so they are recorded as deleted.
 * Google reports no total for either listing, so none is cross-checked.
 */
import type { StreamContext } from '@evidentia/sdk';
import { WorkspaceClient, type Sourced } from './client.js';
import { STREAM_SCOPES, type GoogleWorkspaceConfig } from './config.js';
import { userAccountRecord } from './normalize.js';
import type { User } from './schema.js';

export async function collectUsers(ctx: StreamContext<GoogleWorkspaceConfig>): Promise<void> {
  const client = await WorkspaceClient.connect(ctx, STREAM_SCOPES.users);
  ctx.setIdentity(client.identity);
  const accounts = new Map<string, Sourced<User> & { deleted: boolean }>();
  for (const deleted of [false, true]) {
    // A user deleted between the two listings appears in both: the deletion is the later fact, so it replaces the listed account.
    for await (const { item, source } of client.users({ showDeleted: deleted })) accounts.set(item.id, { item, source, deleted });
  }
  for (const { item, source, deleted } of accounts.values()) await ctx.emit(userAccountRecord(item, deleted, source, ctx.config.serviceIdentities));
}
