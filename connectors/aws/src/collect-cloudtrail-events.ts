/**
 * The `cloudtrail_events` stream: IAM management events and console sign-ins
 * of each configured account and region in the collection range, one
 * audit.event record each (CC6.2, CC7.2), from CloudTrail's LookupEvents
 * (which keeps 90 days; the SDK clamps older ranges and declares the gap).
 * Pages are emitted as they arrive, so memory stays flat whatever the volume,
 * and requests are paced to LookupEvents' per-account, per-region rate. An
 * event re-read (a repeated token, or the next run's overlap) is emitted once
 * per run, and the SDK keeps the stored record when only its sources differ.
 * LookupEvents reports no total, so none is reported.
 */
import type { LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { CollectionRange, StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { auditEventRecord } from './normalize-events.js';
import { RequestPacer } from './pacer.js';

/** LookupEvents filters on one attribute per request, so each kind of event is its own query. */
export const EVENT_QUERIES: ReadonlyArray<{ name: string; attribute: LookupAttribute }> = [
  { name: 'IAM management events', attribute: { AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' } },
  { name: 'console sign-ins', attribute: { AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' } },
];

export async function collectCloudTrailEvents(ctx: StreamContext<AwsConfig>): Promise<void> {
  const range = ctx.range;
  if (range === null) throw new Error('cloudtrail_events is an event stream and needs a collection range');
  if (range.since !== null && range.since.getTime() >= range.until.getTime()) {
    ctx.log.info('the collection range is empty; nothing to look up', { since: range.since.toISOString(), until: range.until.toISOString() });
    return;
  }
  const pacer = new RequestPacer(ctx.config.lookupEventsPerSecond, ctx.now, ctx.sleep);
  for (const config of ctx.config.accounts) {
    const account = await AwsAccount.connect(ctx, ctx.config, config);
    for (const region of account.regions) {
      for (const query of EVENT_QUERIES) {
        const events = await lookup(ctx, account, region, query.attribute, range, pacer);
        ctx.log.info('CloudTrail events collected', { account: account.alias, region, query: query.name, events });
      }
    }
  }
}

/** Every event of one query in the range, each once; returns the number emitted. */
async function lookup(ctx: StreamContext<AwsConfig>, account: AwsAccount, region: string, attribute: LookupAttribute, range: CollectionRange, pacer: RequestPacer): Promise<number> {
  const since = range.since?.getTime() ?? -Infinity;
  const until = range.until.getTime();
  let emitted = 0;
  const events = api.listEvents(account, region, { attribute, since: range.since, until: range.until }, () => pacer.next(`${account.accountId}/${region}`));
  for await (const { item: event, source } of events) {
    // LookupEvents includes both ends; the range is half-open, the next run's overlap covers `until`.
    const at = event.EventTime.getTime();
    if (at < since || at >= until) continue;
    await ctx.emit(auditEventRecord(event, source));
    emitted++;
  }
  return emitted;
}
