/**
 * The `incident_channels` stream: channels (public and private, archived
 * included) whose name matches the incident pattern and that were opened in
 * the collection range or had any message in it (system events too), one incident.record each.
 *
 * A record must describe the whole incident, not the slice of it that fell
 * into this run's range (an hourly run would otherwise overwrite a resolved
 * incident with an "open" one that only saw the last hour). So the range is
 * read first, and for a channel opened before the range that was active in it,
 * the earlier history too. A channel the token cannot read (the app is not in
 * it, a missing scope) does not stop the others: it becomes an item gap naming
 * the channel and Slack's error, in scope (the stream ends partial and keeps
 * its cursor) or not as incident-scope.ts decides from the configuration.
 * Any other failure reading a channel fails the stream with the channel named.
 */
import type { RecordInput, StreamContext } from '@evidentia/sdk';
import { SlackApiError, SlackClient } from './client.js';
import { incidentRules, type IncidentRules, type SlackConfig } from './config.js';
import { emptyActivity, observe } from './incident-activity.js';
import { slackTs, tsMicros } from './message-text.js';
import { incidentRecord } from './normalize-incidents.js';
import { CHANNEL_ACCESS_ERRORS, channelGap, IncidentScope } from './incident-scope.js';
import { ChannelMembersPage, ChannelsPage, HistoryPage, type Channel } from './schema.js';

/** Page sizes: the largest Slack serves for channel and member lists, its recommended one for history. */
export const CHANNELS_PAGE_SIZE = 1000;
export const HISTORY_PAGE_SIZE = 200;
export const MEMBERS_PAGE_SIZE = 1000;

interface Window {
  /** Epoch ms; null = from the beginning. */
  since: number | null;
  until: number;
}

export async function collectIncidentChannels(ctx: StreamContext<SlackConfig>): Promise<void> {
  if (ctx.range === null) throw new Error('incident_channels is an event stream and needs a collection range');
  const client = await SlackClient.connect(ctx);
  const rules = incidentRules(ctx.config.incidents);
  const window: Window = { since: ctx.range.since?.getTime() ?? null, until: ctx.range.until.getTime() };
  const scope = new IncidentScope(rules);
  let quiet = 0;
  const listing = { types: 'public_channel,private_channel', exclude_archived: false, limit: CHANNELS_PAGE_SIZE };
  for await (const { value: channel, source } of client.list('conversations.list', listing, ChannelsPage, { items: (page) => page.channels, key: (c) => c.id })) {
    const selection = scope.select(channel);
    if (selection === null || channel.created * 1000 >= window.until) continue;
    try {
      const record = await readIncident(client, channel, source, window, rules);
      if (record === null) quiet++;
      else await ctx.emit(record);
    } catch (error) {
      // Any other failure fails the stream, naming the channel: the method alone does not say which of many it was.
      if (!(error instanceof SlackApiError) || !CHANNEL_ACCESS_ERRORS.has(error.code)) throw new Error(`incident channel #${channel.name} (${channel.id}): ${errorText(error)}`, { cause: error });
      const gap = channelGap(channel, selection, error);
      ctx.log.warn('incident channel cannot be read', { ...gap });
      ctx.itemGap(gap);
    }
  }
  for (const gap of scope.unlistedGaps()) ctx.itemGap(gap);
  if (quiet > 0) ctx.log.info('incident channels opened before the range with nothing in it in the range were left out', { count: quiet });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The channel's record, or null when it was opened before the range and
 * nothing happened in it in the range: any message counts, system events too
 * (a topic, purpose or name change, a join or leave, archival), since each
 * changes the record and the stream declares `recollectsChanges`.
 */
async function readIncident(client: SlackClient, channel: Channel, listSource: string, window: Window, rules: IncidentRules): Promise<RecordInput<'incident.record'> | null> {
  const activity = emptyActivity();
  const sources = [listSource];
  const until = BigInt(window.until) * 1000n;
  const onPage = (page: { source: string }) => void sources.push(page.source);
  let events = 0;
  const read = async (args: Record<string, string | number | boolean>) => {
    const messages = client.list('conversations.history', args, HistoryPage, { items: (page) => page.messages, key: (message) => message.ts, onPage });
    // `inclusive` makes `latest` inclusive too; the range is half-open.
    for await (const { value: message } of messages) {
      if (tsMicros(message.ts) >= until) continue;
      events++;
      observe(activity, message, rules);
    }
  };
  const inRange: Record<string, string | number | boolean> = { channel: channel.id };
  if (window.since !== null) inRange.oldest = slackTs(window.since);
  await read({ ...inRange, latest: slackTs(window.until), inclusive: true, limit: HISTORY_PAGE_SIZE });
  if (window.since !== null && channel.created * 1000 < window.since) {
    if (events === 0) return null;
    await read({ channel: channel.id, latest: slackTs(window.since), limit: HISTORY_PAGE_SIZE });
  }
  const members = new Set<string>();
  for await (const { value: member } of client.list('conversations.members', { channel: channel.id, limit: MEMBERS_PAGE_SIZE }, ChannelMembersPage, { items: (page) => page.members, key: (id) => id, onPage })) {
    members.add(member);
  }
  return incidentRecord(channel, activity, [...members], sources, rules);
}
