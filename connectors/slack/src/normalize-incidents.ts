/**
 * An incident channel as an incident.record, pure: opened when the channel
 * was created, resolved at the last "resolved" marker (open without one),
 * severity from the channel's name, topic or purpose, the earliest matching
 * post-mortem link. Members and ticket keys have fields of their own; the
 * timeline holds the key messages (first, ticket mentions, resolved marker,
 * last) whose text is kept only as a short excerpt.
 */
import type { RecordData } from '@evidentia/evidence';
import type { RecordInput } from '@evidentia/sdk';
import type { IncidentRules } from './config.js';
import type { ChannelActivity, KeyMessage } from './incident-activity.js';
import type { Channel } from './schema.js';

type TimelineEntry = RecordData<'incident.record'>['timeline'][number];


/** The severity found in the name, then the topic, then the purpose: the first capture group, else the whole match. */
export function severityOf(channel: Pick<Channel, 'name' | 'topic' | 'purpose'>, pattern: RegExp): string | null {
  for (const text of [channel.name, channel.topic?.value, channel.purpose?.value]) {
    const match = text ? pattern.exec(text) : null;
    if (match) return match[1] ?? match[0];
  }
  return null;
}

function quoted(event: string, message: KeyMessage): string {
  return message.excerpt === '' ? event : `${event}: "${message.excerpt}"`;
}

function entry(message: KeyMessage, event: string): TimelineEntry {
  return { at: message.at, actor: message.actor, event };
}


/** One incident channel, key and id = the channel id (stable across renames). */
export function incidentRecord(channel: Channel, activity: ChannelActivity, members: string[], sources: string[], rules: IncidentRules): RecordInput<'incident.record'> {
  const openedAt = new Date(channel.created * 1000).toISOString();
  const { first, last, resolved, postMortem } = activity;
  const timeline: TimelineEntry[] = [{ at: openedAt, actor: channel.creator ? { login: channel.creator } : null, event: 'opened (channel created)' }];
  if (first) timeline.push(entry(first, quoted('first message', first)));
  for (const [ticket, message] of activity.tickets) timeline.push(entry(message, `ticket ${ticket} mentioned`));
  if (postMortem) timeline.push(entry(postMortem.message, 'post-mortem linked'));
  if (resolved) timeline.push(entry(resolved, quoted('resolved marker', resolved)));
  if (last && last !== first) timeline.push(entry(last, 'last message'));
  const purpose = channel.purpose?.value.trim();
  return {
    key: channel.id,
    occurredAt: openedAt,
    data: {
      id: channel.id,
      title: purpose ? `#${channel.name}: ${purpose}` : `#${channel.name}`,
      severity: severityOf(channel, rules.severity),
      status: resolved ? 'resolved' : 'open',
      openedAt,
      resolvedAt: resolved?.at ?? null,
      postMortem: postMortem?.url ?? null,
      // Stable order: by time, then as listed above (Array.prototype.sort is stable).
      timeline: timeline.sort((a, b) => a.at.localeCompare(b.at)),
      // Membership is what conversations.members shows at collection time.
      participants: [...members].sort(),
      linkedTickets: [...new Set([...activity.tickets].map(([ticket]) => ticket))].sort(),
    },
    sources,
  };
}
