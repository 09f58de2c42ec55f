/**
 * End to end on the demo locker: evidence requests in the config, documents
 * added for them (one corrected), the request ledger in `coverage` (one
 * request fulfilled, one late, others overdue, one per new hire), bad input
 * refused whole, and `verify` catching a tampered document. Every document
 * here is made up.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

interface Entry {
  sequence: number;
  request: string;
  fileName: string;
  type: string;
  content: string;
  supersedes: number | null;
  supersededBy: number | null;
  subject: string | null;
  addedBy: string;
}
interface Occurrence {
  label: string;
  status: string;
  documents: number[];
  cause: string | null;
}
interface Line {
  id: string;
  expected: number;
  occurrences: Occurrence[];
}

const PDF = '%PDF-1.7\n1 0 obj << /Title (Risk assessment) >> endobj\n%%EOF\n';

let dir: string;
let config: string;
const file = (name: string) => join(dir, name);
const cli = (...args: string[]) => runCli([...args, '--config', config]);

async function entries(): Promise<Entry[]> {
  const listed = await cli('evidence', 'list', '--json');
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout) as Entry[];
}

async function requestLines(): Promise<{ code: number | null; lines: Line[] }> {
  const coverage = await cli('coverage', '--period', DEMO_PERIOD, '--json', '--no-notify');
  return { code: coverage.code, lines: (JSON.parse(coverage.stdout) as { requests: { requests: Line[] } }).requests.requests };
}

beforeAll(async () => {
  ({ dir } = await demoLocker('documents'));
  config = file('evidentia.yaml');
  await writeFile(
    config,
    [
      'locker: ./locker',
      'connectors: {}',
      'requests:',
      '  items:',
      '    risk-assessment: { owner: ciso@acme.example }',
      '    boundary-review: {}',
      '    background-checks: { graceDays: 0 }',
      '    pen-test: { title: External penetration test, criteria: [CC4.1, CC7.1], owner: ciso@acme.example, frequency: yearly }',
      'documents:',
      '  maxFileMegabytes: 0.05',
      '  addedBy: grc@acme.example',
      'people:',
      '  aliases:',
      '    carol@acme-corp.example: [carol@example.com]',
      '',
    ].join('\n'),
  );
  await writeFile(file('risk-2026.pdf'), PDF);
  await writeFile(file('risk-2026-v2.pdf'), PDF.replace('Risk assessment', 'Risk assessment, corrected'));
  await writeFile(file('firewall-review.csv'), 'rule,decision\nallow-443,keep\nallow-22,remove\n');
  await writeFile(file('nina-check.txt'), 'Background check completed for the new hire. Result: clear.\n');
  await writeFile(file('too-large.pdf'), `%PDF-1.7\n${'x'.repeat(60_000)}`);
  await writeFile(file('tool.pdf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]));
  // A link named like a policy, pointing at a file of another name, and one pointing at nothing.
  await symlink(file('risk-2026.pdf'), file('access-policy.pdf'));
  await symlink(join(dir, 'gone.pdf'), file('dangling.pdf'));
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('evidence requests and document evidence', () => {
  it('adds documents, corrects one, and judges every request over the period', async () => {
    const added = await cli('evidence', 'add', '--request', 'risk-assessment', '--effective', '2026-05-01', '--note', 'approved by the board', file('risk-2026.pdf'));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect((await cli('evidence', 'add', '--request', 'boundary-review', '--effective', '2026-04-10', file('firewall-review.csv'))).code).toBe(0);
    const check = await cli('evidence', 'add', '--request', 'background-checks', '--subject', 'nina.park@example.com', '--effective', '2026-04-10', '--by', 'hr@acme.example', file('nina-check.txt'));
    expect(check.code).toBe(0);
    const corrected = await cli('evidence', 'add', '--request', 'risk-assessment', '--effective', '2026-05-02', '--supersedes', '1', file('risk-2026-v2.pdf'));
    expect(corrected.code).toBe(0);

    const listed = await entries();
    expect(listed.map(({ sequence, request, fileName, type, supersedes, supersededBy, addedBy }) => ({ sequence, request, fileName, type, supersedes, supersededBy, addedBy }))).toEqual([
      { sequence: 1, request: 'risk-assessment', fileName: 'risk-2026.pdf', type: 'pdf', supersedes: null, supersededBy: 4, addedBy: 'grc@acme.example' },
      { sequence: 2, request: 'boundary-review', fileName: 'firewall-review.csv', type: 'csv', supersedes: null, supersededBy: null, addedBy: 'grc@acme.example' },
      { sequence: 3, request: 'background-checks', fileName: 'nina-check.txt', type: 'text', supersedes: null, supersededBy: null, addedBy: 'hr@acme.example' },
      { sequence: 4, request: 'risk-assessment', fileName: 'risk-2026-v2.pdf', type: 'pdf', supersedes: 1, supersededBy: null, addedBy: 'grc@acme.example' },
    ]);
    const text = await cli('evidence', 'list');
    expect(text.stdout).toMatch(/\n1 +risk-assessment +risk-2026\.pdf +pdf .* superseded by 4\n/);

    const shown = await cli('evidence', 'show', '1', '--out', file('copy.pdf'));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('note: approved by the board\n');
    expect(await readFile(file('copy.pdf'), 'utf8')).toBe(PDF);

    const { code, lines } = await requestLines();
    expect(code).toBe(1);
    const line = (id: string) => lines.find((candidate) => candidate.id === id)!;
    expect(lines.map((candidate) => candidate.id)).toEqual(['risk-assessment', 'boundary-review', 'background-checks', 'pen-test']);
    // Yearly over a period shorter than a year: one occurrence, due on the period's last day (today), answered by the correction only.
    expect(line('risk-assessment').occurrences).toEqual([expect.objectContaining({ status: 'fulfilled', documents: [4], cause: null })]);
    // Quarterly from the period's first day, 14 days' grace (the starter's).
    const quarters = line('boundary-review').occurrences;
    expect(quarters[0]).toMatchObject({ label: '2026-04-02..2026-07-01', status: 'late', documents: [2], cause: expect.stringMatching(/^document 2 was added \d{4}-\d{2}-\d{2}, after the deadline 2026-07-15$/) });
    expect(quarters[1]).toMatchObject({ label: '2026-07-02..2026-10-01', status: 'overdue', cause: 'no document effective 2026-07-02..2026-10-01; due 2026-10-01, overdue since 2026-10-16 (owner: infrastructure lead)' });
    // One occurrence per new hire in the period; Carol, told by two systems under two emails, is one (people.aliases).
    const hires = line('background-checks').occurrences;
    expect(hires.filter((hire) => hire.label.includes('carol'))).toHaveLength(1);
    expect(hires.find((hire) => hire.label.startsWith('joiner nina.park@example.com'))).toMatchObject({ status: 'late', documents: [3] });
    expect(hires.find((hire) => hire.label.includes('carol'))).toMatchObject({ status: 'overdue', cause: expect.stringContaining('due 2026-05-20, overdue since 2026-05-21 (owner: people lead)') });
    expect(line('pen-test').occurrences).toEqual([expect.objectContaining({ status: 'open' })]);

    const human = await cli('coverage', '--period', DEMO_PERIOD, '--no-notify');
    expect(human.stdout).toMatch(/\nevidence requests 2026-04-02\.\.\d{4}-\d{2}-\d{2} \(as of \d{4}-\d{2}-\d{2}\):\n/);
    expect(human.stdout).toMatch(/\nboundary-review +overdue +2026-07-02\.\.2026-10-01 +no document effective/);
    // This config names no connector: the hires come only from what the demo locker holds, and the request says it cannot be judged complete.
    expect(human.stdout).toMatch(/\nrequest background-checks NOT JUDGED: no configured stream collects personnel\.event records: only the \d+ joiner\(s\) the locker already holds are expected, and others of the period cannot be told \(configure an HR or directory connector, or switch the request off: requests\.items\.background-checks\.enabled: false\)\n/);
  }, 600_000);

  it('refuses bad input whole, each with one clear line and exit 2', async () => {
    const before = (await entries()).length;
    // Two days ahead in UTC (the config sets no time zone): still to come whenever the command runs after this line.
    const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const refusals: Array<[string[], RegExp]> = [
      [['--request', 'soc-report', file('risk-2026.pdf')], /^evidentia: unknown request "soc-report" in .*evidentia\.yaml: it has risk-assessment, boundary-review, background-checks, pen-test\n$/],
      [['--request', 'pen-test', file('risk-2026.pdf'), file('too-large.pdf')], /^evidentia: .*too-large\.pdf is 60009 bytes, over the limit of 0\.05 MB = 52428 bytes \(documents\.maxFileMegabytes in the config\)\n$/],
      [['--request', 'pen-test', file('risk-2026.pdf'), dir], /^evidentia: .* is a directory: name the files to add, one by one\n$/],
      [['--request', 'pen-test', file('risk-2026.pdf'), file('tool.pdf')], /^evidentia: tool\.pdf: not a PDF, PNG, JPEG, Word, Excel or PowerPoint document, CSV or UTF-8 text file \(told by its content\); refused\n$/],
      [['--request', 'pen-test', '--effective', '2026-02-30', file('risk-2026.pdf')], /^evidentia: --effective expects a day such as 2026-03-31, got "2026-02-30"\n$/],
      [['--request', 'boundary-review', '--effective', ahead, file('firewall-review.csv')], new RegExp(`^evidentia: --effective ${ahead} is after today \\(\\d{4}-\\d{2}-\\d{2} in UTC\\): a document cannot speak for a day still to come; add it on or after that day\n$`)],
      // Effective in year 1: stored and signed, it fell in no period and was never counted.
      [['--request', 'pen-test', '--effective', '0001-01-01', file('risk-2026.pdf')], /^evidentia: --effective 0001-01-01 is before 1970-01-01: no evidence is that old \(every time the locker records is later\), so no request would ever count the document; give the day it speaks for\n$/],
      [['--request', 'risk-assessment', '--supersedes', '1', file('risk-2026.pdf')], /^evidentia: document 1 is already superseded by document 4; supersede that one\n$/],
      // White space as who added it, or as whom it is about, was signed into the entry as it was.
      [['--request', 'pen-test', '--by', '   ', file('risk-2026.pdf')], /^evidentia: --by names no one: it is only white space\n$/],
      [['--request', 'background-checks', '--subject', ' ', file('nina-check.txt')], /^evidentia: --subject names no one: it is only white space\n$/],
      // Without --subject a per-event document answers no one's event: it was stored and never counted.
      [['--request', 'background-checks', file('nina-check.txt')], /^evidentia: --request background-checks is answered per joiner: give --subject, the person the document is about \(their email, id or name\)\n$/],
      // A link was followed and stored under the link's name: risk-2026.pdf's bytes recorded as "access-policy.pdf".
      [['--request', 'pen-test', file('access-policy.pdf')], new RegExp(`^evidentia: ${file('access-policy.pdf')} is a symbolic link to ${file('risk-2026.pdf')}: evidence add stores a file under its own name, never a link's; add the file itself\n$`)],
      [['--request', 'pen-test', file('risk-2026.pdf'), file('dangling.pdf')], new RegExp(`^evidentia: ${file('dangling.pdf')} is a symbolic link to ${join(dir, 'gone.pdf')}, which does not exist: evidence add stores a file under its own name, never a link's; add the file itself\n$`)],
    ];
    for (const [args, message] of refusals) {
      const refused = await cli('evidence', 'add', ...args);
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
    expect(await entries()).toHaveLength(before);
    expect((await cli('verify')).code).toBe(0);
  }, 600_000);

  it('verify names a document whose stored file was altered', async () => {
    const [first] = await entries();
    const path = join(dir, 'locker', 'objects', first!.content.slice(0, 2), first!.content.slice(2));
    const original = await readFile(path);
    const altered = Buffer.from(original);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 0xff;
    await writeFile(path, altered);
    const verified = await cli('verify');
    expect(verified.code).toBe(1);
    const problem = verified.stdout.split('\n').find((line) => line.startsWith('PROBLEM'));
    expect(problem).toMatch(new RegExp(`^PROBLEM object-altered: object ${first!.content} \\(document 1 \\("risk-2026\\.pdf" for request risk-assessment\\), its file\\)`));
    // The list said "superseded by 4" and nothing of the file: it reads each file back, as the request ledger does.
    const listed = await cli('evidence', 'list');
    expect(listed.code).toBe(1);
    expect(listed.stdout).toMatch(/\n1 +risk-assessment +risk-2026\.pdf +pdf .* superseded by 4; FILE ALTERED in the locker: run `evidentia verify`\n/);
    expect(listed.stdout).toMatch(/\n4 +risk-assessment +risk-2026-v2\.pdf +pdf .* current \(corrects 1\)\n/);
    expect(listed.stderr).toBe(`1 document(s) whose file in the locker is missing or altered: their entries show nothing; run \`evidentia verify\`\n`);
    const json = await cli('evidence', 'list', '--json');
    expect(json.code).toBe(1);
    const [damaged, ...others] = JSON.parse(json.stdout) as (Entry & { fileProblem: { state: string; message: string } | null })[];
    expect(damaged!.fileProblem).toEqual({ state: 'altered', message: expect.stringMatching(new RegExp(`^object ${first!.content} is altered: it .*; run \`evidentia verify\`$`)) });
    expect(others.map((entry) => entry.fileProblem)).toEqual(others.map(() => null));
    await rm(path);
    expect((await cli('evidence', 'list', '--request', 'risk-assessment')).stdout).toMatch(/ superseded by 4; FILE MISSING from the locker: run `evidentia verify`\n/);
    await writeFile(path, original);
    expect((await cli('verify')).code).toBe(0);
  }, 300_000);

  it("show --out never replaces a file already there (an auditor's own copy, notes on it)", async () => {
    await writeFile(file('annotated.pdf'), 'my notes on the policy\n');
    const refused = await cli('evidence', 'show', '1', '--out', file('annotated.pdf'));
    expect([refused.code, refused.stderr]).toEqual([2, `evidentia: --out ${file('annotated.pdf')}: the file already exists; evidence show never replaces a file: choose another name or move it away\n`]);
    expect(await readFile(file('annotated.pdf'), 'utf8')).toBe('my notes on the policy\n');
  }, 300_000);
});
