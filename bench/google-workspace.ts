/**
 * Google Workspace benchmark: what the connector costs in Admin SDK requests
 * and time for a directory of 10,000 accounts (and 1,000 for scale): the
 * users inventory, the admin role holders and a month of lifecycle events,
 * each stream run through the SDK's runStream (real evidence fetch, real
 * Google client, snapshots hashed) into a small counting sink, against a
 * synthetic Admin SDK served by node:http on 127.0.0.1. Figures are only
 * reported when the records equal the synthetic population; otherwise it throws.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashCanonical, hashRecord, type EvidenceRecord } from '@evidentia/evidence';
import { runStream, Secret, type Provenance, type StreamOutcome, type StreamSink } from '@evidentia/sdk';
import { GoogleWorkspaceConfig, googleWorkspaceConnector } from '../connectors/google-workspace/src/index.js';
import type { BenchSection } from './section.js';
import { seededRandom as random } from '@evidentia/testing';

const UNTIL = new Date('2026-07-01T00:00:00Z');
const MONTH_START = new Date('2026-06-01T00:00:00Z');
const SIZES = [1_000, 10_000];
const STREAMS = ['users', 'admin_roles', 'user_lifecycle'] as const;
/** Admin audit events in the month, per 10,000 accounts. */
const MONTHLY_EVENTS: Record<string, number> = { CREATE_USER: 420, SUSPEND_USER: 310, DELETE_USER: 180, UNSUSPEND_USER: 25, GRANT_ADMIN_PRIVILEGE: 3, REVOKE_ADMIN_PRIVILEGE: 2, ASSIGN_ROLE: 45, UNASSIGN_ROLE: 38 };

type Json = Record<string, unknown>;

interface Directory {
  listed: Json[];
  deleted: Json[];
  roles: Json[];
  assignments: Json[];
  holders: number;
  events: Array<{ name: string; time: string; activity: Json }>;
}


const iso = (ms: number) => new Date(ms).toISOString();

function userJson(i: number, rand: () => number, flags: { isAdmin: boolean; isDelegatedAdmin: boolean; deleted: boolean }): Json {
  const local = `user${String(i).padStart(5, '0')}`;
  const created = Date.parse('2019-01-01T00:00:00Z') + Math.floor(rand() * 7.4 * 365 * 86_400_000);
  const suspended = flags.deleted || rand() < 0.02;
  return {
    kind: 'admin#directory#user',
    id: String(110_000_000_000_000_000_000n + BigInt(i)),
    etag: `"synthetic/${i}"`,
    primaryEmail: `${local}@example.com`,
    name: { givenName: 'Synthetic', familyName: `User ${i}`, fullName: `Synthetic User ${i}` },
    isAdmin: flags.isAdmin,
    isDelegatedAdmin: flags.isDelegatedAdmin,
    lastLoginTime: rand() < 0.03 ? '1970-01-01T00:00:00.000Z' : iso(UNTIL.getTime() - Math.floor(rand() * 30 * 86_400_000)),
    creationTime: iso(created),
    agreedToTerms: true,
    suspended,
    ...(suspended ? { suspensionReason: 'ADMIN' } : {}),
    archived: !suspended && rand() < 0.005,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: `${local}@example.com`, primary: true }],
    nonEditableAliases: [`${local}@example.com.test-google-a.com`],
    customerId: 'C0synth01',
    orgUnitPath: `/Department ${i % 12}`,
    isMailboxSetup: true,
    isEnrolledIn2Sv: flags.isAdmin || rand() < 0.9,
    isEnforcedIn2Sv: flags.isAdmin || rand() < 0.6,
    includeInGlobalAddressList: true,
    ...(flags.deleted ? { deletionTime: iso(UNTIL.getTime() - Math.floor(rand() * 19 * 86_400_000)) } : {}),
  };
}

