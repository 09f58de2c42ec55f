/**
 * The portal's populations page and its verify, end to end on the demo
 * locker: the population of a criterion (and of a kind) as the CLI's
 * `export population` writes it (CSV byte for byte; XLSX cell for cell, read
 * with exceljs, since a workbook's zip carries its own time), its IPE header
 * on the page as the CLI writes it, a seeded sample of a criterion as
 * `evidentia sample --control` draws it, each download whole; verify started
 * from the runs page (CSRF checked, the pages answering while it runs) with
 * `evidentia verify`'s own messages; and an auditor reaches no write action.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { DEMO_PERIOD, runCli } from './cli.js';
import { AUDITOR_PASSWORD, type DemoPortal, PASSWORD, startDemoPortal } from './portal-demo.js';

const USERS = { tess: PASSWORD, audrey: AUDITOR_PASSWORD } as const;

let portal: DemoPortal | undefined;
let dir: string;
let config: string;
let base: string;
let browser: Browser;

interface Client {
  get(path: string): Promise<Response>;
  post(path: string, form: Record<string, string>): Promise<Response>;
  /** The session's CSRF token, as the runs page's form carries it. */
  csrf: string;
}

/** A signed-in HTTP client for `name` (the sign-in form's CSRF cookie and token, then the session cookie). */
async function signIn(name: keyof typeof USERS): Promise<Client> {
  const form = await fetch(`${base}sign-in`);
  const csrfCookie = form.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ');
  const token = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const signed = await fetch(`${base}sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie }, body: new URLSearchParams({ name, password: USERS[name], csrf: token }).toString() });
  expect(signed.status).toBe(303);
  const cookie = signed.headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!.split(';')[0]!;
  const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await (await get('runs')).text())![1]!;
  const post = (path: string, body: Record<string, string>) =>
    fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(body).toString() });
  return { get, post, csrf };
}

/** Every sheet's cells of a workbook, by sheet name, as text rows; ISO instants in the IPE sheet masked (generation time, and the period's end and its coverage gaps': the demo period ends now). */
async function cellsOf(workbook: Buffer): Promise<Record<string, string[][]>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(workbook as unknown as ArrayBuffer);
  const sheets: Record<string, string[][]> = {};
  book.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = (row.values as unknown[]).slice(1).map((value) => (value instanceof Date ? value.toISOString() : JSON.stringify(value ?? null)));
      rows.push(sheet.name === 'IPE' ? values.map((text) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z/g, 'INSTANT')) : values);
    });
    sheets[sheet.name] = rows;
  });
  return sheets;
}

async function cliPopulation(selector: string[], file: string): Promise<Buffer> {
  const result = await runCli(['export', 'population', ...selector, '--period', DEMO_PERIOD, '--out', join(dir, file), '--config', config]);
  expect(result.code).toBe(0);
  // The demo collected once, today, for a period that began in April: each stream the population draws from has a
  // coverage gap from the period's start to that collection. More than three such streams are one line on the
  // terminal, as check's notes are; the IPE header names each stream with its gap.
  const warnings = result.stderr.split('\n').filter(Boolean);
  expect(warnings).toHaveLength(1);
  const collapsed = /^evidentia: the population may be INCOMPLETE: (\d+) streams it draws from have open coverage gaps in the period \(([^)]+)\), so their items of those times may be missing \(see coverage; the IPE header names each stream's gaps\)$/.exec(warnings[0]!);
  expect(collapsed).not.toBeNull();
  const streams = collapsed![2]!.split(', ');
  expect(streams.length).toBe(Number(collapsed![1]));
  expect(streams.length).toBeGreaterThan(3);
  const ipeFile = /\(how it was produced: (.+)\)$/m.exec(result.stdout)?.[1];
  if (ipeFile) {
    const { lines } = JSON.parse(await readFile(ipeFile, 'utf8')) as { lines: string[] };
    const named = lines.filter((line) => /^incomplete: \S+ has 1 open coverage gap in the period \(2026-04-02T00:00Z\.\.\S+\), so its \S+ items of that time may be missing from this population \(see coverage\)$/.test(line));
    expect(named.map((line) => line.split(' ')[1])).toEqual(streams);
  }
  return readFile(join(dir, file));
}

beforeAll(async () => {
  portal = await startDemoPortal('an accepted exception');
  ({ dir, config, base, browser } = portal);
}, 300_000);

afterAll(async () => {
  await portal?.browser.close();
  portal?.server.child.kill('SIGTERM');
  await portal?.server.done;
  if (portal) await rm(portal.dir, { recursive: true, force: true });
});

describe('evidentia serve: populations', () => {
  it('shows a criterion population with its IPE header and downloads it as CSV and XLSX as the CLI writes them', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}sign-in`);
    await page.fill('input[name="name"]', 'audrey');
    await page.fill('input[name="password"]', USERS.audrey);
    await page.click('button[type="submit"]');
    await page.goto(`${base}populations`);
    const criteria = await page.locator('#by-control select[name="control"] option').allInnerTexts();
    expect(criteria).toContain('CC6.1');
    await page.selectOption('#by-control select[name="control"]', 'CC6.1');
    await page.click('#by-control button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('control')).toBe('CC6.1');

    const cliCsv = await cliPopulation(['--control', 'CC6.1', '--format', 'csv'], 'cc61.csv');
    const cliIpe = JSON.parse(await readFile(join(dir, 'cc61.ipe.json'), 'utf8')) as { items: number; kind: string; lines: string[] };
    expect(cliIpe.items).toBeGreaterThan(0);
    expect(await page.locator('#population-count').innerText()).toBe(`Period ${DEMO_PERIOD}, criterion CC6.1: ${cliIpe.items} ${cliIpe.kind} items.`);
    // The header as the CLI wrote it, but for the instants (when it was generated; the demo period ends now).
    const masked = (lines: string[]) => lines.map((line) => line.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z/g, 'INSTANT'));
    expect(masked((await page.locator('#ipe pre').innerText()).split('\n'))).toEqual(masked(cliIpe.lines));

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('form[action="/populations/population.csv"] button')]);
    expect(csv.suggestedFilename()).toBe(`population-CC6.1-${DEMO_PERIOD}.csv`);
    const portalCsv = await readFile((await csv.path())!);
    expect(portalCsv.equals(cliCsv)).toBe(true);
    // Whole: a header line and one row per item the IPE counts (no row of the demo spans lines).
    expect(portalCsv.toString('utf8').trimEnd().split('\n').length).toBe(cliIpe.items + 1);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('form[action="/populations/population.xlsx"] button')]);
    expect(xlsx.suggestedFilename()).toBe(`population-CC6.1-${DEMO_PERIOD}.xlsx`);
    const portalCells = await cellsOf(await readFile((await xlsx.path())!));
    const cliCells = await cellsOf(await cliPopulation(['--control', 'CC6.1', '--format', 'xlsx'], 'cc61.xlsx'));
    expect(Object.keys(portalCells)).toEqual(['Population', 'IPE']);
    expect(portalCells.Population!.length).toBe(cliIpe.items + 1);
    expect(portalCells).toEqual(cliCells);
    await page.context().close();
  }, 180_000);

  it('downloads a kind population and a seeded criterion sample as the CLI, and refuses what names no population', async () => {
    const audrey = await signIn('audrey');
    const byKind = await audrey.get(`populations/population.csv?kind=access.account&period=${DEMO_PERIOD}`);
    expect(byKind.status).toBe(200);
    expect(Buffer.from(await byKind.arrayBuffer()).equals(await cliPopulation(['--kind', 'access.account', '--format', 'csv'], 'accounts.csv'))).toBe(true);

    const sampled = await audrey.get(`populations/sample.csv?control=CC6.1&period=${DEMO_PERIOD}&seed=audit-2026&size=3`);
    expect(sampled.status).toBe(200);
    const cliSample = await runCli(['sample', '--control', 'CC6.1', '--period', DEMO_PERIOD, '--seed', 'audit-2026', '--size', '3', '--out', join(dir, 'sample.csv'), '--config', config]);
    expect(cliSample.code).toBe(0);
    // The population's hash covers its generation time: the rows, the method and the re-run line are the same, but for
    // the end of the period, which is today's and so was cut at the moment each read it.
    const comparable = (text: string) =>
      text
        .split('\r\n')
        .filter((line) => !/^"?# (population|sample-json):/.test(line))
        .map((line) => line.replace(/(\.\.|up to )\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d\.\d{3})?Z/g, '$1<now>'));
    const portalSample = comparable(await sampled.text());
    expect(portalSample.filter((line) => line && !/^"?#/.test(line)).length).toBe(4);
    expect(portalSample).toEqual(comparable(await readFile(join(dir, 'sample.csv'), 'utf8')));

    const refused = async (path: string, status: number, message: string) => {
      const response = await audrey.get(path);
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(message);
    };
    await refused('populations/population.xlsx', 400, 'give a criterion (control=CC6.1) or a kind');
    await refused('populations/population.csv?control=CC6.1&kind=access.account', 400, 'not both');
    await refused('populations/population.csv?control=CC99.9', 400, 'criterion CC99.9: no item serves it in the period');
    await refused('populations/population.xlsx?control=CC6.1&period=2025-01-01..2025-06-30', 403, 'outside your audit periods');
    // A seed is written into the sample's # lines: one with a line break is refused, one with a comma stays in its cell.
    await refused(`populations/sample.csv?control=CC6.1&period=${DEMO_PERIOD}&size=3&seed=x%0A%3DHYPERLINK(%22http://evil.example/%22)`, 400, 'seed holds the control character U+000A');
    const comma = await audrey.get(`populations/sample.csv?control=CC6.1&period=${DEMO_PERIOD}&size=3&seed=x%2C%3D1%2B1`);
    expect(comma.status).toBe(200);
    expect((await comma.text()).split('\r\n')[0]).toMatch(/^"# method: [^"]*; seed: x,=1\+1; size: 3 of \d+"$/);
  }, 180_000);
});

