/**
 * Report, populations and samples through the CLI on the demo locker: the
 * HTML report file, a population in every format with its IPE header and
 * neutralized cells, and samples that come out the same for the same seed
 * whichever way the population is given.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPopulation } from '../packages/audit/src/population/read-population.js';
import { readZipEntries } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

const PERIOD = ['--period', DEMO_PERIOD];
let locker: string;
let dir: string;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('report'));
}, 60_000);

interface SampleJson {
  seed: string;
  method: string;
  population: { items: number; recordDigest: string; criterion: string | null };
  picks: { pick: number; row: number; key: string; recordHash: string }[];
}

describe('evidentia report', () => {
  it('writes one self-contained HTML file without scripts', async () => {
    const out = join(dir, 'report.html');
    const result = await runCli(['report', '--locker', locker, ...PERIOD, '--out', out]);
    expect(result.code).toBe(0);
    // access-review-performed has no system in scope in the demo: not assessed, never a pass.
    expect(result.stdout).toContain('exception(s), 1 check(s) NOT ASSESSED in whole or part in 15 checks');
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src (&#39;|')none/);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(http/i);
    expect(html).toContain('acme-corp/web#88');
    expect(html).toContain('<svg class="timeline"');
  });

  it('runs only the checks in scope, as `check` does: the report and the bundle leave out one serving only a category out of scope', async () => {
    // A custom check serving only A1.2 (availability), with the default scope (security only).
    await writeFile(
      join(dir, 'uptime-check.mjs'),
      [
        'const settings = { safeParse: () => ({ success: true, data: {} }), parse: () => ({}) };',
        "export default { id: 'uptime-reviewed', title: 'Uptime reviewed', description: 'Capacity is reviewed.', criteria: ['A1.2'], reads: ['access.account'], settings,",
        "  async *evaluate() { yield { item: 'capacity', system: null, status: 'exception', reason: 'never reviewed', records: [] }; } };",
        '',
      ].join('\n'),
    );
    const config = join(dir, 'scoped.yaml');
    await writeFile(config, [`locker: ${JSON.stringify(locker)}`, 'connectors: {}', 'checks:', '  custom: [./uptime-check.mjs]', ''].join('\n'));
    const checked = await runCli(['check', '--config', config, ...PERIOD, '--json']);
    const ran = (JSON.parse(checked.stdout) as { checks: { id: string }[] }).checks.map((check) => check.id);
    expect(ran).not.toContain('uptime-reviewed');
    const out = join(dir, 'scoped.html');
    const report = await runCli(['report', '--config', config, ...PERIOD, '--out', out]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain(` in ${ran.length} checks`);
    expect(await readFile(out, 'utf8')).not.toContain('uptime-reviewed');
    const zip = join(dir, 'scoped.zip');
    const bundle = await runCli(['export', 'bundle', '--config', config, ...PERIOD, '--out', zip]);
    expect(bundle.code).toBe(0);
    const results = JSON.parse((await readZipEntries(zip)).get('checks/results.json')!.toString('utf8')) as { checks: { id: string }[] };
    expect(results.checks.map((check) => check.id)).toEqual(ran);
  });
});

describe('evidentia export population and sample', () => {
  it('writes the CC8.1 population with its IPE header in every format, and samples it reproducibly', async () => {
    const files = ['csv', 'xlsx', 'jsonl'].map((format) => join(dir, `cc81.${format}`));
    for (const file of files) {
      const result = await runCli(['export', 'population', '--locker', locker, '--control', 'CC8.1', ...PERIOD, '--out', file]);
      expect(result.code).toBe(0);
      // One kind per population: the change requests; the branch settings that also serve CC8.1 are named.
      expect(result.stdout).toMatch(/^\d+ change\.request items from \d+ stream run\(s\) written to \S+/);
      expect(result.stdout).toMatch(/^note: \d+ change\.config item\(s\) also serve CC8\.1: export them with --kind change\.config$/m);
      if (file.endsWith('.csv')) expect(result.stdout).toContain(`(how it was produced: ${join(dir, 'cc81.ipe.json')})`);
    }
    // The CSV is a plain table an auditor's tools open: the header row first, the kind's own columns after the common ones.
    const csv = await readFile(files[0]!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('kind,system,stream,key,summary,occurred_at,first_observed_at,last_observed_at,record_hash,snapshot_hashes,run_id,criteria,change_id,title,target,author,approvers,approved_at,merged_at,merged_by,tickets,emergency,review_decision,url');
    expect(csv.split('\r\n').slice(1, -1).every((line) => line.startsWith('change.request,'))).toBe(true);
    const sidecar = JSON.parse(await readFile(join(dir, 'cc81.ipe.json'), 'utf8')) as { criterion: string; kind: string; items: number; lines: string[] };
    expect(sidecar).toMatchObject({ criterion: 'CC8.1', kind: 'change.request', items: csv.split('\r\n').length - 2 });
    const lines = sidecar.lines.join('\n');
    expect(lines).toContain('population of: criterion CC8.1, record kind change.request');
    expect(lines).toMatch(/source \d+ query: POST \S+\/graphql body \{"query":/);
    expect(lines).toMatch(/total reported by the source 6, matched by the records it counts, 6 records received/);
    expect(lines).toContain('identity');
    const keys = async (file: string) => {
      const rows: string[] = [];
      for await (const row of readPopulation(file)) rows.push(`${row.kind} ${row.key} ${row.recordHash}`);
      return rows;
    };
    const fromCsv = await keys(files[0]!);
    expect(fromCsv.length).toBe(sidecar.items);
    expect(fromCsv.length).toBeGreaterThan(5);
    expect(await keys(files[1]!)).toEqual(fromCsv);
    expect(await keys(files[2]!)).toEqual(fromCsv);

    const samples: SampleJson[] = [];
    for (const file of files) {
      const result = await runCli(['sample', '--population', file, '--size', '5', '--seed', 'auditor-2026', '--json']);
      expect(result.code).toBe(0);
      samples.push(JSON.parse(result.stdout) as SampleJson);
    }
    const live = await runCli(['sample', '--locker', locker, '--control', 'CC8.1', ...PERIOD, '--size', '5', '--seed', 'auditor-2026', '--json']);
    samples.push(JSON.parse(live.stdout) as SampleJson);
    const picks = samples.map((sample) => sample.picks.map((pick) => pick.recordHash));
    for (const other of picks.slice(1)) expect(other).toEqual(picks[0]);
    expect(new Set(samples.map((sample) => sample.population.recordDigest)).size).toBe(1);
    expect(samples[0]).toMatchObject({ seed: 'auditor-2026', method: 'sha256-counter-fisher-yates/1', population: { criterion: 'CC8.1' } });
    const other = JSON.parse((await runCli(['sample', '--population', files[0]!, '--size', '5', '--seed', 'another', '--json'])).stdout) as SampleJson;
    expect(other.picks.map((pick) => pick.recordHash)).not.toEqual(picks[0]);
  }, 180_000);

  it('writes the sample with its seed, and refuses unusable arguments with exit 2', async () => {
    const out = join(dir, 'sample.csv');
    const result = await runCli(['sample', '--locker', locker, '--kind', 'access.account', ...PERIOD, '--size', '3', '--out', out]);
    expect(result.code).toBe(0);
    const written = await readFile(out, 'utf8');
    const seed = /seed: ([0-9a-f]{32})/.exec(written)?.[1];
    expect(seed).toBeDefined();
    // The period as the instants it was read as (its end, after now, cut to now), so the line draws the same items later.
    const [, since, until] = /; period (\S+) to (\S+)\r\n/.exec(written) ?? [];
    expect(written).toContain(`re-run: evidentia sample --kind access.account --period ${since}..${until} --size 3 --seed`);
    expect(written).toContain(`# note: --period ${DEMO_PERIOD} ends after now: the population holds the evidence up to ${until}`);
    expect((await runCli(['sample', '--locker', locker, '--size', '3'])).code).toBe(2);
    const hostileSeed = await runCli(['sample', '--locker', locker, '--kind', 'access.account', ...PERIOD, '--size', '3', '--seed', 'x\n=HYPERLINK("http://evil.example/")', '--out', join(dir, 'hostile.csv')]);
    expect([hostileSeed.code, hostileSeed.stderr.trim()]).toEqual([2, 'evidentia: --seed holds the control character U+000A: give a seed of plain text']);
    expect((await runCli(['export', 'population', '--locker', locker, '--control', 'CC8.1', ...PERIOD, '--out', join(dir, 'x.pdf')])).code).toBe(2);
    // The sample never takes the place of the population it was drawn from, nor of its IPE header.
    const population = join(dir, 'kept.csv');
    expect((await runCli(['export', 'population', '--locker', locker, '--control', 'CC8.1', ...PERIOD, '--out', population])).code).toBe(0);
    const before = [await readFile(population, 'utf8'), await readFile(join(dir, 'kept.ipe.json'), 'utf8')];
    for (const target of [population, join(dir, 'kept.ipe.json')]) {
      const over = await runCli(['sample', '--population', population, '--size', '2', '--seed', 's', '--out', target]);
      expect([over.code, over.stderr.trim()]).toEqual([2, `evidentia: --out ${target} would replace the population ${population} or its IPE header: write the sample to a file of its own`]);
    }
    expect([await readFile(population, 'utf8'), await readFile(join(dir, 'kept.ipe.json'), 'utf8')]).toEqual(before);
  }, 60_000);

  it('refuses an empty or truncated population and a size above it (exit 2, naming what and where); --all draws every item and says so', async () => {
    const file = join(dir, 'cc72.csv');
    expect((await runCli(['export', 'population', '--locker', locker, '--control', 'CC7.2', ...PERIOD, '--out', file])).code).toBe(0);
    const items = String((JSON.parse(await readFile(join(dir, 'cc72.ipe.json'), 'utf8')) as { items: number }).items);
    const tooMany = await runCli(['sample', '--population', file, '--size', String(Number(items) + 11), '--seed', 's']);
    expect([tooMany.code, tooMany.stderr.trim()]).toEqual([2, `evidentia: --size ${Number(items) + 11} is more than the ${items} item(s) of the population in ${file}; pass --all to draw every item`]);
    const all = await runCli(['sample', '--population', file, '--size', String(Number(items) + 11), '--seed', 's', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(`size: ${items} of ${items} (--all: every item of the population drawn)`);
    const cut = join(dir, 'cut.csv');
    const text = await readFile(file, 'utf8');
    await writeFile(cut, text.slice(0, text.length - 30));
    const truncated = await runCli(['sample', '--population', cut, '--size', '1']);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/cut\.csv line \d+: .*truncated/);
    const empty = join(dir, 'empty.csv');
    const exported = await runCli(['export', 'population', '--locker', locker, '--kind', 'change.request', '--period', '2020-01-01..2020-01-31', '--out', empty]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain('the population is EMPTY because no complete collection from github/pull_requests reaches into the period');
    const fromEmpty = await runCli(['sample', '--population', empty, '--size', '1']);
    expect(fromEmpty.code).toBe(2);
    expect(fromEmpty.stderr).toContain('the population has no rows (');
    // A CSV without its sidecar has no IPE header: refused, naming the sidecar to keep beside it.
    await writeFile(join(dir, 'lone.csv'), text);
    const lone = await runCli(['sample', '--population', join(dir, 'lone.csv'), '--size', '1']);
    expect([lone.code, lone.stderr.trim()]).toEqual([2, `evidentia: --population ${join(dir, 'lone.csv')}: no IPE header: keep ${join(dir, 'lone.ipe.json')} beside the population (it says how the list was produced and how many rows it holds)`]);
  }, 180_000);
});