/** The synthetic directory of `size` accounts: 0.6 % recently deleted, 1 in 1,250 super admins, 1 in 80 delegated admins. */
function buildDirectory(size: number): Directory {
  const rand = random(size);
  const deletedCount = Math.round(size * 0.006);
  const superAdmins = Math.max(2, Math.round(size / 1250));
  const delegated = Math.round(size / 80);
  const listed: Json[] = [];
  const deleted: Json[] = [];
  for (let i = 0; i < size; i++) {
    const isDeleted = i >= size - deletedCount;
    const user = userJson(i, rand, { isAdmin: !isDeleted && i < superAdmins, isDelegatedAdmin: !isDeleted && i >= superAdmins && i < superAdmins + delegated, deleted: isDeleted });
    (isDeleted ? deleted : listed).push(user);
  }
  const roles = Array.from({ length: 40 }, (_, r) => ({ kind: 'admin#directory#role', roleId: String(91_000 + r), roleName: r === 0 ? '_SEED_ADMIN_ROLE' : r < 30 ? `_SYSTEM_ROLE_${r}` : `Custom role ${r}`, isSystemRole: r < 30, ...(r === 0 ? { isSuperAdminRole: true } : {}) }));
  const assignments: Json[] = [];
  const assign = (roleId: string, assignedTo: string, extra: Json = {}) =>
    assignments.push({ kind: 'admin#directory#roleAssignment', roleAssignmentId: String(95_000 + assignments.length), roleId, assignedTo, assigneeType: 'user', scopeType: 'CUSTOMER', ...extra });
  for (const user of listed.filter((u) => u.isAdmin)) assign('91000', user.id as string);
  for (const user of listed.filter((u) => u.isDelegatedAdmin)) {
    const count = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) assign(String(91_001 + ((Number(user.id as string) % 39) + k * 7) % 39), user.id as string, rand() < 0.3 ? { scopeType: 'ORG_UNIT', orgUnitId: `03ou${k}` } : {});
  }
  for (let g = 0; g < 5; g++) assign(String(91_030 + g), `04group${g}`, { assigneeType: 'group' });
  const holders = superAdmins + delegated + 5;

  const events: Directory['events'] = [];
  const span = UNTIL.getTime() - MONTH_START.getTime();
  for (const [name, per10k] of Object.entries(MONTHLY_EVENTS)) {
    for (let e = 0; e < Math.round((per10k * size) / 10_000); e++) {
      const time = iso(MONTH_START.getTime() + Math.floor(rand() * span));
      const params = [{ name: 'USER_EMAIL', value: `user${String(Math.floor(rand() * size)).padStart(5, '0')}@example.com` }, ...(name.includes('ROLE') ? [{ name: 'ROLE_NAME', value: '_SYSTEM_ROLE_3' }] : [])];
      const activity = {
        kind: 'admin#reports#activity',
        id: { time, uniqueQualifier: String(-(10n ** 17n) - BigInt(events.length)), applicationName: 'admin', customerId: 'C0synth01' },
        actor: { callerType: 'USER', email: 'user00000@example.com', profileId: '110000000000000000000' },
        ipAddress: '203.0.113.24',
        events: [{ type: name.includes('ROLE') ? 'DELEGATED_ADMIN_SETTINGS' : 'USER_SETTINGS', name, parameters: params }],
      };
      events.push({ name, time, activity });
    }
  }
  events.sort((a, b) => b.time.localeCompare(a.time));
  return { listed, deleted, roles, assignments, holders, events };
}

const HOLDER_KEYS = ['id', 'primaryEmail', 'isEnrolledIn2Sv', 'suspended', 'archived', 'creationTime', 'lastLoginTime'];

/** One page of a list by offset (the page token is the offset), Google-style: no items key when empty. */
function page(items: Json[], key: string, query: URLSearchParams): Json {
  const offset = Number(query.get('pageToken') ?? '0');
  const max = Number(query.get('maxResults') ?? '100');
  const slice = items.slice(offset, offset + max);
  return { ...(slice.length > 0 ? { [key]: slice } : {}), ...(offset + max < items.length ? { nextPageToken: String(offset + max) } : {}) };
}

interface Served {
  requests: number;
  bytes: number;
}

