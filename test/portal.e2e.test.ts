/**
 * `evidentia serve` end to end on the demo locker, in Debian's chromium
 * (playwright-core, launched as the report's browser test launches it): sign
 * in, every page renders and agrees with the CLI, a filter narrows the
 * exceptions (check, status, system, criterion), the coverage calendar shows
 * the CLI's ledger day by day, an exception's record opens on its record page
 * with its verification path checking out and its raw response as text, a
 * hostile acceptance reason stays text, nothing is fetched from
 * anywhere but the portal, a page without a session goes to sign-in, a POST
 * without its CSRF token is refused, an auditor is refused a period outside
 * theirs, failed sign-ins are rate limited, and SIGTERM stops it with exit 0.
 * Screenshots are kept in a temporary directory whose paths are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PERIOD, runCli, type spawnCli } from './cli.js';
import { AUDITOR_PASSWORD, hashOf, PASSWORD, signInAt, startDemoPortal } from './portal-demo.js';

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const OUTSIDE = '2025-01-01..2025-06-30';

let dir: string;
let config: string;
let base: string;
let server: ReturnType<typeof spawnCli>;
let browser: Browser;
let shots: string;
const requested: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  return page;
}

const signIn = (page: Page, name: string, password: string) => signInAt(page, base, name, password);

async function shot(page: Page, name: string): Promise<void> {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  expect(existsSync(path)).toBe(true);
  console.log(`portal screenshot: ${path}`);
}

/** A sign-in form's CSRF cookie and token, as a browser would hold them. */
async function signInForm(): Promise<{ cookie: string; token: string }> {
  const response = await fetch(`${base}sign-in`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ');
  const token = /name="csrf" value="([^"]+)"/.exec(await response.text())![1]!;
  return { cookie, token };
}

const post = (path: string, form: Record<string, string>, cookie = '') =>
  fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(form).toString() });

beforeAll(async () => {
  ({ dir, config, base, server, browser } = await startDemoPortal(HOSTILE));
  shots = await mkdtemp(join(tmpdir(), 'evidentia-portal-screenshots-'));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
  await server?.done;
  await rm(dir, { recursive: true, force: true });
});

