/**
 * The portal app without a browser (on 127.0.0.1, a synthetic locker; fastify's
 * inject cannot load the ESM-only cookie package under jest):
 * Secure cookies when not on loopback, sessions that end, pages refused to an
 * auditor outside their periods, and the period and --listen rules.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { accountRecord, createSyntheticLocker, incidentRecord, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';
import type { Locker, PortalLogInput } from '@evidentia/locker';
import { CSP } from './app.js';
import { AuditLog } from './audit-log.js';
import { Judgements } from './judgements.js';
import { EVIDENCE_ROWS } from './pages/evidence.js';
import { hashPassword } from './passwords.js';
import { PeriodAccess } from './periods.js';
import { PortalSettings } from './settings.js';
import type { PoolOptions } from './worker-pool.js';
import { listenAddress } from './start.js';
import { cookiesOf, startTestPortal, type TestPortal, UNTIL_DONE, valueOf } from './test-portal.test-support.js';

const REQUESTS = [
  { id: 'risk-assessment', title: 'Risk <i>assessment</i>', criteria: ['CC3.1'], owner: 'ciso', frequency: 'once' as const, due: '2026-02-15', dueDays: 0, graceDays: 0, starter: false },
  { id: 'board-minutes', title: 'Board minutes', criteria: ['CC1.2'], owner: 'ceo', frequency: 'monthly' as const, dueDays: 0, graceDays: 0, starter: false },
];
const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'Europe/Berlin', requests: REQUESTS };
const NOW = new Date('2026-06-15T10:00:00Z');
let synthetic: SyntheticLocker;
let settings: PortalSettings;
/** Servers still open: closed after each test, so a failed expectation cannot leave one listening. */
const open: TestPortal[] = [];

interface AppOptions {
  sessionHours?: number;
  /** Another locker than the shared one (a test that spoils it). */
  locker?: Locker;
  auditLog?: AuditLog;
  log?: (line: string) => void;
  /** The worker pool's test hooks (a judgement held back, a worker that dies). */
  slow?: PoolOptions;
  /** How long a page waits for its judgement before answering the judging page (default: until it is made, so a loaded machine never shows a test that page; its own tests give a short wait). */
  judgingWaitMs?: number;
  trustProxy?: PortalSettings['trustProxy'];
}

async function app(secureCookies: boolean, { sessionHours = 8, locker = synthetic.locker, auditLog, log = () => {}, slow, judgingWaitMs = UNTIL_DONE, trustProxy = false }: AppOptions = {}): Promise<TestPortal> {
  const periods = new PeriodAccess(config, settings, () => NOW);
  const judgements = await Judgements.create(locker, config, () => NOW, slow ?? {});
  const started = await startTestPortal({ settings: { ...settings, sessionHours, trustProxy }, periods, judgements, secureCookies, log, ...(auditLog ? { auditLog } : {}), judgingWaitMs });
  const portal: TestPortal = {
    ...started,
    close: async () => {
      open.splice(open.indexOf(portal), 1);
      await started.close();
    },
  };
  open.push(portal);
  return portal;
}

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  // More accounts than one evidence page lists (EVIDENCE_ROWS), in a system of their own.
  const many = Array.from({ length: 2 * EVIDENCE_ROWS + 1 }, (_, index) => accountRecord('okta:acme', `o${String(index).padStart(4, '0')}`));
  await synthetic.run('2026-02-05T02:00:00Z', [
    { stream: 'github/members', type: 'state', records: [accountRecord('github:acme', '<b>mallory</b>', { mfa: 'disabled' })] },
    { stream: 'okta/users', type: 'state', records: many },
  ]);
  await synthetic.locker.addDocuments([{ request: 'risk-assessment', fileName: '<script>x</script>.pdf', bytes: Buffer.from('risk'), addedBy: 'ciso', effective: '2026-02-10', subject: null, note: null, supersedes: null }]);
  const passwordHash = await hashPassword('pw');
  settings = PortalSettings.parse({ users: [{ name: 'ann', role: 'auditor', passwordHash }, { name: 'tom', role: 'team', passwordHash }], auditPeriods: ['2026-01-01..2026-03-31'] });
}, 60_000);

afterEach(async () => {
  for (const portal of [...open]) await portal.close();
});

afterAll(async () => {
  await synthetic?.cleanup();
});

