/**
 * One evidence base, four frameworks, through the CLI on the demo locker:
 * records reached through a mapping, and the report's ISO 27001, NIS2 and C5
 * tables derived from the SOC 2 results.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readZipEntries } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

const PERIOD = ['--period', DEMO_PERIOD];
let locker: string;
let dir: string;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('frameworks'));
}, 60_000);

describe('frameworks through the SOC 2 mappings', () => {
  it('lists the records behind an ISO 27001 control, with the mapping each comes through', async () => {
    const result = await runCli(['records', '--locker', locker, '--control', 'A.8.32', '--json']);
    expect(result.code).toBe(0);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; controls: string[]; via: string[] });
    expect(records.length).toBeGreaterThan(3);
    expect(records.some((record) => record.kind === 'change.request')).toBe(true);
    for (const record of records) {
      expect(record.controls).toContain('CC8.1');
      expect(record.via).toEqual(['CC8.1 superset-of']);
    }
    const table = await runCli(['records', '--locker', locker, '--control', 'A.8.32']);
    expect(table.stdout).toMatch(/via/);
    expect(table.stdout).toContain('A.8.32: covered through CC8.1 superset-of');
  });

  it('gives --limit records of a control reached through several criteria, counting each record once', async () => {
    // A.5.18 maps to CC6.2 and CC6.3, which share most records: one already listed for CC6.2 must not use up CC6.3's share.
    const hashes = async (...extra: string[]) => (await runCli(['records', '--locker', locker, '--control', 'A.5.18', '--json', ...extra])).stdout.trim().split('\n').map((line) => (JSON.parse(line) as { hash: string }).hash);
    const all = await hashes();
    expect(new Set(all).size).toBe(all.length);
    expect(await hashes('--limit', String(all.length + 7))).toEqual(all);
    expect(await hashes('--limit', String(all.length))).toEqual(all);
    expect(await hashes('--limit', '3')).toEqual(all.slice(0, 3));
  });

  it('exits 2 on an ID no framework has', async () => {
    const result = await runCli(['records', '--locker', locker, '--control', 'A.99.1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--control A.99.1: no framework has this requirement');
  });

  it('reports ISO 27001, NIS2 and C5 tables, showing a subset-of mapping as partial support and nothing carried by the demo', async () => {
    const config = join(dir, 'evidentia.yaml');
    await writeFile(config, `locker: ${JSON.stringify(locker)}\nconnectors: {}\nframeworks: [iso27001, nis2, c5]\n`);
    const out = join(dir, 'frameworks.html');
    const result = await runCli(['report', '--config', config, ...PERIOD, '--out', out]);
    expect(result.code).toBe(0);
    const html = await readFile(out, 'utf8');
    for (const framework of ['iso27001', 'nis2', 'c5']) expect(html).toContain(`id="framework-${framework}"`);
    expect(html).toMatch(/<td>A\.5\.16<\/td><td>[^<]*<\/td><td class="status (partial|not-covered)">/);
    expect(html).toMatch(/<span class="via partial">CC6\.2 subset-of/);
    expect(html).toMatch(/<td>NIS2\.21\.2\.b<\/td><td>[^<]*<\/td><td class="status (partial|not-covered)">/);
    expect(html).not.toMatch(/<td>NIS2\.21\.2\.b<\/td><td>[^<]*<\/td><td class="status covered">/);
    // Every demo criterion has an exception, something undecided or no check (and CC8.1 a coverage gap): none carries a requirement, fully or in part.
    expect(html).toMatch(/class="status not-covered">✗ not covered/);
    expect(html).not.toMatch(/class="status (covered|partial)">[✓◐]/);

    const check = await runCli(['check', '--config', config, ...PERIOD, '--control', 'NIS2.21.2.b']);
    expect(check.stdout).toContain('NIS2 Directive');
    expect(check.stdout).toMatch(/NIS2\.21\.2\.b .*(PARTIAL|NOT COVERED)/);
  });

  it('never calls a requirement covered when --check left out a check serving its criterion', async () => {
    const config = join(dir, 'iso-only.yaml');
    await writeFile(config, `locker: ${JSON.stringify(locker)}\nconnectors: {}\nframeworks: [iso27001]\n`);
    // In the demo cloudtrail-logging passes and cloudtrail-never-stopped, the other check serving CC7.2, finds an exception.
    const narrowed = await runCli(['check', '--config', config, ...PERIOD, '--check', 'cloudtrail-logging']);
    expect(narrowed.stdout).toMatch(/cloudtrail-logging +CC7\.2 +1 +0 +0 +0 +ok/);
    expect(narrowed.stdout).toMatch(/A\.8\.16 .*NOT COVERED +CC7\.2 equal-to \(not covered\)/);
    expect(narrowed.stderr).toContain('the framework tables count CC7.2 (cloudtrail-never-stopped not run) as not covered: --check left out checks serving them');
    const whole = await runCli(['check', '--config', config, ...PERIOD, '--control', 'A.8.16']);
    expect(whole.stdout).toMatch(/A\.8\.16 .*NOT COVERED/);
    expect(whole.stderr).not.toContain('--check left out');
  });

  it("gives the bundle's report the frameworks and criteria in scope, as `report` shows them", async () => {
    const config = join(dir, 'scoped.yaml');
    await writeFile(config, `locker: ${JSON.stringify(locker)}\nconnectors: {}\nframeworks: [iso27001, nis2, c5]\n`);
    const out = join(dir, 'scoped.html');
    expect((await runCli(['report', '--config', config, ...PERIOD, '--out', out])).code).toBe(0);
    const bundle = join(dir, 'scoped.zip');
    const exported = await runCli(['export', 'bundle', '--config', config, ...PERIOD, '--out', bundle]);
    expect(exported.code).toBe(0);
    const bundled = (await readZipEntries(bundle)).get('report.html')!.toString('utf8');
    for (const framework of ['iso27001', 'nis2', 'c5']) expect(bundled).toContain(`id="framework-${framework}"`);
    // The security criteria in scope, not every SOC 2 category's.
    const criteria = (html: string) => /<strong>(\d+ \/ \d+)<\/strong>criteria with evidence in the period/.exec(html)?.[1];
    expect(criteria(bundled)).toBe(criteria(await readFile(out, 'utf8')));
    expect(bundled).not.toContain('title="A1.2 ');
  });

  it('keeps the report to SOC 2 without a configuration', async () => {
    const out = join(dir, 'soc2.html');
    expect((await runCli(['report', '--locker', locker, ...PERIOD, '--out', out])).code).toBe(0);
    expect(await readFile(out, 'utf8')).not.toContain('id="frameworks"');
  });
});
