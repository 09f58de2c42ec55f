/**
 * Slack benchmark: what the Slack connector (its real WebClient through the
 * SDK's evidence fetch, via runStream) costs in Web API requests and time for
 * a 10,000-member workspace and 50 incident channels, served by a synthetic
 * Slack on 127.0.0.1 that implements the methods the connector calls (cursor
 * pagination, history filtered by oldest/latest). Snapshots and records go
 * to a counting sink, so the figures are the connector's, not the locker's.
 * Figures are reported only when the server's request count equals the
 * SDK's and the records match the synthetic workspace; otherwise it throws.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runStream, Secret, type StreamOutcome, type StreamSink } from '@evidentia/sdk';
import { slackConnector, SlackConfig } from '../connectors/slack/src/index.js';
import type { BenchSection } from './section.js';

const USERS = 10_000;
const INCIDENTS = 50;
const OTHER_CHANNELS = 1_400;
const SINCE = Date.parse('2026-04-02T00:00:00Z');
const UNTIL = Date.parse('2026-07-01T00:00:00Z');
const DAY = 86_400_000;
/** Slack's documented per-method tiers (requests per minute), for a lower bound on real wall time. */
const TIER_PER_MINUTE: Record<string, number> = { 'auth.test': 100, 'users.list': 20, 'conversations.list': 20, 'conversations.history': 50, 'conversations.members': 100 };

interface Message { ts: string; user: string; text: string }
interface SyntheticChannel { id: string; name: string; created: number; messages: Message[]; members: string[]; kind: 'in-range' | 'active-before' | 'quiet-before' | 'other' }

const slackTs = (ms: number, seq: number) => `${Math.floor(ms / 1000)}.${String(seq % 1_000_000).padStart(6, '0')}`;
const userId = (i: number) => `U${String(i).padStart(8, '0')}`;

function member(i: number): Record<string, unknown> {
  const bot = i % 500 === 499;
  return {
    id: userId(i), name: `user${i}`, deleted: i % 200 === 7, real_name: `User ${i}`, is_bot: bot,
    is_admin: i % 50 === 0, is_owner: i === 0, is_primary_owner: i === 0, is_restricted: i % 100 === 3, is_ultra_restricted: false,
    ...(bot ? {} : { has_2fa: i % 25 !== 1 }),
    profile: { real_name: `User ${i}`, display_name: `user${i}`, ...(bot ? {} : { email: `user${i}@example.com` }) },
  };
}

/** 40 incidents opened in the range, 6 opened before it and active in it, 4 opened before it and quiet; the rest not incidents. */
function channels(): SyntheticChannel[] {
  const result: SyntheticChannel[] = [];
  for (let j = 0; j < INCIDENTS; j++) {
    const kind = j < 40 ? 'in-range' : j < 46 ? 'active-before' : 'quiet-before';
    const created = kind === 'in-range' ? SINCE + (j + 1) * 2 * DAY : SINCE - (j - 38) * 7 * DAY;
    const count = 20 + ((j * 137) % 600);
    // Older incidents still active straddle the range start: half their messages fall before it.
    const start = kind === 'active-before' ? SINCE - 2 * DAY : created;
    const span = kind === 'quiet-before' ? SINCE - created - DAY : 4 * DAY;
    const messages = Array.from({ length: count }, (_, k) => ({
      ts: slackTs(start + Math.floor((k * span) / count) + 60_000, k + 1),
      user: userId((j * 31 + k) % USERS),
      text: k === 0 ? `Investigating, tracking in OPS-${j}` : k === count - 1 && j % 2 === 0 ? 'Resolved, see <https://docs.example.com/pm/x|post-mortem>' : `update ${k}`,
    }));
    const members = Array.from({ length: 5 + ((j * 13) % 76) }, (_, k) => userId((j * 17 + k) % USERS));
    result.push({ id: `C0INC${String(j).padStart(5, '0')}`, name: `inc-2026-${j}`, created: Math.floor(created / 1000), messages, members, kind });
  }
  for (let i = 0; i < OTHER_CHANNELS; i++) result.push({ id: `C0TEAM${String(i).padStart(5, '0')}`, name: `team-${i}`, created: 1_700_000_000, messages: [], members: [], kind: 'other' });
  return result;
}

