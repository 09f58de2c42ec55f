/**
 * The `cloudtrail_events` stream: IAM management events, console sign-ins and
 * the other management events that matter for CC7.2 (management-events.ts:
 * trails stopped or changed, bucket policies, keys disabled, ingress opened,
 * SCPs, detection turned off) of each configured account and region in the
 * collection range, one audit.event record each, from CloudTrail's
 * LookupEvents (which keeps 90 days; the SDK clamps older ranges and declares
 * the gap). Pages are emitted as they arrive, so memory stays flat whatever
 * the volume. Every LookupEvents attempt, retries included, waits on one
 * token bucket per account and region (pacer.ts). An event re-read (a
 * repeated token, or the next run's overlap) is emitted once per run, and
 * the SDK keeps the stored record when only its sources differ. LookupEvents
 * reports no total, so none is reported.
 */
import type { LookupAttribute } from '@aws-sdk/client-cloudtrail';
import type { CollectionRange, StreamContext } from '@evidentia/sdk';
import * as api from './api.js';
import { AwsAccount } from './client.js';
import type { AwsConfig } from './config.js';
import { monitoredEvents } from './management-events.js';
import { auditEventRecord } from './normalize-events.js';
import { lookupEventsPacer } from './pacer.js';

/** One LookupEvents query: its attribute, and for a management event its source and extra criteria. */
export interface EventQuery {
  name: string;
  attribute: LookupAttribute;
  /** Only events of this source are kept (a name can belong to several services). */
  source?: string;
  controls?: string[];
}

export const IAM_EVENTS_QUERY: EventQuery = { name: 'IAM management events', attribute: { AttributeKey: 'EventSource', AttributeValue: 'iam.amazonaws.com' } };

/** IAM events and sign-ins first, then each monitored management event by name. */
export function eventQueries(config: Pick<AwsConfig, 'managementEvents'>): EventQuery[] {
  return [
    IAM_EVENTS_QUERY,
    { name: 'console sign-ins', attribute: { AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' } },
    ...monitoredEvents(config.managementEvents).map((event) => ({
      name: `${event.source} ${event.name}`,
      attribute: { AttributeKey: 'EventName' as const, AttributeValue: event.name },
      source: event.source,
      controls: event.controls,
    })),
  ];
}

export async function collectCloudTrailEvents(ctx: StreamContext<AwsConfig>): Promise<void> {
  const range = ctx.range;
  if (range === null) throw new Error('cloudtrail_events is an event stream and needs a collection range');
  if (range.since !== null && range.since.getTime() >= range.until.getTime()) {
    ctx.log.info('the collection range is empty; nothing to look up', { since: range.since.toISOString(), until: range.until.toISOString() });
    return;
  }
  const pacer = lookupEventsPacer(ctx, ctx.config.lookupEventsPerSecond);
  const queries = eventQueries(ctx.config);
  for (const config of ctx.config.accounts) {
    const account = await AwsAccount.connect(ctx, ctx.config, config, pacer);
    for (const region of account.regions) {
      for (const query of queries) {
        const events = await lookup(ctx, account, region, query, range);
        if (events > 0 || query.source === undefined) ctx.log.info('CloudTrail events collected', { account: account.alias, region, query: query.name, events });
      }
    }
  }
  if (pacer.throttled > 0) ctx.log.warn('LookupEvents was throttled; the pace slowed down and the requests were retried', { throttled: pacer.throttled });
}

/** Every event of one query in the range, each once; returns the number emitted. */
async function lookup(ctx: StreamContext<AwsConfig>, account: AwsAccount, region: string, query: EventQuery, range: CollectionRange): Promise<number> {
  const since = range.since?.getTime() ?? -Infinity;
  const until = range.until.getTime();
  let emitted = 0;
  const events = api.listEvents(account, region, { attribute: query.attribute, since: range.since, until: range.until });
  for await (const { item: event, source } of events) {
    // LookupEvents includes both ends; the range is half-open, the next run's overlap covers `until`.
    const at = event.EventTime.getTime();
    if (at < since || at >= until) continue;
    if (query.source !== undefined && event.EventSource !== undefined && event.EventSource !== query.source) continue;
    await ctx.emit(auditEventRecord(event, source, query.controls));
    emitted++;
  }
  return emitted;
}