describe('evidentia serve: verify from the runs page', () => {
  it('runs verify in the background for a team member and shows what `evidentia verify` prints', async () => {
    const tess = await signIn('tess');
    expect((await tess.post('runs/verify', { csrf: `${tess.csrf}x` })).status).toBe(403);
    const started = await tess.post('runs/verify', { csrf: tess.csrf });
    expect([started.status, started.headers.get('location')]).toEqual([303, '/runs#verify']);
    // The pages answer while it runs (a child process re-hashes the locker, not the portal).
    const during = await (await tess.get('runs')).text();
    expect(during).toContain('Running since');
    expect((await tess.get('readiness')).status).toBe(200);
    let shown = during;
    for (let tries = 0; tries < 120 && shown.includes('Running since'); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      shown = await (await tess.get('runs')).text();
    }
    const cli = await runCli(['verify', '--config', config]);
    expect(cli.code).toBe(0);
    // The page shows the output HTML-escaped (the key line names "the locker's own" key).
    const unescaped = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const output = unescaped(/<pre id="verify-output">([^<]*)<\/pre>/.exec(shown)?.[1] ?? '');
    // The portal's own audit log grows between the two (an entry and its object per page): those counts are masked,
    // and so is the note on objects not yet referenced (a batch's objects are stored just before its entries commit,
    // so a verify that lists the objects between the two notes them).
    const growing = (text: string) =>
      text
        .replace(/\d+ objects/, 'N objects')
        .replace(/\d+ portal-log entr(y|ies)/, 'N portal-log entries')
        .split('\n')
        .filter((line) => !line.includes('referenced by no manifest or snapshot'))
        .join('\n');
    expect(growing(output)).toBe(growing(cli.stdout + cli.stderr));
    expect(output).toContain('locker verified: no problems');
    expect(shown).toContain('<span class="status pass">verified</span>');
    expect(shown).toMatch(/by tess, finished/);
  }, 120_000);

  it('lets an auditor start verify (it only reads) and reach no other write action', async () => {
    const audrey = await signIn('audrey');
    const started = await audrey.post('runs/verify', { csrf: audrey.csrf });
    expect(started.status).toBe(303);
    // Every page and download is GET only: a POST to any of them is no route (404), whatever the form says.
    for (const path of ['readiness', 'exceptions', 'evidence', 'populations', 'requests', 'runs', 'evidence/population.csv', 'populations/population.csv', 'populations/population.xlsx', 'populations/sample.csv']) {
      const response = await audrey.post(path, { csrf: audrey.csrf, kind: 'access.account' });
      expect([path, response.status]).toEqual([path, 404]);
    }
  }, 120_000);
});