function page<T>(items: T[], form: URLSearchParams): { items: T[]; next: string } {
  const offset = Number(Buffer.from(form.get('cursor') ?? '', 'base64').toString() || '0');
  const limit = Number(form.get('limit') ?? '100');
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
  return { items: items.slice(offset, offset + limit), next };
}

function history(channel: SyntheticChannel, form: URLSearchParams): Message[] {
  const micros = (ts: string) => BigInt(ts.replace('.', ''));
  const oldest = form.has('oldest') ? micros(form.get('oldest')!) : -1n;
  const latest = form.has('latest') ? micros(form.get('latest')!) : BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;
  const inclusive = form.get('inclusive') === 'true';
  const inside = (ts: bigint) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
  return channel.messages.filter((m) => inside(micros(m.ts))).reverse();
}

async function startSyntheticSlack(list: SyntheticChannel[]) {
  const counts = new Map<string, number>();
  const byId = new Map(list.map((c) => [c.id, c]));
  const members = Array.from({ length: USERS }, (_, i) => member(i));
  const answer = (method: string, form: URLSearchParams): unknown => {
    const channel = byId.get(form.get('channel') ?? '');
    if (method === 'auth.test') return { ok: true, url: 'https://bench.slack.com/', team: 'Bench', user: 'evidentia', team_id: 'T0BENCH001', user_id: 'U0EVIDENTI' };
    if (method === 'users.list') {
      const { items, next } = page(members, form);
      return { ok: true, members: items, response_metadata: { next_cursor: next } };
    }
    if (method === 'conversations.list') {
      const { items, next } = page(list, form);
      return { ok: true, channels: items.map(({ id, name, created }) => ({ id, name, created, creator: userId(1), is_archived: false, topic: { value: '' }, purpose: { value: '' } })), response_metadata: { next_cursor: next } };
    }
    if (method === 'conversations.history' && channel) {
      const { items, next } = page(history(channel, form), form);
      return { ok: true, messages: items.map((m) => ({ type: 'message', ...m })), has_more: next !== '', response_metadata: { next_cursor: next } };
    }
    if (method === 'conversations.members' && channel) {
      const { items, next } = page(channel.members, form);
      return { ok: true, members: items, response_metadata: { next_cursor: next } };
    }
    return { ok: false, error: 'unknown_method' };
  };
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };
  const server = createServer((request, response) => {
    void read(request).then((form) => {
      const method = (request.url ?? '').replace(/^\//, '');
      counts.set(method, (counts.get(method) ?? 0) + 1);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(answer(method, form)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Counts what a locker would store, keeps the records for the population check, stores nothing. */
class CountingSink implements StreamSink {
  snapshots = 0;
  readonly records: EvidenceRecord[] = [];
  async putSnapshot(): Promise<string> {
    return createHash('sha256').update(String(++this.snapshots)).digest('hex');
  }
  async putRecord(record: EvidenceRecord): Promise<string> {
    this.records.push(record);
    return '';
  }
}

interface Measured { stream: string; outcome: StreamOutcome; sink: CountingSink; served: Map<string, number>; seconds: number }

async function measure(list: SyntheticChannel[], stream: 'users' | 'incident_channels'): Promise<Measured> {
  const server = await startSyntheticSlack(list);
  const sink = new CountingSink();
  try {
    const config = SlackConfig.parse({ workspace: 'bench', token: new Secret('bench-token', '${env:SLACK_TOKEN}'), slackApiUrl: server.baseUrl });
    const started = performance.now();
    const outcome = await runStream({ connector: slackConnector, instance: 'slack', config, stream, sink, cursor: null, since: new Date(SINCE), until: new Date(UNTIL), collectorVersion: 'bench', now: () => new Date(UNTIL) });
    const seconds = (performance.now() - started) / 1000;
    const served = [...server.counts.values()].reduce((a, b) => a + b, 0);
    if (outcome.status !== 'complete') throw new Error(`${stream} failed: ${outcome.error}`);
    if (served !== outcome.requests) throw new Error(`${stream}: the SDK counts ${outcome.requests} requests, the server ${served}`);
    return { stream, outcome, sink, served: server.counts, seconds };
  } finally {
    await server.close();
  }
}

function checkPopulation(users: Measured, incidents: Measured, list: SyntheticChannel[]): void {
  const deleted = users.sink.records.filter((r) => r.data.status === 'deleted').length;
  if (users.sink.records.length !== USERS || deleted !== Array.from({ length: USERS }, (_, i) => i).filter((i) => i % 200 === 7).length) {
    throw new Error(`users: ${users.sink.records.length} records, ${deleted} deleted, do not match the synthetic workspace`);
  }
  const expected = list.filter((c) => c.kind === 'in-range' || c.kind === 'active-before').map((c) => c.id).sort();
  const keys = incidents.sink.records.map((r) => r.key).sort();
  if (keys.join() !== expected.join()) throw new Error(`incident_channels: ${keys.length} records, expected ${expected.length}`);
  const resolved = incidents.sink.records.filter((r) => r.data.status === 'resolved').length;
  if (resolved !== list.filter((c, j) => c.kind !== 'other' && c.kind !== 'quiet-before' && j % 2 === 0).length) throw new Error('incident_channels: resolved incidents do not match');
}

function row(m: Measured): string {
  const methods = [...m.served].sort().map(([method, n]) => `${method} ${n.toLocaleString('en-US')}`).join(', ');
  const floor = [...m.served].reduce((sum, [method, n]) => sum + n / (TIER_PER_MINUTE[method] ?? 20), 0);
  return `| \`${m.stream}\` | ${m.outcome.requests.toLocaleString('en-US')} | ${methods} | ${m.sink.records.length.toLocaleString('en-US')} | ${m.sink.snapshots.toLocaleString('en-US')} | ${m.seconds.toFixed(2)} s | ${floor.toFixed(1)} min |`;
}

/** The Slack section of BENCHMARKS.md. */
export async function benchSlack(): Promise<BenchSection> {
  const list = channels();
  const users = await measure(list, 'users');
  const incidents = await measure(list, 'incident_channels');
  checkPopulation(users, incidents, list);
  const incidentList = list.filter((c) => c.kind !== 'other');
  const messages = incidentList.reduce((sum, c) => sum + c.messages.length, 0);
  const markdown = [
    `What the Slack connector costs in Web API requests: its real \`@slack/web-api\` WebClient sending through the SDK's evidence fetch (retries, snapshots), run by \`runStream\` against a synthetic Slack on 127.0.0.1 (in \`bench/slack.ts\`), with a sink that only counts. The server's request count must equal the SDK's, and the records must equal the synthetic workspace, or the benchmark throws.`,
    '',
    `**Synthetic workspace:** ${USERS.toLocaleString('en-US')} members (1 in 200 deleted, 1 in 100 guests, 1 in 50 admins, 1 in 500 bots); ${(INCIDENTS + OTHER_CHANNELS).toLocaleString('en-US')} channels, of which ${INCIDENTS} match \`^inc-\`: 40 opened in the 90-day range, 6 opened before it and active in it, 4 opened before it and quiet (left out); ${messages.toLocaleString('en-US')} messages in those channels (20–619 each), 5–80 members each.`,
    '',
    '| stream | requests | by method | records | snapshots | wall time (loopback) | sustained at Slack\'s tier rates |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    row(users),
    row(incidents),
    '',
    `Page sizes: users.list 200 (Slack's recommendation), conversations.list and conversations.members 1,000, conversations.history 200. \`users\` costs 1 + ⌈members / 200⌉ requests. \`incident_channels\` costs 1 + ⌈channels / 1,000⌉ + per incident ⌈messages in range / 200⌉ history pages and one members page, plus the earlier history of channels opened before the range (read so their records describe the whole incident) and one history request per quiet older channel.`,
    '',
    'The last column is a floor for a real workspace: each method\'s requests divided by its documented tier (users.list and conversations.list Tier 2 ≈ 20/min, conversations.history Tier 3 ≈ 50/min, conversations.members Tier 4 ≈ 100/min); Slack answers faster bursts with 429 and Retry-After, which the SDK waits out. Commercially distributed apps outside the Slack Marketplace get conversations.history at 1 request/minute with 15 messages per page, which would make the incident stream far slower; internal apps keep Tier 3.',
    '',
    '**Reproduce:** `node --conditions=source --import tsx -e "import(\'./bench/slack.ts\').then(m => m.benchSlack()).then(s => console.log(s.markdown))"`.',
  ].join('\n');
  return { title: 'Slack connector: requests for 10,000 members and 50 incident channels', markdown };
}
