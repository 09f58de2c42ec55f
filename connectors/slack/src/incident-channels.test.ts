/**
 * The incident_channels stream against recorded fixtures: the incident
 * population for CC7.3–CC7.5 (resolved with post-mortem and tickets, still
 * open, opened before the range but active in it), what is left out, how
 * little message text a record keeps, and channels the app cannot read
 * (item gaps, in scope or not as the config says).
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { slackConnector } from './index.js';
import { fixturePath, loadFixture, testConfig } from './test-support.js';

type Incident = { timeline: Array<{ at: string; actor: Record<string, unknown> | null; event: string }> } & Record<string, unknown>;

const run = (cassette: string | CassetteInput, config: Record<string, unknown> = {}) =>
  runConnectorFixture({ connector: slackConnector, stream: 'incident_channels', cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette], config: testConfig(config) });

function incident(records: EvidenceRecord[], id: string): Incident {
  const record = records.find((r) => r.key === id);
  if (!record) throw new Error(`no record for ${id}`);
  return record.data as Incident;
}

describe('incident_channels stream', () => {
  it('collects the incident channels opened in the 90-day range or active in it', async () => {
    const { outcome, records } = await run('incident-channels.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.range).toEqual({ since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') });
    // Nothing happened in inc-2026-01-vpn in the range; inc-2026-07-cdn opened after it; #general and #incidents-howto do not match.
    expect(records.map((r) => r.key).sort()).toEqual(['C0INC00001', 'C0INC00002', 'C0INC00003']);
    expect(outcome.requests).toBe(13);
    expect(outcome.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect(records.every((r) => r.kind === 'incident.record' && r.system === 'slack:acme-example' && r.controls.join() === 'CC7.3,CC7.4,CC7.5')).toBe(true);
  });

  it('records a resolved incident: severity, marker, post-mortem, tickets, members', async () => {
    const { records } = await run('incident-channels.json');
    const payments = incident(records, 'C0INC00001');
    expect(payments).toMatchObject({
      id: 'C0INC00001',
      title: '#inc-2026-05-12-payments: Payments API returning 502s',
      severity: 'SEV2',
      status: 'resolved',
      openedAt: '2026-05-12T08:10:00.000Z',
      resolvedAt: '2026-05-12T10:40:00.000Z',
      postMortem: 'https://docs.example.com/pm/2026-05-12-payments',
    });
    expect(records.find((r) => r.key === 'C0INC00001')?.occurredAt).toBe('2026-05-12T08:10:00.000Z');
    expect(payments.timeline.map((e) => `${e.at.slice(11, 16)} ${String(e.actor?.login ?? '-')} ${e.event}`)).toEqual([
      '08:10 U0CAROL001 opened (channel created)',
      '08:20 U0GRACE001 first message: "Payments API is returning 502s for card checkouts since 08:05 UTC, tracking in…"',
      '08:20 U0GRACE001 ticket OPS-42 mentioned',
      '10:40 U0ALICE001 ticket PAY-7 mentioned',
      '10:40 U0ALICE001 resolved marker: "Resolved: error rate back to baseline after rolling back PAY-7. Thanks all @cha…"',
      '11:05 U0CAROL001 post-mortem linked',
      '11:05 U0CAROL001 last message',
    ]);
    expect(payments.participants).toEqual(['U0ALICE001', 'U0CAROL001', 'U0GRACE001']);
    expect(payments.linkedTickets).toEqual(['OPS-42', 'PAY-7']);
  });

  it('keeps message text only as a short excerpt', async () => {
    const { records } = await run('incident-channels.json');
    const text = JSON.stringify(records);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('555 0100');
    expect(text).not.toContain('502 rate 12%');

    const { records: bare } = await run('incident-channels.json', { incidents: { excerptLength: 0 } });
    expect(incident(bare, 'C0INC00001').timeline.map((e) => e.event)).toContain('first message');
    expect(JSON.stringify(bare)).not.toMatch(/Payments API is|Resolved: error/);
  });

  it('records an incident without a resolved marker as open', async () => {
    const { records } = await run('incident-channels.json');
    const login = incident(records, 'C0INC00002');
    expect(login).toMatchObject({ title: '#inc-2026-06-login-latency: Login latency in eu-west', severity: null, status: 'open', resolvedAt: null, postMortem: null });
    expect(login.participants).toEqual(['U0ALICE001', 'U0ERIN0001']);
    expect(login.linkedTickets).toEqual([]);
  });

  it('reads the earlier history of a channel opened before the range, so the record describes the whole incident', async () => {
    const { records, snapshots } = await run('incident-channels.json');
    const dns = incident(records, 'C0INC00003');
    expect(dns).toMatchObject({ severity: 'sev3', status: 'resolved', openedAt: '2026-03-20T10:00:00.000Z', resolvedAt: '2026-04-03T09:00:00.000Z' });
    expect(dns.timeline.map((e) => e.event)).toEqual(
      expect.arrayContaining(['first message: "Intermittent DNS failures for internal services, see INFRA-9"', 'ticket INFRA-9 mentioned']),
    );
    const earlier = snapshots.find((s) => s.provenance.requestBody === 'channel=C0INC00003&latest=1775088000.000000&limit=200');
    expect(records.find((r) => r.key === 'C0INC00003')?.sources).toContain(earlier?.hash);
  });

  /**
   * The fixture where inc-2026-01-vpn (opened in January, before the range) saw only `events` in the range, with
   * its earlier history and members as the run that re-reads it asks for them, and the listing as `channel` says.
   */
  function vpnTouched(events: Record<string, unknown>[], channel: Record<string, unknown> = {}): CassetteInput {
    const cassette = loadFixture('incident-channels.json');
    const inRange = cassette.interactions.find((i) => i.request.path === '/conversations.history' && String(i.request.body).startsWith('channel=C0INC00004'))!;
    (inRange.response.body as { messages: unknown[] }).messages = events;
    for (const listing of cassette.interactions.filter((i) => i.request.path === '/conversations.list')) {
      for (const entry of (listing.response.body as { channels: Record<string, unknown>[] }).channels) if (entry.id === 'C0INC00004') Object.assign(entry, channel);
    }
    const earlier = [
      { type: 'message', ts: '1768032000.000100', text: 'Resolved: the VPN gateway is back after the failover', user: 'U0GRACE001' },
      { type: 'message', ts: '1768028700.000100', text: 'VPN gateway dropping connections for remote staff, see INFRA-3', user: 'U0GRACE001' },
    ];
    const at = cassette.interactions.indexOf(inRange) + 1;
    const answer = (body: Record<string, unknown>) => ({ ...inRange.response, body: { ok: true, ...body } });
    cassette.interactions.splice(
      at,
      0,
      { request: { method: 'POST', path: '/conversations.history', body: 'channel=C0INC00004&latest=1775088000.000000&limit=200' }, response: answer({ has_more: false, messages: earlier, response_metadata: { next_cursor: '' } }) },
      { request: { method: 'POST', path: '/conversations.members', body: 'channel=C0INC00004&limit=1000' }, response: answer({ members: ['U0GRACE001', 'U0ALICE001', 'U0CAROL001'], response_metadata: { next_cursor: '' } }) },
    );
    return cassette;
  }

  it('reads an earlier incident again when only its topic changed in the range: the severity is as the topic now says', async () => {
    const topic = { type: 'message', ts: '1777723200.000100', text: 'set the channel topic: SEV1 VPN outage', user: 'U0GRACE001', subtype: 'channel_topic', topic: 'SEV1 VPN outage' };
    const { outcome, records } = await run(vpnTouched([topic], { topic: { value: 'SEV1 VPN outage', creator: 'U0GRACE001', last_set: 1777723200 } }));
    expect(outcome.status).toBe('complete');
    expect(incident(records, 'C0INC00004')).toMatchObject({ severity: 'SEV1', status: 'resolved', openedAt: '2026-01-10T07:00:00.000Z' });
  });

  it('reads an earlier incident again when only its members changed in the range (someone left)', async () => {
    const leave = { type: 'message', ts: '1777723200.000100', text: '<@U0DAN00001> has left the channel', user: 'U0DAN00001', subtype: 'channel_leave' };
    const { records } = await run(vpnTouched([leave]));
    expect(incident(records, 'C0INC00004')).toMatchObject({ participants: ['U0ALICE001', 'U0CAROL001', 'U0GRACE001'], severity: null });
  });

  /** The fixture with the app shut out of #inc-2026-06-login-latency (C0INC00002): its history answers `error`. */
  function shutOut(error: string): CassetteInput {
    const cassette = loadFixture('incident-channels.json');
    const history = cassette.interactions.find((i) => i.request.path === '/conversations.history' && String(i.request.body).startsWith('channel=C0INC00002'))!;
    history.response = { ...history.response, body: { ok: false, error } };
    cassette.interactions = cassette.interactions.filter((i) => !(i.request.path === '/conversations.members' && String(i.request.body).startsWith('channel=C0INC00002')));
    return cassette;
  }

  it('lists a channel matched only by the pattern that the app was never invited to as a gap, and stays complete', async () => {
    const { outcome, records } = await run(shutOut('not_in_channel'));
    expect(outcome.status).toBe('complete');
    expect(outcome.itemGaps).toEqual([
      {
        item: 'channel #inc-2026-06-login-latency (C0INC00002)',
        reason: 'Slack API conversations.history: not_in_channel — the app is not a member of the channel; invite it (matched by incidents.channelPattern only)',
        inScope: false,
      },
    ]);
    expect(outcome.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect(records.map((r) => r.key).sort()).toEqual(['C0INC00001', 'C0INC00003']);
  });

  it('ends partial, keeping its cursor, when a channel the config names cannot be read', async () => {
    for (const named of ['inc-2026-06-login-latency', '#inc-2026-06-login-latency', 'C0INC00002']) {
      const { outcome, records } = await run(shutOut('not_in_channel'), { incidents: { channels: [named] } });
      expect(outcome.status).toBe('partial');
      expect(outcome.itemGaps).toEqual([expect.objectContaining({ item: 'channel #inc-2026-06-login-latency (C0INC00002)', inScope: true })]);
      expect(outcome.error).toBe(
        '1 in-scope item could not be read: channel #inc-2026-06-login-latency (C0INC00002) (Slack API conversations.history: not_in_channel — the app is not a member of the channel; invite it (named in incidents.channels))',
      );
      expect(outcome.cursorAfter).toBeNull();
      expect(records.map((r) => r.key).sort()).toEqual(['C0INC00001', 'C0INC00003']);
    }
  });

  it('counts a missing history scope as in scope, whichever way the channel was chosen', async () => {
    const { outcome } = await run(shutOut('missing_scope'));
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([expect.objectContaining({ item: 'channel #inc-2026-06-login-latency (C0INC00002)', inScope: true })]);
    expect(outcome.itemGaps[0]!.reason).toMatch(/^Slack API conversations\.history: missing_scope — the token lacks a scope/);
  });

  it('ends partial when a channel the config names is not listed at all (a private channel the app is not in)', async () => {
    const { outcome, records } = await run('incident-channels.json', { incidents: { channels: ['#inc-2026-secret', 'G0SECRET01'] } });
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps.map((gap) => [gap.item, gap.inScope])).toEqual([
      ['channel G0SECRET01', true],
      ['channel #inc-2026-secret', true],
    ]);
    expect(outcome.itemGaps[0]!.reason).toMatch(/not listed by conversations\.list/);
    expect(records).toHaveLength(3);
  });

  it('fails the stream on an {ok:false} listing, with the Slack error name', async () => {
    const cassette = loadFixture('incident-channels.json');
    const list = cassette.interactions[1]!;
    list.response = { ...list.response, body: { ok: false, error: 'missing_scope', needed: 'groups:read', provided: 'channels:read' } };
    cassette.interactions = cassette.interactions.slice(0, 2);
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('Slack API conversations.list: missing_scope (needed: groups:read)');
  });

  it('fails, naming the channel and the method, when a history page says has_more but gives no cursor, rather than recording the incident from its first page', async () => {
    const cassette = loadFixture('incident-channels.json');
    const first = cassette.interactions[2]!;
    expect(first.response.body).toMatchObject({ has_more: true });
    (first.response.body as { response_metadata: { next_cursor: string } }).response_metadata.next_cursor = '';
    cassette.interactions = cassette.interactions.slice(0, 3);
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'incident channel #inc-2026-05-12-payments (C0INC00001): Slack API conversations.history: unexpected response shape: has_more is true but response_metadata.next_cursor is empty after the first page; the rest of the list cannot be read',
    );
    expect(records).toEqual([]);
  });

  it('fails naming the channel when one of its answers changes shape, keeping the incidents recorded before it', async () => {
    const cassette = loadFixture('incident-channels.json');
    const members = cassette.interactions.findIndex((i) => i.request.path === '/conversations.members' && JSON.stringify(i.request).includes('C0INC00002'));
    const page = cassette.interactions[members]!;
    page.response = { ...page.response, body: { ok: true, members: [42], response_metadata: { next_cursor: '' } } };
    cassette.interactions = cassette.interactions.slice(0, members + 1);
    const { outcome, records } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/^incident channel #\S+ \(C0INC00002\): Slack API conversations\.members: unexpected response shape: members\.0: /);
    expect(records.map((r) => r.key)).toEqual(['C0INC00001']);
  });

  it('follows the configured channel pattern', async () => {
    const cassette = loadFixture('incident-channels.json');
    cassette.interactions = cassette.interactions.filter((i) => i.request.path !== '/conversations.history' && i.request.path !== '/conversations.members');
    const { outcome, records } = await run(cassette, { incidents: { channelPattern: '^incident-' } });
    expect(outcome.status).toBe('complete');
    expect(records).toHaveLength(0);
  });
});
