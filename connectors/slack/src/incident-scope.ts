/**
 * Which channels are incident channels, and which the configuration puts in
 * scope, pure. A channel named in `incidents.channels` is in scope: if the
 * app cannot read it (or cannot even list it) the stream is partial. A channel
 * that only matches `incidents.channelPattern` is collected when the app can
 * read it; one the app was never invited to is a listed gap and the stream
 * stays complete (inviting the app is how a workspace says "collect this").
 * A missing scope is different: the app was set up without a permission the
 * connector needs, which hides every channel of that kind, so it is in scope
 * whichever way the channel was chosen.
 */
import type { ItemGap } from '@evidentia/sdk';
import type { SlackApiError } from './client.js';
import type { IncidentRules } from './config.js';
import type { Channel } from './schema.js';

/** Why a channel is an incident channel: named in the config, or matched by the name pattern. */
export type Selection = 'named' | 'pattern';

/** Slack errors that concern one channel (or one kind of channel), not the whole run. */
export const CHANNEL_ACCESS_ERRORS: ReadonlySet<string> = new Set(['not_in_channel', 'channel_not_found', 'missing_scope']);

const HINTS: Record<string, string> = {
  not_in_channel: 'the app is not a member of the channel; invite it',
  channel_not_found: 'the app cannot see the channel (a private channel it is not in); invite it',
  missing_scope: 'the token lacks a scope the connector needs',
};

export class IncidentScope {
  private readonly listed = new Set<string>();

  constructor(private readonly rules: IncidentRules) {}

  /** How the channel was chosen, or null when it is not an incident channel. Remembers named channels seen. */
  select(channel: Pick<Channel, 'id' | 'name'>): Selection | null {
    const named = this.rules.named.ids.has(channel.id) || this.rules.named.names.has(channel.name.toLowerCase());
    if (named) {
      this.listed.add(channel.id);
      this.listed.add(channel.name.toLowerCase());
      return 'named';
    }
    return this.rules.channel.test(channel.name) ? 'pattern' : null;
  }

  /** Gaps for the named channels the listing never showed (call after the whole listing was read). */
  unlistedGaps(): ItemGap[] {
    const missing = [...this.rules.named.ids, ...this.rules.named.names].filter((ref) => !this.listed.has(ref.toLowerCase()) && !this.listed.has(ref));
    return missing.map((ref) => ({
      item: this.rules.named.ids.has(ref) ? `channel ${ref}` : `channel #${ref}`,
      reason: 'named in incidents.channels but not listed by conversations.list: a private channel the app is not in, or no such channel; invite the app or fix the name',
      inScope: true,
    }));
  }
}

/** The gap for a channel the app could not read, naming it (name and id), the method and Slack's error. */
export function channelGap(channel: Pick<Channel, 'id' | 'name'>, selection: Selection, error: SlackApiError): ItemGap {
  const chosen = selection === 'named' ? 'named in incidents.channels' : 'matched by incidents.channelPattern only';
  return {
    item: `channel #${channel.name} (${channel.id})`,
    reason: `${error.message} — ${HINTS[error.code] ?? 'the app cannot read it'} (${chosen})`,
    inScope: selection === 'named' || error.code === 'missing_scope',
  };
}