/** The synthetic Admin SDK: Directory users/roles/role assignments and Reports activities. */
async function startSyntheticAdminSdk(directory: Directory) {
  const served: Served = { requests: 0, bytes: 0 };
  const unexpected: string[] = [];
  const answer = (request: IncomingMessage): Json | null => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    if (url.pathname === '/admin/directory/v1/users') {
      if (q.get('fields')) return page(directory.listed.map((u) => ({ ...Object.fromEntries(HOLDER_KEYS.map((k) => [k, u[k]])), name: { fullName: (u.name as Json).fullName } })), 'users', q);
      return page(q.get('showDeleted') === 'true' ? directory.deleted : directory.listed, 'users', q);
    }
    if (url.pathname === '/admin/directory/v1/customer/my_customer/roles') return page(directory.roles, 'items', q);
    if (url.pathname === '/admin/directory/v1/customer/my_customer/roleassignments') return page(directory.assignments, 'items', q);
    if (url.pathname === '/admin/reports/v1/activity/users/all/applications/admin') {
      const since = q.get('startTime') ?? '', until = q.get('endTime') ?? '\uffff';
      return page(directory.events.filter((e) => e.name === q.get('eventName') && e.time >= since && e.time <= until).map((e) => e.activity), 'items', q);
    }
    return null;
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    served.requests++;
    const body = answer(request);
    if (body === null) unexpected.push(`${request.method} ${request.url}`);
    const text = JSON.stringify(body ?? { error: { code: 404, message: 'not found' } });
    served.bytes += Buffer.byteLength(text);
    response.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, unexpected, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A sink that hashes snapshots (as the locker would) and counts records, keeping nothing but what the checks need. */
class CountingSink implements StreamSink {
  snapshots = 0;
  readonly records: EvidenceRecord[] = [];
  async putSnapshot(_provenance: Provenance, body: unknown): Promise<string> {
    this.snapshots++;
    return hashCanonical(body).hash;
  }
  async putRecord(record: EvidenceRecord): Promise<string> {
    this.records.push(record);
    return hashRecord(record);
  }
}

interface StreamFigures {
  outcome: StreamOutcome;
  served: Served;
  seconds: number;
  sink: CountingSink;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`google-workspace benchmark: ${message}`);
}

async function runScenario(size: number): Promise<{ size: number; directory: Directory; streams: Record<string, StreamFigures> }> {
  const directory = buildDirectory(size);
  const server = await startSyntheticAdminSdk(directory);
  const config = GoogleWorkspaceConfig.parse({ domain: 'example.com', accessToken: new Secret('bench-token', '${env:GWS_TOKEN}'), tokenOwner: 'user00000@example.com', rootUrl: server.baseUrl });
  const streams: Record<string, StreamFigures> = {};
  try {
    for (const stream of STREAMS) {
      const before = { ...server.served };
      const sink = new CountingSink();
      const started = performance.now();
      const outcome = await runStream({ connector: googleWorkspaceConnector, instance: 'google-workspace', config, stream, sink, cursor: null, since: MONTH_START, until: UNTIL, now: () => UNTIL, collectorVersion: 'bench' });
      const seconds = (performance.now() - started) / 1000;
      const served = { requests: server.served.requests - before.requests, bytes: server.served.bytes - before.bytes };
      check(outcome.status === 'complete', `${stream} at ${size} accounts ended ${outcome.status}: ${outcome.error}`);
      check(served.requests === outcome.requests, `${stream}: the SDK counted ${outcome.requests} requests, the server ${served.requests}`);
      streams[stream] = { outcome, served, seconds, sink };
    }
  } finally {
    await server.close();
  }
  check(server.unexpected.length === 0, `unexpected requests: ${server.unexpected.slice(0, 3).join('; ')}`);
  assertPopulation(size, directory, streams);
  return { size, directory, streams };
}

/** The records must be exactly the synthetic population, with the facts that make them evidence. */
function assertPopulation(size: number, directory: Directory, streams: Record<string, StreamFigures>): void {
  const users = streams.users!.sink.records;
  check(new Set(users.map((r) => r.key)).size === size && users.length === size, `users: ${users.length} records for ${size} accounts`);
  const count = (records: EvidenceRecord[], test: (data: Json) => boolean) => records.filter((r) => test(r.data)).length;
  check(count(users, (d) => d.status === 'deleted') === directory.deleted.length, 'users: deleted accounts do not match');
  check(count(users, (d) => d.status === 'suspended') === directory.listed.filter((u) => u.suspended || u.archived).length, 'users: suspended accounts do not match');
  check(count(users, (d) => d.mfa === 'disabled') === [...directory.listed, ...directory.deleted].filter((u) => !u.isEnrolledIn2Sv).length, 'users: accounts without 2SV do not match');
  check(streams.admin_roles!.sink.records.length === directory.holders, `admin_roles: ${streams.admin_roles!.sink.records.length} holders, expected ${directory.holders}`);
  const lifecycle = streams.user_lifecycle!.sink.records;
  check(lifecycle.length === directory.events.length, `user_lifecycle: ${lifecycle.length} records for ${directory.events.length} events`);
  check(lifecycle.filter((r) => r.kind === 'personnel.event').length === directory.events.filter((e) => ['CREATE_USER', 'SUSPEND_USER', 'DELETE_USER'].includes(e.name)).length, 'user_lifecycle: joiners and leavers do not match');
}

