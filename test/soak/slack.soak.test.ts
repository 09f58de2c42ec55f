/**
 * Slack soak: 30 daily runs of both Slack streams by the real runner, with
 * the real @slack/web-api client, against the simulated Slack
 * (connectors/slack/src/simulator.ts) whose workspace changes every day:
 * members join, are deactivated, change or are removed; team channels are
 * deleted; incident channels open, get
 * messages, new members and resolved markers; one incident channel the app
 * was never invited to. Lists span several pages (Slack serves fewer items
 * than asked), conversations.list ends in a run of empty pages, and on some
 * runs a page is served twice, the workspace changes while a list is read, or
 * Slack answers 429. After every run the locker must hold exactly what the
 * workspace holds. On one run the app is removed from a channel the config
 * names: that run must say partial and name it, and the next run catch up.
 * Slack's Web API has no ETag or conditional requests, so none are exercised.
 * Members are deactivated rather than removed, except on Enterprise Grid,
 * where a guest or deactivated member removed from the workspace leaves
 * users.list (every 5th run).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StoredRecord } from '@evidentia/locker';
import { startSlackSimulator, type SlackSimulator } from '../../connectors/slack/src/simulator.js';
import { SlackWorkspace, syntheticMember, type SimChannel, type SimMember } from '../../connectors/slack/src/simulator-workspace.js';
import { heldRecords, soak, streamOf } from './harness.js';
import { seededRandom as random } from '@evidentia/testing';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T06:00:00Z');
/** The first run reaches back 90 days (the stream's initial lookback). */
const FIRST_SINCE = START - 90 * DAY;
const RUNS = 30;
const TOKEN = 'xoxb-soak-token-not-real';
const VENDOR = 'C0INC00006';
const SECURITY = 'C1SEC00001';
const DENIED_RUN = 20;
/** Members at the start; Slack serves at most 100 per users.list page here, so 3 pages and more. */
const USERS = 250;


const rand = random(12);
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
const ws = new SlackWorkspace({ id: 'T0SOAK0001', name: 'Soak Corp', domain: 'soakcorp' }, { userId: 'U0EVIDBOT1', name: 'evidentia' });
let nextUser = 1;
let nextIncident = 100;
let sim: SlackSimulator;

function channel(id: string, name: string, createdMs: number, extra: Partial<SimChannel> = {}): SimChannel {
  return ws.addChannel({ id, name, created: Math.floor(createdMs / 1000), creator: 'U000000002', is_private: false, is_archived: false, purpose: '', topic: '', members: [ws.bot.userId], ...extra });
}

/** Messages from a few people spread after `fromMs`; the first mentions a ticket, the last may resolve. */
function converse(id: string, fromMs: number, count: number, resolve: boolean, stepMs = 60_000): void {
  for (let k = 0; k < count; k++) {
    const text = k === 0 ? `Investigating, tracking in OPS-${id.slice(-3)}` : k === count - 1 && resolve ? 'Resolved: back to normal' : `update ${k}`;
    ws.post(id, `U0${String(2 * (k % 12)).padStart(8, '0')}`, text, fromMs + k * stepMs);
  }
}