describe('portal app', () => {
  it('answers health, runs and coverage while a judgement is being made, and a judging page that reloads itself', async () => {
    // The judgement blocks the worker's thread until the gate opens: the server's own thread must not wait on it.
    const gate = new SharedArrayBuffer(4);
    // The gate stays shut until the test opens it, so a short wait always ends in the judging page.
    const portal = await app(true, { slow: { judgeGate: gate }, judgingWaitMs: 100 });
    const session = await portal.signIn('tom');
    const judging = await portal.get('/readiness?period=2026-02-01..2026-02-28', session);
    expect(judging.status).toBe(200);
    const body = await judging.text();
    expect(body).toMatch(/Judging the period 2026-02-01\.\.2026-02-28 \(started 0 s ago\)/);
    expect(body).toContain('<meta http-equiv="refresh" content="5">');
    expect(judging.headers.get('content-security-policy')).toBe(CSP);
    expect(await (await portal.get('/exceptions?period=2026-02-01..2026-02-28', session)).text()).toContain('Judging the period');
    // The evidence page needs no judgement, but its kinds wait for the one worker thread, held by the judgement: it says so.
    const listing = await (await portal.get('/evidence?period=2026-02-01..2026-02-28', session)).text();
    expect(listing).toMatch(/Listing the evidence of the period 2026-02-01\.\.2026-02-28 \(started 0 s ago\)/);
    expect(listing).toContain('<meta http-equiv="refresh" content="5">');
    expect((await portal.get('/health')).status).toBe(200);
    expect((await portal.get('/runs', session)).status).toBe(200);
    expect((await portal.get('/coverage', session)).status).toBe(200);
    // A download waits for the one worker thread, held by the judgement: it is answered once the gate opens.
    const download = portal.get('/evidence/population.csv?kind=access.account&period=2026-02-01..2026-02-28', session);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    const csv = await download;
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('mallory');
    const ready = await (await portal.get('/readiness?period=2026-02-01..2026-02-28', session)).text();
    expect(ready).not.toContain('Judging the period');
    expect(ready).not.toContain('http-equiv="refresh"');
    expect(await (await portal.get('/evidence?period=2026-02-01..2026-02-28', session)).text()).toContain('&lt;b&gt;mallory&lt;/b&gt;');
    await portal.close();
  }, 60_000);

  it('answers 503 when the locker worker dies, and still answers health', async () => {
    const dies = new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(7));")}`);
    // The page waits for the judgement until it is made or fails: the 503 follows the worker's exit however long the
    // worker takes to start and die under load, where a short wait answered the judging page (200) instead.
    const portal = await app(true, { slow: { script: dies }, judgingWaitMs: UNTIL_DONE });
    const session = await portal.signIn('tom');
    const page = await portal.get('/exceptions?period=2026-02-01..2026-02-28', session);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('The locker worker building this page stopped');
    expect((await portal.get('/health')).status).toBe(200);
    expect((await portal.get('/evidence/population.csv?kind=access.account&period=2026-02-01..2026-02-28', session)).status).toBe(503);
    await portal.close();
  }, 60_000);

  it('offers the kinds with items in the period from the locker, not from a judgement (none can be made)', async () => {
    const kinds = await createSyntheticLocker();
    const gate = new SharedArrayBuffer(4);
    try {
      await kinds.run('2026-02-05T02:00:00Z', [
        { stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'eve')] },
        { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#1')] },
        { stream: 'pagerduty/incidents', type: 'event', records: [incidentRecord('pagerduty:acme', 'INC-1', { openedAt: '2026-03-02T08:00:00Z' })] },
      ]);
      // The gate stays shut, so no judgement can be made: the pages wait for what they need (never a judging page).
      const portal = await app(true, { locker: kinds.locker, slow: { judgeGate: gate }, judgingWaitMs: UNTIL_DONE });
      const session = await portal.signIn('tom');
      const offered = async (query: string) => {
        const page = await portal.get(`/evidence?${query}`, session);
        const body = await page.text();
        expect(page.status).toBe(200);
        return { body, kinds: [.../value="([^"]+)"/g[Symbol.matchAll](/<select name="kind">([^]*?)<\/select>/.exec(body)![1]!)].map((match) => match[1]) };
      };
      const february = await offered('period=2026-02-01..2026-02-28');
      expect(february.kinds).toEqual(['access.account', 'change.request']);
      expect(february.body).toContain('<td>user:eve</td>');
      // March: the February inventory is still in effect; the incident happened in March, the change in February.
      expect((await offered('period=2026-03-01..2026-03-31')).kinds).toEqual(['access.account', 'incident.record']);
      const refused = await portal.get('/evidence?period=2026-02-01..2026-02-28&kind=incident.record', session);
      expect([refused.status, await refused.text()]).toEqual([400, expect.stringContaining('kind incident.record: no item of it in the period (kinds: access.account, change.request)')]);
      await portal.close();
    } finally {
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      await kinds.cleanup();
    }
  }, 60_000);

  it('sets Secure on its cookies unless told it listens on loopback, and the CSP on every answer', async () => {
    for (const secure of [true, false]) {
      const portal = await app(secure);
      const form = await portal.get('/sign-in');
      expect(form.headers.get('content-security-policy')).toBe(CSP);
      const cookie = cookiesOf(form).get('evidentia_csrf')!;
      await portal.close();
      expect(cookie).toMatch(/; HttpOnly;/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie.includes('; Secure')).toBe(secure);
    }
  });

  it('sets Secure on its cookies on loopback too when the trusted proxy in front says the browser came over https', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    for (const trustProxy of [true, false]) {
      const portal = await app(false, { trustProxy });
      const form = await portal.get('/sign-in', undefined, { headers: https });
      const csrf = cookiesOf(form).get('evidentia_csrf')!;
      const token = valueOf(csrf);
      const signedIn = await portal.get('/sign-in', undefined, { method: 'POST', headers: { ...https, 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${token}` }, body: new URLSearchParams({ csrf: token, name: 'tom', password: 'pw' }).toString() });
      expect(signedIn.status).toBe(303);
      const session = cookiesOf(signedIn).get('evidentia_session')!;
      await portal.close();
      // Only a proxy portal.trustProxy names is believed; a client's own header does not make the answer https.
      expect([csrf.includes('; Secure'), session.includes('; Secure')]).toEqual([trustProxy, trustProxy]);
      // An answer over https also tells the browser to come back over https only (HSTS), so a later http:// link cannot strip it.
      expect(form.headers.get('strict-transport-security')).toBe(trustProxy ? 'max-age=31536000' : null);
    }
  }, 60_000);

  it('limits sign-ins per address whatever the case or spaces of the name, and whatever X-Forwarded-For an untrusted peer sends', async () => {
    const attempt = async (portal: TestPortal, name: string, password: string, forwardedFor: string) => {
      const form = await portal.get('/sign-in');
      const token = valueOf(cookiesOf(form).get('evidentia_csrf')!);
      const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${token}`, 'x-forwarded-for': forwardedFor };
      return (await portal.get('/sign-in', undefined, { method: 'POST', headers, body: new URLSearchParams({ csrf: token, name, password }).toString() })).status;
    };
    const variants = ['tom', 'TOM', ' tom', 'Tom ', 'tom\t'];
    // Not trusted: no proxy configured, or one that is not the peer; trusted, the one proxy's own entry (the last) is the address.
    for (const trustProxy of [false, ['10.0.0.1'], true] as const) {
      const portal = await app(true, { trustProxy: trustProxy === true ? true : trustProxy === false ? false : [...trustProxy] });
      const statuses = [];
      for (const [index, name] of variants.entries()) statuses.push(await attempt(portal, name, 'wrong', `203.0.113.${index}, 198.51.100.7`));
      statuses.push(await attempt(portal, 'tom', 'pw', '203.0.113.99, 198.51.100.7'));
      await portal.close();
      expect([trustProxy, statuses]).toEqual([trustProxy, [401, 401, 401, 401, 401, 429]]);
    }
  }, 120_000);

  it('shows an auditor their period with its evidence escaped and refuses another one', async () => {
    const portal = await app(true);
    const session = await portal.signIn('ann');
    const evidence = await portal.get('/evidence?kind=access.account', session);
    expect(evidence.status).toBe(200);
    const body = await evidence.text();
    expect(body).toContain('&lt;b&gt;mallory&lt;/b&gt;');
    expect(body).not.toContain('<b>mallory');
    expect(body).toContain('<option value="2026-01-01..2026-03-31" selected>');
    expect((await portal.get('/evidence?period=2026-04-01..2026-04-30', session)).status).toBe(403);
    const team = await portal.signIn('tom');
    expect((await portal.get('/runs?period=2026-04-01..2026-04-30', team)).status).toBe(200);
    expect((await portal.get('/runs?period=last-year', team)).status).toBe(400);
    await portal.close();
  }, 60_000);

  it('lists the evidence a page at a time, with links to the previous and next page', async () => {
    const portal = await app(true);
    const session = await portal.signIn('ann');
    const page = async (query: string) => {
      const response = await portal.get(`/evidence?kind=access.account&system=okta%3Aacme${query}`, session);
      expect(response.status).toBe(200);
      const body = await response.text();
      const keys = [...body.matchAll(/<tr><td>okta:acme<\/td><td>([^<]+)<\/td>/g)].map((match) => match[1]);
      const link = (rel: string) => /<a rel="(?:prev|next)" href="([^"]+)">/.exec(body.slice(body.indexOf(`rel="${rel}"`) - 3))?.[1]?.replaceAll('&amp;', '&') ?? null;
      return { body, keys, previous: body.includes('rel="prev"') ? link('prev') : null, next: body.includes('rel="next"') ? link('next') : null };
    };
    const key = (index: number) => `user:o${String(index).padStart(4, '0')}`;
    const first = await page('');
    expect(first.keys).toEqual(Array.from({ length: EVIDENCE_ROWS }, (_, index) => key(index)));
    expect(first.body).toContain(`Rows 1–${EVIDENCE_ROWS} of ${2 * EVIDENCE_ROWS + 1} (page 1 of 3)`);
    expect(first.previous).toBeNull();
    expect(first.next).toBe('/evidence?kind=access.account&system=okta%3Aacme&period=2026-01-01..2026-03-31&page=2');
    const second = await page('&page=2');
    expect(second.keys).toEqual(Array.from({ length: EVIDENCE_ROWS }, (_, index) => key(EVIDENCE_ROWS + index)));
    expect(second.body).toContain(`Rows ${EVIDENCE_ROWS + 1}–${2 * EVIDENCE_ROWS} of ${2 * EVIDENCE_ROWS + 1} (page 2 of 3)`);
    expect(second.body).toContain('<option value="okta:acme" selected>');
    expect([second.previous, second.next]).toEqual([first.next!.replace('page=2', 'page=1'), first.next!.replace('page=2', 'page=3')]);
    const last = await page('&page=3');
    expect([last.keys, last.next]).toEqual([[key(2 * EVIDENCE_ROWS)], null]);
    const past = await page('&page=9');
    expect(past.keys).toEqual([]);
    expect(past.body).toContain('Page 9 is past the last page (3)');
    expect(past.previous).toBe(first.next!.replace('page=2', 'page=3'));
    // Every system: the one github account comes first, so the pages shift by one.
    const every = await portal.get('/evidence?kind=access.account&page=2', session);
    expect(await every.text()).toContain(`Rows ${EVIDENCE_ROWS + 1}–${2 * EVIDENCE_ROWS} of ${2 * EVIDENCE_ROWS + 2} (page 2 of 3)`);
    for (const bad of ['0', 'x', '-1', '1.5']) {
      const refused = await portal.get(`/evidence?kind=access.account&page=${bad}`, session);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(`page ${bad}: expected a page number`);
    }
    await portal.close();
  }, 60_000);

  it('shows the requests of the period with their status and the documents with their hashes, escaped', async () => {
    const portal = await app(true);
    const session = await portal.signIn('ann');
    const page = await portal.get('/requests', session);
    expect(page.status).toBe(200);
    const body = await page.text();
    const rows = [...body.matchAll(/<tr class="status-([a-z-]+)"><td>([^<]+)<\/td><td>[^]*?<\/td><td>([^<]+)<\/td>/g)].map((match) => `${match[2]} ${match[3]} ${match[1]}`);
    // Documents before 2026-02-15 fulfil the once request; monthly minutes without a document are overdue once their month ended.
    expect(rows).toEqual(['risk-assessment 2026-01-01..2026-03-31 fulfilled', 'board-minutes 2026-01-01..2026-01-31 overdue', 'board-minutes 2026-02-01..2026-02-28 overdue', 'board-minutes 2026-03-01..2026-03-31 overdue']);
    expect(body).toContain('Risk &lt;i&gt;assessment&lt;/i&gt;');
    expect(body).toContain('&lt;script&gt;x&lt;/script&gt;.pdf');
    expect(body).not.toContain('<script>');
    expect(body).toContain(`<code>${createHash('sha256').update('risk').digest('hex')}</code>`);
    expect(body).toContain('No access review in the locker.');
    expect((await portal.get('/requests?period=2026-04-01..2026-04-30', session)).status).toBe(403);
    await portal.close();
  }, 60_000);

  it('shows an auditor no document that takes effect after their period, and the team every document', async () => {
    const later = await createSyntheticLocker();
    try {
      await later.locker.addDocuments([
        { request: 'risk-assessment', fileName: 'risk-2025.pdf', bytes: Buffer.from('old'), addedBy: 'ciso', effective: '2025-11-01', subject: null, note: null, supersedes: null },
        { request: 'risk-assessment', fileName: 'risk-2026-q1.pdf', bytes: Buffer.from('q1'), addedBy: 'ciso', effective: '2026-03-31', subject: null, note: null, supersedes: null },
        { request: 'risk-assessment', fileName: 'risk-2027.pdf', bytes: Buffer.from('next'), addedBy: 'ciso', effective: '2027-01-10', subject: null, note: null, supersedes: null },
      ]);
      const portal = await app(true, { locker: later.locker });
      const auditor = await (await portal.get('/requests', await portal.signIn('ann'))).text();
      // In force during 2026-01-01..2026-03-31: shown. Effective only after it: another period's evidence, not shown.
      expect(auditor).toContain('risk-2025.pdf');
      expect(auditor).toContain('risk-2026-q1.pdf');
      expect(auditor).not.toContain('risk-2027.pdf');
      expect(await (await portal.get('/requests?period=2026-01-01..2026-03-31', await portal.signIn('tom'))).text()).toContain('risk-2027.pdf');
      await portal.close();
    } finally {
      await later.cleanup();
    }
  }, 60_000);

  it('offers and exports on the populations page a kind whose records serve no criterion, as export population --kind does', async () => {
    const bare = await createSyntheticLocker();
    try {
      await bare.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [{ ...accountRecord('github:acme', 'nocriterion'), controls: [] }] }]);
      const portal = await app(true, { locker: bare.locker });
      const session = await portal.signIn('ann');
      const page = await portal.get('/populations?kind=access.account', session);
      expect(page.status).toBe(200);
      const body = await page.text();
      expect(body).toContain('<option value="access.account" selected>');
      expect(body).toMatch(/<p id="population-count">Period 2026-01-01\.\.2026-03-31, kind access\.account: 1 access\.account item\./);
      const csv = await portal.get('/populations/population.csv?kind=access.account', session);
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain('nocriterion');
      await portal.close();
    } finally {
      await bare.cleanup();
    }
  }, 60_000);

  it('shows an auditor the coverage calendar of their period, requests included and escaped, and refuses another period', async () => {
    const portal = await app(true);
    const session = await portal.signIn('ann');
    const page = await portal.get('/coverage', session);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('<section class="request" data-request="board-minutes">');
    // January's minutes were due at its end and never came: every January day of that request is overdue.
    const january = [...body.matchAll(/data-request="board-minutes">[^]*?<\/section>/g)][0]![0].match(/<td class="day request-overdue" data-day="2026-01-\d\d"/g);
    expect(january).toHaveLength(31);
    expect(body).toContain('Risk &lt;i&gt;assessment&lt;/i&gt;');
    expect(body).not.toContain('<i>assessment');
    expect((await portal.get('/coverage?period=2026-04-01..2026-04-30', session)).status).toBe(403);
    await portal.close();
  }, 60_000);

  it('ends the session a browser held when it signs in again, and logs who signed in (or failed to), not who held it', async () => {
    const events: PortalLogInput[] = [];
    const auditLog = new AuditLog(async (batch) => events.push(...batch), () => {}, 1);
    const portal = await app(true, { auditLog });
    const signInHolding = async (session: string, name: string, password: string) => {
      const token = valueOf(cookiesOf(await portal.get('/sign-in')).get('evidentia_csrf')!);
      return portal.get('/sign-in', undefined, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${token}; evidentia_session=${session}` }, body: new URLSearchParams({ csrf: token, name, password }).toString() });
    };
    const before = await portal.signIn('tom');
    const again = await signInHolding(before, 'ann', 'pw');
    expect(again.status).toBe(303);
    const after = valueOf(cookiesOf(again).get('evidentia_session')!);
    expect(after).not.toBe(before);
    expect((await portal.get('/runs', before)).status).toBe(303);
    expect((await portal.get('/runs', after)).status).toBe(200);
    expect((await signInHolding(after, 'tom', 'wrong')).status).toBe(401);
    await portal.close();
    expect(events.filter((event) => event.target === '/sign-in').map(({ action, user, role }) => [action, user, role])).toEqual([
      ['sign-in', 'tom', 'team'],
      ['sign-in', 'ann', 'auditor'],
      ['sign-in-failed', 'tom', 'team'],
    ]);
  }, 60_000);

  it('refuses (403) a CSRF token as long as the real one but in other characters, rather than failing the page (500)', async () => {
    const logged: string[] = [];
    const portal = await app(true, { log: (line) => logged.push(line) });
    const token = valueOf(cookiesOf(await portal.get('/sign-in')).get('evidentia_csrf')!);
    const forged = `é${token.slice(1)}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${token}` };
    expect((await portal.get('/sign-in', undefined, { method: 'POST', headers, body: new URLSearchParams({ csrf: forged, name: 'tom', password: 'pw' }).toString() })).status).toBe(403);
    const session = await portal.signIn('tom');
    expect((await portal.post('/sign-out', session, { csrf: forged })).status).toBe(403);
    await portal.close();
    expect(logged).toEqual([]);
  }, 60_000);

  it('ends a session that stayed idle past its hours', async () => {
    const portal = await app(true, { sessionHours: 1e-9 });
    const session = await portal.signIn('tom');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const page = await portal.get('/runs', session);
    expect([page.status, page.headers.get('location')]).toEqual([303, '/sign-in']);
    await portal.close();
  });
  it('logs a sign-out with how the session was opened, and refuses one without the session\'s CSRF token', async () => {
    const events: PortalLogInput[] = [];
    const auditLog = new AuditLog(async (batch) => events.push(...batch), () => {}, 1);
    const portal = await app(true, { auditLog });
    const session = await portal.signIn('tom');
    const csrf = /action="\/sign-out"><input type="hidden" name="csrf" value="([^"]+)"/.exec(await (await portal.get('/runs', session)).text())![1]!;
    expect((await portal.post('/sign-out', session, { csrf: 'forged' })).status).toBe(403);
    expect((await portal.get('/runs', session)).status).toBe(200);
    const out = await portal.post('/sign-out', session, { csrf });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/sign-in']);
    expect(cookiesOf(out).get('evidentia_session')).toMatch(/^evidentia_session=;/);
    const after = await portal.get('/runs', session);
    expect([after.status, after.headers.get('location')]).toEqual([303, '/sign-in']);
    await portal.close();
    // Closing stores what waits; the refused sign-out is a denial, kept with its status.
    expect(events.filter((event) => event.action === 'sign-out').map(({ user, role, target, outcome }) => [user, role, target, outcome])).toEqual([['tom', 'team', '/sign-out (password)', '403'], ['tom', 'team', '/sign-out (password)', '303']]);
  }, 60_000);

  it('logs what was refused for want of a live session: a signed-out or unknown session cookie, a POST without one; not a first visit', async () => {
    const events: PortalLogInput[] = [];
    const auditLog = new AuditLog(async (batch) => events.push(...batch), () => {}, 1);
    const portal = await app(true, { auditLog });
    const session = await portal.signIn('tom');
    const csrf = /action="\/sign-out"><input type="hidden" name="csrf" value="([^"]+)"/.exec(await (await portal.get('/runs', session)).text())![1]!;
    expect((await portal.post('/sign-out', session, { csrf })).status).toBe(303);
    expect((await portal.get('/evidence/population.csv?kind=access.account', session)).status).toBe(303);
    expect((await portal.get('/readiness', 'never-issued')).status).toBe(303);
    expect((await portal.post('/runs/verify', 'never-issued', { csrf: 'x' })).status).toBe(403);
    expect((await portal.get('/readiness')).status).toBe(303);
    await portal.close();
    const refused = events.filter((event) => event.user === '(unknown)');
    expect(refused.map(({ action, role, target, outcome }) => [action, role, target, outcome])).toEqual([
      ['view', null, '/evidence/population.csv?kind=access.account', '303 no live session'],
      ['view', null, '/readiness', '303 no live session'],
      ['verify-start', null, '/runs/verify', '403 no live session'],
    ]);
  }, 60_000);

  it('answers 409 naming the object when a raw response is missing or altered, and never serves its bytes', async () => {
    const spoiled = await createSyntheticLocker();
    try {
      await spoiled.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'eve', { mfa: 'enabled' })] }]);
      const lines: string[] = [];
      const portal = await app(true, { locker: spoiled.locker, log: (line) => lines.push(line) });
      const session = await portal.signIn('ann');
      const listing = await (await portal.get('/evidence?kind=access.account', session)).text();
      const record = /href="(\/evidence\/record\?[^"]+)"/.exec(listing)![1]!.replaceAll('&amp;', '&');
      const raw = /href="(\/evidence\/raw\?[^"]+)"/.exec(await (await portal.get(record, session)).text())![1]!.replaceAll('&amp;', '&');
      const body = new URL(raw, 'http://x').searchParams.get('body')!;
      const served = await portal.get(raw, session);
      expect(served.status).toBe(200);
      expect(createHash('sha256').update(Buffer.from(await served.arrayBuffer())).digest('hex')).toBe(body);

      const file = join(spoiled.dir, 'objects', body.slice(0, 2), body.slice(2));
      await chmod(file, 0o644);
      await writeFile(file, gzipSync('{"altered":"SPOILED-BYTES"}'));
      const altered = await portal.get(raw, session);
      const alteredText = await altered.text();
      expect(altered.status).toBe(409);
      expect(alteredText).toContain(`The locker's object <code>${body}</code> does not hash to its name`);
      expect(alteredText).toContain('<code>evidentia verify</code>');
      expect(alteredText).not.toContain('SPOILED-BYTES');
      // The record page still shows (its verification path names the altered response) and says to verify.
      const recordPage = await (await portal.get(record, session)).text();
      expect(recordPage).toContain('altered: its stored bytes hash to something else');
      expect(recordPage).toMatch(/steps do NOT check out: run evidentia verify/);

      await rm(file);
      const missing = await portal.get(raw, session);
      const missingText = await missing.text();
      expect(missing.status).toBe(409);
      expect(missingText).toContain(`The locker's object <code>${body}</code> is missing from the locker`);
      expect(missingText).not.toContain(spoiled.dir);
      expect(await (await portal.get(record, session)).text()).toContain('missing from the locker');
      expect(lines).toEqual([`portal: GET /evidence/raw needs object ${body}, which is altered: run evidentia verify`, `portal: GET /evidence/raw needs object ${body}, which is missing: run evidentia verify`]);
      await portal.close();
    } finally {
      await spoiled.cleanup();
    }
  }, 60_000);
});