const int = (value: number) => value.toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

function render(scenarios: Array<Awaited<ReturnType<typeof runScenario>>>): string {
  const out = [
    'What the Google Workspace connector costs in Admin SDK requests and time: each stream run through the SDK\'s `runStream` (the real evidence fetch with its retry layer and snapshot hashing, the official `@googleapis/admin` client on top of it, record validation) into a counting sink, against a synthetic Admin SDK on 127.0.0.1 (`node:http`, generated responses, counted at the server; the counts must equal the SDK\'s own). `user_lifecycle` collects one month (2026-06-01..2026-07-01).',
    '',
    '**Synthetic directory** (example.com, generated deterministically): 0.6 % of the accounts recently deleted (still in the `showDeleted` listing), 2 % suspended, 0.5 % archived, 10 % without 2-step verification; 1 in 1,250 a super admin, 1 in 80 a delegated admin holding 1–3 of 40 roles (30 % limited to an org unit), plus 5 groups holding a custom role. Admin audit events per month and 10,000 accounts: ' +
      Object.entries(MONTHLY_EVENTS).map(([name, n]) => `${name} ${n}`).join(', ') + '.',
    '',
  ];
  for (const s of scenarios) {
    out.push(`### ${int(s.size)} accounts`, '', '| stream | requests | records | snapshots | served | wall time |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const name of STREAMS) {
      const f = s.streams[name]!;
      out.push(`| ${name} | ${int(f.outcome.requests)} | ${int(f.outcome.records)} | ${int(f.outcome.snapshots)} | ${mib(f.served.bytes)} MiB | ${f.seconds.toFixed(2)} s |`);
    }
    const all = Object.values(s.streams);
    out.push(`| **all three** | ${int(all.reduce((a, f) => a + f.outcome.requests, 0))} | ${int(all.reduce((a, f) => a + f.outcome.records, 0))} | ${int(all.reduce((a, f) => a + f.outcome.snapshots, 0))} | ${mib(all.reduce((a, f) => a + f.served.bytes, 0))} MiB | ${all.reduce((a, f) => a + f.seconds, 0).toFixed(2)} s |`, '');
  }
  const big = scenarios.at(-1)!;
  out.push(
    '**Where the requests go.** `users`: one page per 500 accounts (`maxResults=500`, the API maximum) plus one listing of the deleted accounts — ' +
      `${int(big.streams.users!.outcome.requests)} requests for ${int(big.size)} accounts. \`admin_roles\`: the role list (100 per page), the role assignments (200 per page) and one field-masked user listing (500 per page) to name the holders, whatever their number. \`user_lifecycle\`: one listing per event name the connector asks for (${big.streams.user_lifecycle!.outcome.requests}: the ${Object.keys(MONTHLY_EVENTS).length} above and UNDELETE_USER, of which this directory has none), each 1,000 events per page, so a month costs ${big.streams.user_lifecycle!.outcome.requests} requests until one event name passes 1,000 events.`,
    '',
    'Wall time is for a loopback server in the same process: it measures the collector (the Google client, JSON parsing, canonical hashing of every page, record validation), not Google. Against admin.googleapis.com the requests are sequential, so expect roughly the request count times the API latency on top.',
    '',
    '**Reproduce:** `node --conditions=source --import tsx -e "import(\'./bench/google-workspace.ts\').then(m => m.benchGoogleWorkspace()).then(s => console.log(s.markdown))"`.',
  );
  return out.join('\n');
}

/** The Google Workspace section of BENCHMARKS.md. */
export async function benchGoogleWorkspace(): Promise<BenchSection> {
  const scenarios = [];
  for (const size of SIZES) scenarios.push(await runScenario(size));
  return { title: 'Google Workspace connector: requests for a 10,000-account directory', markdown: render(scenarios) };
}
