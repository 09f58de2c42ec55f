/**
 * End to end on the demo locker: `evidentia readiness` for SOC 2 and ISO
 * 27001 against expectations written by hand from the demo's `coverage` and
 * `check` output before the command existed, with four evidence requests
 * added to the demo's config (one fulfilled, one late then overdue then
 * open, one per new hire overdue, one open).
 *
 * Hand-written expectations, SOC 2 Security (33 criteria), period 2026-04-02..today:
 * - the demo collected every stream once, today: every stream has an open
 *   gap from the period's start (state) or 2026-07-01 (events, after the
 *   fixtures' range), cause not-configured;
 * - CC6.1 6.2 6.3 7.2 7.3 7.4 7.5 8.1: checks with exceptions (CC8.1:
 *   pull-request-approved 3, change-ticket-linked 4, …) and stream gaps →
 *   exceptions + gaps; CC6.2 and CC6.3 are also not assessed: the demo
 *   configures no accessReviews:, so access-review-performed has nothing to judge;
 * - CC1.4: its three personnel streams have gaps, and no background check was
 *   added for any joiner (Carol's due 2026-05-20) → overdue + gaps;
 * - CC6.6: boundary-review, the first quarter's document added late, the
 *   second quarter overdue since 2026-10-16, the last quarter open → exceptions + overdue + open;
 * - CC3.1-CC3.4: risk-assessment answered for the one (yearly) window, nothing
 *   else serves them → ready;
 * - CC2.2: security-training due on the period's last day, no document → open;
 * - the 18 others: no connector, check or request → no evidence path.
 * ISO 27001 through the mappings: A.8.32 (CC8.1 superset-of) exceptions + gaps;
 * A.5.16 (CC6.2 subset-of) exceptions + gaps + not assessed + partial; 6.1.2 (CC3.2
 * intersects-with) partial only, never ready; A.6.3 (CC1.4, CC2.2, both
 * intersects-with) overdue + gaps + open + partial; A.5.19 (CC9.2) no evidence
 * path; no ISO requirement is ready (only intersecting criteria are ready).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readiness, RequirementReadiness } from '../packages/audit/src/readiness/types.js';
import { readZipEntries } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

let dir: string;
let config: string;
const cli = (args: string[], env: Record<string, string> = {}) => runCli([...args, '--config', config], { env });

async function readiness(framework: string): Promise<Readiness> {
  const result = await cli(['readiness', '--framework', framework, '--period', DEMO_PERIOD, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Readiness;
}

const row = (result: Readiness, id: string): RequirementReadiness => result.requirements.find((requirement) => requirement.requirement === id)!;
const texts = (requirement: RequirementReadiness) => requirement.missing.map((problem) => problem.text);

beforeAll(async () => {
  ({ dir } = await demoLocker('readiness'));
  config = join(dir, 'evidentia.yaml');
  await appendFile(config, ['requests:', '  items:', '    risk-assessment: {}', '    boundary-review: {}', '    background-checks: {}', '    security-training: {}', ''].join('\n'));
  await writeFile(join(dir, 'risk.pdf'), '%PDF-1.7\n1 0 obj << /Title (Risk assessment) >> endobj\n%%EOF\n');
  await writeFile(join(dir, 'firewall.csv'), 'rule,decision\nallow-443,keep\n');
  for (const [requestId, effective, name] of [['risk-assessment', '2026-05-01', 'risk.pdf'], ['boundary-review', '2026-04-10', 'firewall.csv']] as const) {
    const added = await cli(['evidence', 'add', '--request', requestId, '--effective', effective, '--by', 'grc@acme.example', join(dir, name)]);
    if (added.code !== 0) throw new Error(`evidence add exited ${added.code}: ${added.stderr}`);
  }
}, 300_000);

describe('evidentia readiness end to end', () => {
  it('matches the hand-written SOC 2 expectations', async () => {
    const result = await readiness('soc2');
    expect(result.format).toBe('evidentia.readiness/1');
    expect(result.summary.requirements).toBe(33);
    expect(result.summary.byStatus).toEqual({ exceptions: 9, overdue: 1, gaps: 0, 'not-assessed': 0, 'no-evidence-path': 18, open: 1, partial: 0, ready: 4 });
    expect(result.summary.withStatus).toEqual({ exceptions: 9, overdue: 2, gaps: 9, 'not-assessed': 2, 'no-evidence-path': 18, open: 2, partial: 0, ready: 4 });

    for (const id of ['CC6.2', 'CC6.3']) expect(row(result, id).statuses).toEqual(['exceptions', 'gaps', 'not-assessed']);
    const cc81 = row(result, 'CC8.1');
    expect(cc81.statuses).toEqual(['exceptions', 'gaps']);
    expect(texts(cc81)).toEqual(expect.arrayContaining(['check pull-request-approved: 3 exceptions', 'check change-ticket-linked: 4 exceptions']));
    expect(texts(cc81)).toContainEqual(expect.stringMatching(/^stream github\/pull_requests gap 2026-07-01T00:00Z\.\.\S+ \(not-configured: the stream was first collected at \S+\)$/));
    expect(cc81.evidence.filter((path) => path.kind === 'check').map((path) => path.id).sort()).toEqual(['branch-protection', 'change-ticket-approved', 'change-ticket-linked', 'emergency-change-reviewed', 'pull-request-approved']);

    const cc14 = row(result, 'CC1.4');
    expect(cc14.statuses).toEqual(['overdue', 'gaps']);
    expect(texts(cc14)).toContainEqual(expect.stringMatching(/^request background-checks overdue since 2026-05-21: no document for joiner carol@\S+ on \d{4}-\d{2}-\d{2} \(owner: people lead\)$/));

    const cc66 = row(result, 'CC6.6');
    expect(cc66.statuses).toEqual(['exceptions', 'overdue', 'open']);
    expect(texts(cc66)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^request boundary-review fulfilled late for 2026-04-02\.\.2026-07-01: document 2 was added \S+, after the deadline 2026-07-15$/),
        'request boundary-review overdue since 2026-10-16: no document for 2026-07-02..2026-10-01 (owner: infrastructure lead)',
      ]),
    );

    for (const id of ['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4']) {
      expect(row(result, id)).toMatchObject({ status: 'ready', statuses: ['ready'], missing: [], evidence: [{ kind: 'request', id: 'risk-assessment', evidenced: true, summary: '1 of 1 fulfilled' }] });
    }
    expect(row(result, 'CC2.2')).toMatchObject({ statuses: ['open'], missing: [{ status: 'open', text: expect.stringMatching(/^request security-training due \d{4}-\d{2}-\d{2}: no document for 2026-04-02\.\.\S+ yet \(owner: security lead\)$/) }] });
    expect(row(result, 'CC9.2')).toMatchObject({ status: 'no-evidence-path', evidence: [], missing: [{ text: 'no connector, check or request maps here' }] });
  });

  it('matches the hand-written ISO 27001 expectations through the mappings', async () => {
    const result = await readiness('iso27001');
    expect(result.framework).toBe('iso27001');
    expect(row(result, 'A.8.32').statuses).toEqual(['exceptions', 'gaps']);
    expect(row(result, 'A.5.16').statuses).toEqual(['exceptions', 'gaps', 'not-assessed', 'partial']);
    expect(row(result, '6.1.2')).toMatchObject({ status: 'partial', statuses: ['partial'], missing: [{ text: 'SOC 2 evidence serves only part of it (through CC3.2 intersects-with): judge the rest' }] });
    expect(row(result, 'A.6.3').statuses).toEqual(['overdue', 'gaps', 'open', 'partial']);
    expect(row(result, 'A.5.19')).toMatchObject({ status: 'no-evidence-path', via: [{ criterion: 'CC9.2', relationship: 'intersects-with' }] });
    const { byStatus, requirements } = result.summary;
    expect(byStatus.ready).toBe(0);
    expect(Object.values(byStatus).reduce((sum, n) => sum + n, 0)).toBe(requirements);
    expect(result.requirements.filter((requirement) => requirement.via.length === 0).every((requirement) => texts(requirement)[0]?.startsWith('no SOC 2 mapping'))).toBe(true);
  });

  it('keeps the --json shape stable', async () => {
    const result = await readiness('soc2');
    expect(Object.keys(result)).toEqual(['format', 'framework', 'name', 'period', 'now', 'summary', 'requirements']);
    expect(Object.keys(result.summary)).toEqual(['requirements', 'byStatus', 'withStatus', 'todo']);
    expect(Object.keys(result.requirements[0]!)).toEqual(['requirement', 'label', 'status', 'statuses', 'evidence', 'missing', 'via']);
    expect(Object.keys(result.summary.todo[0]!)).toEqual(['status', 'text', 'requirements']);
    expect(result.period.since).toBe('2026-04-02T00:00:00.000Z');
  });

  it('prints a summary first and a table that fits the terminal; exit 0 with problems, 2 on bad input', async () => {
    const csv = join(dir, 'readiness.csv');
    const text = await cli(['readiness', '--period', DEMO_PERIOD, '--csv', csv], { COLUMNS: '110' });
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[1]).toBe('33 requirements: 9 exceptions, 1 overdue, 18 no evidence path, 1 open (due later), 4 ready');
    expect(lines[3]).toBe('top things to do:');
    const table = lines.slice(lines.findIndex((line) => line.startsWith('requirement  status')));
    expect(table.filter((line) => line.length > 110)).toEqual([]);
    expect(text.stdout).toMatch(/\nCC3\.2 +ready +1\/1 request\n/);
    expect((await readFile(csv, 'utf8')).split('\r\n')[0]).toBe('framework,requirement,label,status,statuses,evidenced_by,missing_status,missing');

    const framework = await cli(['readiness', '--framework', 'pci']);
    expect(framework.code).toBe(2);
    expect(framework.stderr).toContain('--framework pci: expected one of soc2, iso27001, nis2, c5');
    const period = await cli(['readiness', '--period', 'last-year']);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period expects A..B');
  });

  it('puts readiness in the HTML report and in the bundle, whose verification covers it', async () => {
    const report = join(dir, 'report.html');
    expect((await cli(['report', '--period', DEMO_PERIOD, '--out', report])).code).toBe(0);
    const html = await readFile(report, 'utf8');
    expect(html).toContain('<section id="readiness"><h2>Readiness</h2>');
    expect(html).toContain('id="readiness-soc2"');
    expect(html).toContain('<p>33 requirements: 9 exceptions, 1 overdue, 18 no evidence path, 1 open (due later), 4 ready.</p>');
    expect(html).toMatch(/<tr><td>CC3\.2<\/td><td>[^<]*<\/td><td><span class="status pass">ready<\/span><\/td>/);
    expect(html).toMatch(/<tr><td>CC8\.1<\/td><td>[^<]*<\/td><td><span class="status exception">exceptions<\/span> \+ <span class="status exception">gaps<\/span><\/td>/);

    const bundle = join(dir, 'bundle.zip');
    const exported = await cli(['export', 'bundle', '--period', DEMO_PERIOD, '--out', bundle]);
    expect(exported.code).toBe(0);
    const entries = await readZipEntries(bundle);
    const bundled = JSON.parse(entries.get('readiness/soc2.json')!.toString()) as Readiness;
    expect(bundled.summary.byStatus).toEqual((await readiness('soc2')).summary.byStatus);
    expect(entries.get('readiness/soc2.csv')!.toString()).toMatch(/^framework,requirement,label,status,statuses,evidenced_by,missing_status,missing\r\n/);
    expect(entries.get('report.html')!.toString()).toContain('id="readiness-soc2"');
    expect(entries.get('README.md')!.toString()).toContain('readiness/<framework>.json');
    const verified = await runCli(['verify', '--bundle', bundle]);
    expect(verified.stdout).toContain('bundle verified: no problems');
  });
});