describe('periods and --listen', () => {
  it('default an auditor to the first audit period and a team member to the last 90 days in the audit zone', () => {
    const periods = new PeriodAccess(config, settings, () => NOW);
    expect(periods.choose('auditor', undefined)).toMatchObject({ ok: true, text: '2026-01-01..2026-03-31', period: { since: new Date('2025-12-31T23:00:00Z') } });
    expect(periods.choose('team', undefined)).toMatchObject({ ok: true, text: '2026-03-18..2026-06-15' });
    expect(periods.offered('auditor')).toEqual(['2026-01-01..2026-03-31']);
    expect(periods.offered('admin')).toEqual(['2026-03-18..2026-06-15', '2026-01-01..2026-03-31']);
    expect(periods.choose('auditor', '2026-01-01..2026-06-30')).toEqual({ ok: false, status: 403, message: 'the period 2026-01-01..2026-06-30 is outside your audit periods' });
    expect(new PeriodAccess(config, { users: settings.users, auditPeriods: [] }).problems()).toEqual(['portal.auditPeriods: auditor ann can see no period: list the audit periods auditors may see']);
  });

  it('read host:port, IPv6 in brackets, and refuse anything else', () => {
    expect(listenAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(listenAddress('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(() => listenAddress('8080')).toThrow('--listen 8080: expected host:port');
    expect(() => listenAddress('0.0.0.0:70000')).toThrow('expected host:port');
  });
});