describe('evidentia serve', () => {
  it('answers /health without a session and sends every page to sign-in without one', async () => {
    const health = await fetch(`${base}health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const page = await newPage();
    for (const path of ['', 'readiness', 'coverage', 'exceptions?status=open', 'evidence', 'evidence/record?kind=access.account', 'requests', 'runs']) {
      await page.goto(`${base}${path}`);
      expect(page.url()).toBe(`${base}sign-in`);
    }
    await page.context().close();
  }, 60_000);

  it('refuses a POST without its CSRF token (403), with or without a session', async () => {
    const { cookie, token } = await signInForm();
    expect((await post('sign-in', { name: 'tess', password: PASSWORD }, cookie)).status).toBe(403);
    expect((await post('sign-in', { name: 'tess', password: PASSWORD, csrf: `${token}x` }, cookie)).status).toBe(403);
    expect((await post('sign-in', { name: 'tess', password: PASSWORD, csrf: token })).status).toBe(403);
    const signedIn = await post('sign-in', { name: 'tess', password: PASSWORD, csrf: token }, cookie);
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!;
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Strict/);
    const sessionCookie = session.split(';')[0]!;
    expect((await fetch(`${base}runs`, { headers: { cookie: sessionCookie } })).status).toBe(200);
    expect((await post('sign-out', {}, sessionCookie)).status).toBe(403);
    // The refused sign-out left the session alive.
    expect((await fetch(`${base}runs`, { headers: { cookie: sessionCookie }, redirect: 'manual' })).status).toBe(200);
  }, 60_000);

  it('signs a team member in and shows readiness, exceptions (filtered) and runs as the CLI computes them', async () => {
    const page = await newPage();
    await signIn(page, 'tess', PASSWORD);
    expect(page.url()).toBe(`${base}readiness`);

    const cliReadiness = JSON.parse((await runCli(['readiness', '--period', DEMO_PERIOD, '--json', '--config', config])).stdout) as { summary: { requirements: number }; requirements: { requirement: string }[] };
    const response = await page.goto(`${base}readiness?framework=soc2&period=${DEMO_PERIOD}`);
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await page.locator('h1').innerText()).toBe('Readiness');
    expect(await page.locator('#readiness-soc2 > p').first().innerText()).toContain(`${cliReadiness.summary.requirements} requirements:`);
    expect(await page.locator('#readiness-soc2 tbody tr td:first-child').allInnerTexts()).toEqual(cliReadiness.requirements.map((row) => row.requirement));
    // The style sheet came from the portal and applied.
    expect(await page.locator('header').evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor)).toBe('rgb(36, 41, 47)');
    await shot(page, 'readiness');

    await page.goto(`${base}exceptions?period=${DEMO_PERIOD}`);
    const all = await page.locator('#exceptions tbody tr').count();
    expect(all).toBeGreaterThan(1);
    await page.selectOption('select[name="check"]', 'access-keys');
    await page.selectOption('select[name="status"]', 'accepted');
    await page.click('form.filters button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('check')).toBe('access-keys');
    expect(new URL(page.url()).searchParams.get('status')).toBe('accepted');
    const rows = page.locator('#exceptions tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('root access_key_1');
    expect(await rows.first().innerText()).toContain(HOSTILE);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    await shot(page, 'exceptions-accepted');

    await page.selectOption('select[name="status"]', 'open');
    await page.click('form.filters button[type="submit"]');
    const open = await page.locator('#exceptions tbody tr').allInnerTexts();
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((text) => text.startsWith('access-keys') && !text.includes('root access_key_1'))).toBe(true);

    const populationFile = join(dir, 'accounts.jsonl');
    expect((await runCli(['export', 'population', '--kind', 'access.account', '--period', DEMO_PERIOD, '--out', populationFile, '--config', config])).code).toBe(0);
    const population = (await readFile(populationFile, 'utf8')).trim().split('\n').slice(1).map((line) => JSON.parse(line) as { system: string; recordHash: string });
    await page.goto(`${base}evidence?kind=access.account&period=${DEMO_PERIOD}`);
    const listed = () => page.locator('#evidence tbody tr td code').evaluateAll((codes) => codes.map((code) => code.getAttribute('title')));
    expect((await listed()).sort()).toEqual(population.map((item) => item.recordHash).sort());
    await page.selectOption('select[name="system"]', 'github:acme-corp');
    await page.click('form.filters button[type="submit"]');
    const github = population.filter((item) => item.system === 'github:acme-corp').map((item) => item.recordHash);
    expect(github.length).toBeGreaterThan(0);
    expect((await listed()).sort()).toEqual(github.sort());
    await shot(page, 'evidence');

    const cliRuns = JSON.parse((await runCli(['runs', '--json', '--config', config])).stdout) as { runId: string; streams: unknown[] }[];
    await page.goto(`${base}runs?period=${DEMO_PERIOD}`);
    expect(await page.locator('section.run').count()).toBe(cliRuns.length);
    expect(await page.locator(`#run-${cliRuns[0]!.runId} table.streams tbody tr`).count()).toBe(cliRuns[0]!.streams.length);
    await shot(page, 'runs');

    // A period outside the auditors' is the team's to look at.
    expect((await page.goto(`${base}runs?period=${OUTSIDE}`))!.status()).toBe(200);

    await page.click('header button[type="submit"]');
    expect(page.url()).toBe(`${base}sign-in`);
    await page.goto(`${base}runs`);
    expect(page.url()).toBe(`${base}sign-in`);
    await page.context().close();
  }, 180_000);

  it('shows coverage as a calendar per stream from the same ledger as the CLI, filters exceptions by system and criterion, and opens the records they rest on', async () => {
    const page = await newPage();
    await signIn(page, 'tess', PASSWORD);
    const cli = await runCli(['coverage', '--period', DEMO_PERIOD, '--json', '--no-notify', '--config', config]);
    const ledger = JSON.parse(cli.stdout) as { openGaps: number; streams: { stream: string; gaps: { since: string; until: string; status: string; causes: { kind: string }[] }[] }[] };
    await page.goto(`${base}coverage?period=${DEMO_PERIOD}`);
    expect(await page.locator('h1').innerText()).toBe('Coverage');
    expect(await page.locator('#coverage-summary').innerText()).toContain(`${ledger.openGaps} open gap`);
    expect(await page.locator('section.stream h3').evaluateAll((titles) => titles.map((title) => title.firstChild!.textContent!.trim()))).toEqual(ledger.streams.map((stream) => stream.stream));
    // A cell per day of the period, in every stream's calendar.
    const [first, last] = DEMO_PERIOD.split('..') as [string, string];
    const days = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
    const stream = ledger.streams.find((candidate) => candidate.gaps.some((gap) => gap.status === 'open'))!;
    const calendar = page.locator(`section.stream[data-stream="${stream.stream}"]`);
    expect(await calendar.locator('td.day').count()).toBe(days);
    // The middle day of an open gap is a gap cell naming the gap's cause; its letter is in the legend.
    const gap = stream.gaps.find((candidate) => candidate.status === 'open')!;
    const middle = new Date((Date.parse(gap.since) + Date.parse(gap.until)) / 2).toISOString().slice(0, 10);
    const cell = calendar.locator(`td[data-day="${middle}"]`);
    expect(await cell.getAttribute('class')).toBe('day gap');
    expect(await cell.innerText()).toBe('G');
    expect(await cell.getAttribute('title')).toContain(`cause: ${gap.causes[0]!.kind}`);
    expect(await page.locator('#streams dl.legend').innerText()).toContain('gap: the day is not covered');
    expect(await calendar.locator('table.gaps tbody tr').count()).toBe(stream.gaps.length);
    const cliRuns = JSON.parse((await runCli(['runs', '--json', '--config', config])).stdout) as unknown[];
    expect(await page.locator('#timeline tbody tr').count()).toBe(cliRuns.length);
    await shot(page, 'coverage');

    const checks = JSON.parse((await runCli(['check', '--period', DEMO_PERIOD, '--json', '--config', config])).stdout) as { checks: { id: string; criteria: string[]; findings: { status: string; system: string | null; records: string[] }[] }[] };
    const expected = checks.checks.filter((check) => check.criteria.includes('CC8.1')).flatMap((check) => check.findings.filter((finding) => finding.status === 'exception' && finding.system === 'github:acme-corp').map(() => check.id));
    expect(expected.length).toBeGreaterThan(0);
    await page.goto(`${base}exceptions?period=${DEMO_PERIOD}`);
    await page.selectOption('select[name="system"]', 'github:acme-corp');
    await page.selectOption('select[name="criterion"]', 'CC8.1');
    await page.click('form.filters button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('criterion')).toBe('CC8.1');
    const rows = page.locator('#exceptions tbody tr');
    expect((await rows.locator('td:first-child').allInnerTexts()).sort()).toEqual(expected.sort());
    expect((await rows.locator('td:nth-child(3)').allInnerTexts()).every((system) => system === 'github:acme-corp')).toBe(true);
    await shot(page, 'exceptions-filtered');

    // An exception's record opens on its record page, whose verification path checks out.
    const hash = (await rows.first().locator('td:last-child code').first().getAttribute('title'))!;
    await rows.first().locator('td:last-child a').first().click();
    expect(new URL(page.url()).pathname).toBe('/evidence/record');
    expect(new URL(page.url()).searchParams.get('hash')).toBe(hash);
    expect(await page.locator('#record').innerText()).toContain(hash);
    expect(await page.locator('#verification-result').innerText()).toMatch(/^All \d+ steps check out\.$/);
    expect(await page.locator('#verification tbody tr .status.pass').count()).toBe(await page.locator('#verification tbody tr').count());
    await shot(page, 'record');

    // The raw response is served as stored, as text: the config's secret reference never resolved into it.
    const raw = page.locator('#snapshots a').first();
    const rawResponse = await page.request.get(new URL((await raw.getAttribute('href'))!, base).toString());
    expect(rawResponse.status()).toBe(200);
    expect(rawResponse.headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(rawResponse.headers()['x-content-type-options']).toBe('nosniff');
    const record = await page.content();
    for (const text of [record, await rawResponse.text()]) {
      expect(text).not.toContain('demo-placeholder');
      expect(text.toLowerCase()).not.toContain('authorization');
    }
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.context().close();
  }, 180_000);

  it('shows an auditor only the configured audit periods and refuses any other (403)', async () => {
    const page = await newPage();
    await signIn(page, 'audrey', AUDITOR_PASSWORD);
    expect(page.url()).toBe(`${base}readiness`);
    expect(await page.locator('select[name="period"] option').allInnerTexts()).toEqual([DEMO_PERIOD]);
    await page.goto(`${base}evidence?kind=access.account`);
    const record = (await page.locator('#evidence tbody tr a').first().getAttribute('href'))!;
    expect((await page.goto(new URL(record, base).toString()))!.status()).toBe(200);
    await page.goto(`${base}coverage`);
    expect(await page.locator('select[name="period"] option').allInnerTexts()).toEqual([DEMO_PERIOD]);
    for (const path of ['readiness', 'coverage', 'exceptions', 'evidence', 'requests', 'runs', record.slice(1).replace(/period=[^&]+/, '')]) {
      const refused = await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}period=${OUTSIDE}`);
      expect(refused!.status()).toBe(403);
      expect(await page.locator('main').innerText()).toContain(`the period ${OUTSIDE} is outside your audit periods`);
    }
    await shot(page, 'auditor-refused');
    await page.context().close();
  }, 120_000);

  it('gives an auditor the population CSV and its IPE header byte for byte as the CLI, and the same seeded sample, only in their period', async () => {
    const page = await newPage();
    await signIn(page, 'audrey', AUDITOR_PASSWORD);
    await page.goto(`${base}evidence?kind=access.account`);
    const cliCsv = join(dir, 'accounts.csv');
    expect((await runCli(['export', 'population', '--kind', 'access.account', '--period', DEMO_PERIOD, '--out', cliCsv, '--config', config])).code).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('form[action="/evidence/population.csv"] button')]);
    expect(download.suggestedFilename()).toBe(`population-access.account-${DEMO_PERIOD}.csv`);
    const portalCsv = await readFile((await download.path())!);
    expect(portalCsv.length).toBeGreaterThan(200);
    expect(portalCsv.equals(await readFile(cliCsv))).toBe(true);

    const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ');
    const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    // The IPE header differs only in when it was generated (the demo period ends now, so its end too).
    const withoutTime = (text: string) => {
      const parsed = JSON.parse(text) as { period: Record<string, unknown> };
      return { ...parsed, generatedAt: null, lines: null, period: { ...parsed.period, until: null } };
    };
    const ipe = await get(`evidence/population.ipe.json?kind=access.account&period=${DEMO_PERIOD}`);
    expect(ipe.status).toBe(200);
    expect(withoutTime(await ipe.text())).toEqual(withoutTime(await readFile(join(dir, 'accounts.ipe.json'), 'utf8')));

    await page.fill('#sample input[name="seed"]', 'audit-2026');
    await page.fill('#sample input[name="size"]', '3');
    const [sampled] = await Promise.all([page.waitForEvent('download'), page.click('#sample button')]);
    const cliSample = join(dir, 'sample.csv');
    expect((await runCli(['sample', '--kind', 'access.account', '--period', DEMO_PERIOD, '--seed', 'audit-2026', '--size', '3', '--out', cliSample, '--config', config])).code).toBe(0);
    // The population's hash covers its generation time: the rows, the method and the re-run line are the same, but for
    // the end of the period, which is today's and so was cut at the moment each read it.
    const comparable = (text: string) =>
      text
        .split('\r\n')
        .filter((line) => !/^"?# (population|sample-json):/.test(line))
        .map((line) => line.replace(/(\.\.|up to )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '$1<now>'));
    const portalSample = comparable(await readFile((await sampled.path())!, 'utf8'));
    expect(portalSample.filter((line) => line && !/^"?#/.test(line)).length).toBe(4);
    expect(portalSample).toEqual(comparable(await readFile(cliSample, 'utf8')));
    await shot(page, 'evidence-population');

    for (const path of ['evidence/population.csv', 'evidence/population.ipe.json', 'evidence/sample.csv?size=3&seed=x&']) {
      const refused = await get(`${path}${path.includes('?') ? '' : '?'}kind=access.account&period=${OUTSIDE}`);
      expect(refused.status).toBe(403);
    }
    expect((await get(`evidence/sample.csv?kind=access.account&size=0`)).status).toBe(400);
    expect((await get(`evidence/population.csv?kind=no.such.kind`)).status).toBe(400);
    await page.context().close();
  }, 180_000);

  it('fetches nothing from anywhere but the portal', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(base))).toEqual([]);
  });

  it('refuses sign-in from an address after five failures, even with the right password', async () => {
    const { cookie, token } = await signInForm();
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await post('sign-in', { name: 'tess', password: 'wrong', csrf: token }, cookie)).status).toBe(401);
    const limited = await post('sign-in', { name: 'tess', password: PASSWORD, csrf: token }, cookie);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 60_000);

  it('refuses to start, with one line and exit 2, without users, with an auditor but no period, a plain password or a bad --listen', async () => {
    // The portal: section appended above (the demo config's own example is commented).
    const demo = `${(await readFile(config, 'utf8')).split('\nportal:')[0]!}\n`;
    const hash = hashOf(PASSWORD);
    const cases: [string, string[], string][] = [
      ['', [], 'portal.users is empty'],
      [`portal:\n  users:\n    - {name: audrey, role: auditor, passwordHash: "${hash}"}\n`, [], 'portal.auditPeriods: auditor audrey can see no period'],
      [`portal:\n  users:\n    - {name: tess, role: team, passwordHash: "${PASSWORD}"}\n`, [], 'expected a hash printed by `evidentia serve hash-password`'],
      [`portal:\n  users:\n    - {name: tess, role: team, passwordHash: "${hash}"}\n  auditPeriods: ["2026-13-01..2026-14-01"]\n`, [], 'portal.auditPeriods[0]'],
      [`portal:\n  users:\n    - {name: tess, role: team, passwordHash: "${hash}"}\n`, ['--listen', 'localhost'], '--listen localhost: expected host:port'],
    ];
    for (const [portal, flags, message] of cases) {
      const file = join(dir, 'refused.yaml');
      await writeFile(file, `${demo}${portal}`);
      const refused = await runCli(['serve', '--config', file, ...flags]);
      expect([refused.code, refused.stdout]).toEqual([2, '']);
      expect(refused.stderr).toContain(message);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
    }
  }, 120_000);

  it('stops on SIGTERM with exit 0', async () => {
    server.child.kill('SIGTERM');
    const result = await server.done;
    expect([result.code, result.stderr]).toEqual([0, '']);
  }, 30_000);
});