function buildWorkspace(): void {
  for (let i = 0; i < USERS; i++) ws.addUser(syntheticMember(2 * i));
  ws.addUser({ ...syntheticMember(0), id: 'USLACKBOT', name: 'slackbot', real_name: 'Slackbot', is_admin: false, is_owner: false, is_primary_owner: false });
  ws.addUser({ ...syntheticMember(499), id: ws.bot.userId, name: 'evidentia' });
  channel('C0INC00001', 'inc-2026-02-payments', START - 10 * DAY);
  converse('C0INC00001', START - 10 * DAY + HOUR, 130, true);
  for (let k = 0; k < 40; k++) ws.channel('C0INC00001').members.push(`U0${String(2 * k + 100).padStart(8, '0')}`);
  channel('C0INC00002', 'inc-2026-02-login', START - 3 * DAY);
  converse('C0INC00002', START - 3 * DAY + HOUR, 5, false);
  channel('C0INC00003', 'inc-2026-01-dns', START - 60 * DAY);
  converse('C0INC00003', START - 60 * DAY + HOUR, 8, true);
  // Opened and quiet long before the first range: never collected.
  channel('C0INC00004', 'inc-2025-09-old-quiet', START - 200 * DAY);
  converse('C0INC00004', START - 199 * DAY, 4, true);
  // Opened before the first range; active again on run 6, then read with its earlier history.
  channel('C0INC00005', 'inc-2025-11-old-active', START - 120 * DAY);
  converse('C0INC00005', START - 119 * DAY, 6, false);
  // Matches the pattern, the app was never invited: a listed gap, out of scope.
  channel(VENDOR, 'inc-vendor-outage', START - 20 * DAY, { members: [] });
  converse(VENDOR, START - 20 * DAY + HOUR, 3, false);
  // Named in the config (it does not match the pattern): in scope.
  channel(SECURITY, 'security-incidents', START - 30 * DAY);
  converse(SECURITY, START - 30 * DAY + HOUR, 4, false);
  for (let i = 0; i < 60; i++) channel(`C2TEAM${String(i).padStart(5, '0')}`, `team-${i}`, START - 400 * DAY);
  // Private channels the app is not in: conversations.list scans them and shows nothing, page after page.
  for (let i = 0; i < 260; i++) channel(`G9PRIV${String(i).padStart(5, '0')}`, `priv-${i}`, START - 300 * DAY, { is_private: true, members: ['U000000002'] });
}

function openIncident(id: string, nowMs: number, minutesAgo: number): void {
  channel(id, `inc-2026-${id.toLowerCase()}`, nowMs - minutesAgo * 60_000);
  converse(id, nowMs - (minutesAgo - 5) * 60_000, 3, rand() < 0.3, 5 * 60_000);
}

/** The day's changes: people join, leave and change; incidents open and move on. */
function changeWorkspace(run: number, nowMs: number): void {
  for (let k = 0; k < 2; k++) ws.addUser(syntheticMember(2 * Math.floor(rand() * USERS) + 1 + 2 * USERS * nextUser++));
  const active = [...ws.users.values()].filter((m) => !m.deleted && !m.is_bot && !m.is_primary_owner && m.id.startsWith('U0'));
  ws.updateUser(pick(active).id, (m) => void (m.deleted = true));
  ws.updateUser(pick(active).id, (m: SimMember) => {
    if (run % 3 === 0) m.is_admin = !m.is_admin;
    else if (run % 3 === 1) m.has_2fa = !(m.has_2fa ?? false);
    else m.profile = { ...m.profile, email: `renamed${run}@example.com`, real_name: `Renamed ${run}` };
  });
  // A team channel is deleted now and then (the list's later pages shift between runs).
  if (run % 4 === 0) ws.removeChannel(`C2TEAM${String(run).padStart(5, '0')}`);
  // Enterprise Grid: a guest or a deactivated member is removed from the workspace and leaves users.list.
  if (run % 5 === 0) ws.removeUser(pick([...ws.users.values()].filter((m) => m.is_restricted || m.deleted)).id);
  if (run % 3 === 0) openIncident(`C0INC${String(nextIncident++).padStart(5, '0')}`, nowMs, 6 * 60);
  const recent = [...ws.channels.values()].filter((c) => /^inc-/.test(c.name) && ws.botIn(c) && c.created * 1000 > nowMs - 20 * DAY && c.created * 1000 < nowMs - DAY);
  const target = pick(recent);
  ws.post(target.id, pick(active).id, rand() < 0.25 ? 'mitigated, watching PAY-9' : `status update ${run}`, nowMs - (2 + Math.floor(rand() * 20)) * HOUR);
  ws.post(VENDOR, 'U000000004', `vendor says ${run}`, nowMs - 3 * HOUR);
}

