/**
 * The `user_lifecycle` stream: Admin console audit events for user creation,
 * suspension, deletion, un-suspension and admin privilege or role changes in
 * the collection range (Reports API, which keeps 180 days: the SDK declares
 * anything older as a gap). The Reports API filters by one event name per
 * request, so each name is its own paginated listing; that keeps unrelated
 * admin activity out of the requests and the snapshots. Each run re-reads
 * the hour before its cursor; an event read again has the same key and
 * content, so the SDK stores it once. The Reports API reports no totals.
 */
import type { StreamContext } from '@evidentia/sdk';
import { WorkspaceClient } from './client.js';
import { STREAM_SCOPES, type GoogleWorkspaceConfig } from './config.js';
import { LIFECYCLE_EVENTS, lifecycleRecord, type LifecycleEventName } from './normalize.js';

export const LIFECYCLE_EVENT_NAMES = Object.keys(LIFECYCLE_EVENTS) as LifecycleEventName[];

export async function collectUserLifecycle(ctx: StreamContext<GoogleWorkspaceConfig>): Promise<void> {
  if (ctx.range === null) throw new Error('user_lifecycle is an event stream and needs a collection range');
  const client = await WorkspaceClient.connect(ctx, STREAM_SCOPES.user_lifecycle);
  ctx.setIdentity(client.identity);
  for (const eventName of LIFECYCLE_EVENT_NAMES) {
    for await (const { item: activity, source } of client.activities(eventName, ctx.range)) {
      let occurrence = 0;
      for (const event of activity.events) {
        if (event.name !== eventName) continue;
        await ctx.emit(lifecycleRecord(activity, event, eventName, occurrence++, source));
      }
    }
  }
}
