/**
 * Reading Slack markup and timestamps, and folding messages into an
 * incident's activity: mentions and links become words, ticket keys and
 * post-mortem links are found, ordering is exact to the microsecond, and
 * system messages (joins, topic changes) are not conversation.
 */
import { describe, expect, it } from '@jest/globals';
import { incidentRules, IncidentSettings } from './config.js';
import { emptyActivity, observe } from './incident-activity.js';
import { excerpt, linksIn, plainText, slackTs, ticketKeys, tsMicros, tsToIso } from './message-text.js';
import { severityOf } from './normalize-incidents.js';

const rules = incidentRules(IncidentSettings.parse({}));

describe('message text', () => {
  it('turns Slack markup into plain words', () => {
    expect(plainText('<@U0ALICE001> see <#C0INC00001|inc-1> and <https://x.example.com/a|the doc>, <!here> &lt;b&gt; &amp;')).toBe('@U0ALICE001 see #inc-1 and the doc, @here <b> &');
    expect(plainText('<!subteam^S0ONCALL|@oncall>\n\n  ping <https://x.example.com>')).toBe('@oncall ping https://x.example.com');
  });

  it('cuts excerpts to the configured length, or keeps nothing', () => {
    expect(excerpt('short', 80)).toBe('short');
    expect(excerpt('abcdefghij', 5)).toBe('abcd…');
    expect(excerpt('anything at all', 0)).toBe('');
  });

  it('finds links with their labels and ticket keys once each', () => {
    expect(linksIn('PM: <https://docs.example.com/pm?a=1&amp;b=2|Post-mortem> and <mailto:a@example.com|a>')).toEqual([{ url: 'https://docs.example.com/pm?a=1&b=2', label: 'Post-mortem' }]);
    expect(ticketKeys('OPS-42, then PAY-7 and OPS-42 again; not inc-2026-05 nor 42-OPS')).toEqual(['OPS-42', 'PAY-7']);
  });

  it('orders timestamps exactly and converts them both ways', () => {
    expect(tsMicros('1778573640.000101') > tsMicros('1778573640.000100')).toBe(true);
    expect(tsToIso('1778573640.123456')).toBe('2026-05-12T08:14:00.123Z');
    expect(slackTs(Date.parse('2026-04-02T00:00:00Z'))).toBe('1775088000.000000');
  });
});

describe('incident activity', () => {
  it('keeps first, last, the last resolved marker, the earliest post-mortem and first ticket mentions', () => {
    const activity = emptyActivity();
    // Newest first, as conversations.history serves them.
    const messages = [
      { ts: '1778580000.000000', user: 'U3', text: 'fully resolved now, OPS-1' },
      { ts: '1778579000.000000', user: 'U2', text: 'mitigated; <https://docs.example.com/retro|Retrospective>' },
      { ts: '1778578000.000000', subtype: 'channel_topic', user: 'U1', text: 'set the topic: resolved?' },
      { ts: '1778577000.000000', subtype: 'bot_message', bot_id: 'B1', username: 'PagerBot', text: 'alert OPS-1 fired' },
    ];
    for (const message of messages) observe(activity, message, rules);
    expect(activity.messages).toBe(3);
    expect(activity.first?.actor).toEqual({ login: 'B1', bot: true, name: 'PagerBot' });
    expect(activity.last?.at).toBe('2026-05-12T10:00:00.000Z');
    expect(activity.resolved?.actor).toEqual({ login: 'U3', bot: false });
    expect(activity.postMortem?.url).toBe('https://docs.example.com/retro');
    expect(activity.tickets.get('OPS-1')?.at).toBe('2026-05-12T09:10:00.000Z');
  });

  it('takes severity from the name, then the topic, then the purpose', () => {
    expect(severityOf({ name: 'inc-sev1-db', topic: { value: 'SEV3' } }, rules.severity)).toBe('sev1');
    expect(severityOf({ name: 'inc-db', topic: { value: 'Sev2 outage' } }, rules.severity)).toBe('Sev2');
    expect(severityOf({ name: 'inc-db', purpose: { value: 'P1 incident' } }, /\b(P[0-4])\b/i)).toBe('P1');
    expect(severityOf({ name: 'inc-db' }, rules.severity)).toBeNull();
  });
});