function injectFaults(run: number, nowMs: number): void {
  if (run === 3) sim.repeatPage('users.list', 2);
  if (run === 5) sim.repeatPage('conversations.list', 2);
  if (run === 6) ws.post('C0INC00005', 'U000000006', 'Reopened: seen again, see INFRA-77', nowMs - 4 * HOUR);
  // A member joins while users.list is read: the later pages shift by one.
  if (run === 8) sim.changeAfterPage('users.list', 1, () => ws.addUser(syntheticMember(2 * 200 + 1)));
  // An incident channel opens while conversations.list is read (its id sorts after the first page).
  if (run === 10) {
    sim.changeAfterPage('conversations.list', 1, () => {
      openIncident('C5INC00001', nowMs, 60);
      ws.removeChannel('C2TEAM00050');
    });
  }
  if (run === 12) {
    ws.post('C0INC00001', 'U000000008', 'follow-up: post-mortem action items done', nowMs - 5 * HOUR);
    sim.repeatPage('conversations.history', 2);
    sim.repeatPage('conversations.members', 2);
  }
  if (run === 14) sim.rateLimitOnce('users.list');
  if (run === DENIED_RUN) {
    ws.setBotMember(SECURITY, false);
    ws.post(SECURITY, 'U000000010', 'phishing report, see SEC-12', nowMs - 6 * HOUR);
  }
  if (run === DENIED_RUN + 1) ws.setBotMember(SECURITY, true);
}

const isBot = (m: SimMember) => m.id === 'USLACKBOT' || m.is_bot;

function expectedAccounts(): Record<string, unknown> {
  const entries = [...ws.users.values()].map((m) => [
    `user:${m.id}`,
    {
      status: m.deleted ? 'deleted' : m.is_invited_user ? 'invited' : 'active',
      privileged: !isBot(m) && (m.is_admin || m.is_owner || m.is_primary_owner),
      mfa: m.has_2fa === undefined ? 'unknown' : m.has_2fa ? 'enabled' : 'disabled',
      email: m.profile.email ?? null,
      displayName: m.profile.real_name,
    },
  ]);
  return Object.fromEntries(entries);
}

const msOf = (ts: string) => Number(ts.split('.')[0]) * 1000;

/** The incidents the locker must hold: readable incident channels opened or active since the first range began. */
function expectedIncidents(nowMs: number): Record<string, unknown> {
  const held = [...ws.channels.values()].filter(
    (c) => (/^inc-/.test(c.name) || c.id === SECURITY) && c.id !== VENDOR && c.created * 1000 < nowMs && (c.created * 1000 >= FIRST_SINCE || c.messages.some((m) => msOf(m.ts) >= FIRST_SINCE)),
  );
  return Object.fromEntries(
    held.map((c) => {
      const resolved = c.messages.filter((m) => /\b(resolved|mitigated)\b/i.test(m.text)).at(-1);
      const tickets = new Set(c.messages.flatMap((m) => m.text.match(/\b[A-Z][A-Z0-9]+-\d+\b/g) ?? []));
      return [c.id, { status: resolved ? 'resolved' : 'open', resolvedAt: resolved ? new Date(msOf(resolved.ts) + Number(resolved.ts.split('.')[1]!.slice(0, 3))).toISOString() : null, participants: [...c.members].sort(), linkedTickets: [...tickets].sort(), openedAt: new Date(c.created * 1000).toISOString() }];
    }),
  );
}

function held(records: StoredRecord[], fields: string[]): Record<string, unknown> {
  return Object.fromEntries(records.map((r) => [r.key, Object.fromEntries(fields.map((f) => [f, (r.data as Record<string, unknown>)[f]]))]));
}

