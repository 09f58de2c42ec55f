/**
 * The `users` stream: every account of the directory, one access.account
 * record each, with admin flags, 2-step verification and status. A leaver is
 * evidence, never dropped: suspended and archived users come with the active
 * ones, and a second listing (showDeleted) brings the deleted users Google
 * still keeps (about 20 days after deletion), so they are recorded as deleted.
 */
import type { StreamContext } from '@evidentia/sdk';
import { WorkspaceClient } from './client.js';
import { STREAM_SCOPES, type GoogleWorkspaceConfig } from './config.js';
import { userAccountRecord } from './normalize.js';

export async function collectUsers(ctx: StreamContext<GoogleWorkspaceConfig>): Promise<void> {
  const client = await WorkspaceClient.connect(ctx, STREAM_SCOPES.users);
  ctx.setIdentity(client.identity);
  const seen = new Set<string>();
  for (const deleted of [false, true]) {
    for await (const page of client.users({ showDeleted: deleted })) {
      for (const user of page.items) {
        // A page shifted by a concurrent change may repeat a user; a user deleted between the listings appears in both, and the deletion is the later fact.
        if (seen.has(user.id) && !deleted) continue;
        seen.add(user.id);
        await ctx.emit(userAccountRecord(user, deleted, page.source));
      }
    }
  }
  ctx.reportTotal(seen.size);
}
