/**
 * The HTML report in a real browser (Debian's chromium through
 * playwright-core): its key parts render, evidence that tries to run script
 * stays text, and nothing is fetched. The screenshot is kept for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { builtInChecks, PeopleDirectory, runChecks } from '@evidentia/audit';
import { parsePeriod } from '@evidentia/time';
import { accountRecord, createSyntheticLocker, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';
import { buildReportModel } from './model.js';
import { renderReport } from './render.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const HOSTILE_TITLE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
const HOSTILE_LOGIN = '<img src=x onerror=window.__pwned=3>';

let browser: Browser;
let synthetic: SyntheticLocker;
let file: string;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T02:00:00Z', [
    { stream: 'github/members', type: 'state', records: [accountRecord('github:acme', HOSTILE_LOGIN, { mfa: 'disabled' }), accountRecord('github:acme', 'alice', { email: 'alice@acme.example' })] },
  ]);
  await synthetic.run('2026-03-01T02:00:00Z', [
    { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#7', { title: HOSTILE_TITLE, url: 'javascript:window.__pwned=4' })] },
  ]);
  const period = parsePeriod('2026-02-01..2026-02-28');
  const checks = builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) }));
  const run = await runChecks({ locker: synthetic.locker, period, checks, people: new PeopleDirectory() });
  // A coverage ledger's view with one gap, as `report --config` passes it.
  const coverage = {
    streams: [{ stream: 'github/members', covered: false, unreadItems: false, expected: 28, successful: 1, gaps: [{ since: '2026-02-06T02:00:00.000Z', until: '2026-02-20T00:00:00.000Z', cause: 'stream-failed: <b>502</b>' }] }],
    criteria: [{ criterion: 'CC6.1', gapStreams: ['github/members'], unreadStreams: [] }],
  };
  const html = renderReport(await buildReportModel({ locker: synthetic.locker, period, run, coverage }));
  file = join(await mkdtemp(join(tmpdir(), 'evidentia-report-')), 'report.html');
  await writeFile(file, html);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await synthetic?.cleanup();
});

describe('HTML report in chromium', () => {
  it('renders the key parts, runs no script from the evidence and fetches nothing', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);

    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    const exceptions = page.locator('#exceptions');
    expect(await exceptions.innerText()).toContain(HOSTILE_TITLE);
    expect(await exceptions.innerText()).toContain(HOSTILE_LOGIN);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);

    expect(await page.locator('h1').innerText()).toBe('SOC 2 evidence report');
    expect(await page.locator('.grid .tile').count()).toBe(61);
    expect(await page.locator('.grid .tile.exception').count()).toBeGreaterThan(0);
    expect(await page.locator('svg.timeline text.label').allTextContents()).toEqual(['github/members', 'github/pull_requests']);
    expect(await page.locator('#verify').innerText()).toContain('evidentia verify --bundle');
    expect(await page.locator('svg.timeline rect.gap').count()).toBe(1);
    expect(await page.locator('svg.timeline rect.gap title').textContent()).toContain('stream-failed: <b>502</b>');
    // CC6.1 whose stream has the gap, the criteria whose checks judged that stream's inventories (a pass rests on them),
    // and CC8.1, whose check judged github/pull_requests, a stream this ledger does not know (its coverage unknown).
    expect((await page.locator('.grid .tile.gapped').evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('title')?.split(' ')[0])))).toEqual(['CC6.1', 'CC6.2', 'CC6.3', 'CC8.1']);
    expect(await page.locator('.grid .tile.gapped').last().getAttribute('title')).toContain('coverage unknown: github/pull_requests no longer configured');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    // The style sheet applied (allowed by its hash): exception tiles are coloured.
    const background = await page
      .locator('.grid .tile.exception')
      .first()
      .evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor);
    expect(background).toBe('rgb(255, 235, 233)');
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

    const screenshot = join(tmpdir(), 'evidentia-report-screenshot.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(existsSync(screenshot)).toBe(true);
    await page.close();
  }, 60_000);
});