/** Requests of this run that asked for the same page of the same list twice. */
function repeatedRequests(from: number, method: string): number {
  const asked = sim.requests.slice(from).filter((r) => r.method === method && r.params.cursor);
  return asked.length - new Set(asked.map((r) => JSON.stringify(r.params))).size;
}

describe('Slack soak: 30 daily runs against a changing workspace', () => {
  beforeAll(async () => {
    buildWorkspace();
    sim = await startSlackSimulator({ workspace: ws, token: TOKEN, pageCaps: { 'conversations.list': 40 } });
  });
  afterAll(() => sim.close());

  it('holds exactly what the workspace holds after every run, and says partial when a named channel is denied', async () => {
    const vendorGap = { item: 'channel #inc-vendor-outage (C0INC00006)', reason: expect.stringContaining('not_in_channel'), inScope: false };
    let requestsBefore = 0;
    const { manifests } = await soak({
      connectorsYaml: [
        '  slack:',
        '    config:',
        '      workspace: soakcorp',
        '      token: ${env:SLACK_SOAK_TOKEN}',
        `      slackApiUrl: ${sim.url}`,
        '      incidents:',
        "        channels: ['#security-incidents']",
      ].join('\n'),
      env: { SLACK_SOAK_TOKEN: TOKEN },
      runs: RUNS,
      start: new Date(START),
      beforeRun(run, now) {
        requestsBefore = sim.requests.length;
        if (run > 1) changeWorkspace(run, now.getTime());
        injectFaults(run, now.getTime());
      },
      async afterRun({ run, now, manifest, locker }) {
        const users = streamOf(manifest, 'slack/users');
        expect({ run, status: users.status, error: users.error }).toEqual({ run, status: 'complete', error: null });
        expect(users.apiTotal).toBeNull();
        const accounts = await heldRecords(locker, 'slack/users');
        expect(held(accounts, ['status', 'privileged', 'mfa', 'email', 'displayName'])).toEqual(expectedAccounts());

        const incidents = streamOf(manifest, 'slack/incident_channels');
        const records = await heldRecords(locker, 'slack/incident_channels');
        expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
        const expected = expectedIncidents(now.getTime());
        const actual = held(records, ['status', 'resolvedAt', 'participants', 'linkedTickets', 'openedAt']);
        if (run === DENIED_RUN) {
          expect(incidents.status).toBe('partial');
          expect(incidents.error).toMatch(/^1 in-scope item could not be read: channel #security-incidents \(C1SEC00001\) \(Slack API conversations\.history: not_in_channel/);
          expect(incidents.itemGaps).toEqual([vendorGap, expect.objectContaining({ item: 'channel #security-incidents (C1SEC00001)', inScope: true })]);
          // What the app could not read stays as last collected; everything else is current.
          expect((actual[SECURITY] as { linkedTickets: string[] }).linkedTickets).not.toContain('SEC-12');
          delete actual[SECURITY];
          delete expected[SECURITY];
        } else {
          expect({ run, status: incidents.status, error: incidents.error }).toEqual({ run, status: 'complete', error: null });
          expect(incidents.itemGaps).toEqual([vendorGap]);
        }
        expect(actual).toEqual(expected);
        if ([3, 12].includes(run)) expect(repeatedRequests(requestsBefore, run === 3 ? 'users.list' : 'conversations.history')).toBe(1);
        if (run === 5) expect(repeatedRequests(requestsBefore, 'conversations.list')).toBe(1);
        if (run === 12) expect(repeatedRequests(requestsBefore, 'conversations.members')).toBe(1);
      },
    });
    expect(manifests).toHaveLength(RUNS);
    // The workspace moved on: new members (more joined than were removed), incidents opened during the soak (one while the list was read).
    expect(Object.keys(expectedAccounts()).length).toBeGreaterThan(USERS + RUNS);
    expect(Object.keys(expectedIncidents(START + RUNS * DAY))).toEqual(expect.arrayContaining(['C0INC00005', 'C5INC00001', 'C0INC00109']));
  }, 120_000);
});
