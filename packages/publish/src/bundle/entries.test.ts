/**
 * Document evidence and accepted exceptions in the bundle: both chains whole,
 * the files of the period's documents, accepted exceptions marked in the
 * check results and the report, and a tampered entry, file or chain named by
 * the verifier.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AcceptanceJudge, builtInChecks, computeLedger, PeopleDirectory, type RequestLedger } from '@evidentia/audit';
import { configRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { exportBundle } from './export.js';
import { PATHS, type EntryLine } from './layout.js';
import { readZipEntries } from './rewrite-zip.js';
import { lines, messages, verifyTampered } from './tampering.test-support.js';
import { verifyBundle } from './verify.js';

const GH = 'github:acme';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
const period = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;
let dir: string;
let bundle: string;

const doc = (fileName: string, effective: string, bytes: Buffer) => ({ request: 'risk-assessment', fileName, bytes, addedBy: 'grc@acme.example', effective, subject: null, note: null, supersedes: null });
const accept = (target: string) => ({ check: 'branch-protection', item: `${target}:branch_protection`, reason: 'legacy', approver: 'ciso@acme.example', until: '2026-03-31', recordedBy: 'grc@acme.example' });

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-02T02:00:00Z', [{ stream: 'github/branch_protection', type: 'state', records: [configRecord('change.config', GH, 'acme/a@main', 'branch_protection', {}, false)] }]);
  await synthetic.locker.addDocuments([doc('jan.pdf', '2026-01-15', PDF), doc('feb.txt', '2026-02-10', Buffer.from('minutes\n'))]);
  await synthetic.locker.acceptException(accept('acme/a@main'));
  await synthetic.locker.acceptException(accept('acme/b@main'));
  await synthetic.locker.acceptException(accept('acme/c@main'));
  dir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-entries-'));
  bundle = join(dir, 'bundle.zip');
  await exportBundle({
    locker: synthetic.locker,
    period,
    out: bundle,
    checks: builtInChecks.filter((check) => check.id === 'branch-protection').map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    coverage: null,
    acceptances: AcceptanceJudge.of(await synthetic.locker.acceptances(), period, 'UTC'),
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
}, 60_000);
afterAll(async () => synthetic.cleanup());

const tampered = (name: string, edit: (entries: Map<string, Buffer>) => void) => verifyTampered(bundle, dir, name, edit);

describe('documents and acceptances in the bundle', () => {
  it('carries both chains, the period\'s document files only, and the accepted exception in results and report; it verifies', async () => {
    const entries = await readZipEntries(bundle);
    const documents = lines(entries.get(PATHS.documentEntries)!).map((line) => JSON.parse(line) as EntryLine & { entry: { fileName: string; content: string } });
    expect(documents.map((line) => [line.entry.fileName, line.file])).toEqual([
      ['jan.pdf', false],
      ['feb.txt', true],
    ]);
    expect([...entries.keys()].filter((name) => name.startsWith('documents/files/'))).toEqual([PATHS.documentFile(documents[1]!.entry.content)]);
    expect(lines(entries.get(PATHS.acceptanceEntries)!)).toHaveLength(3);
    const results = JSON.parse(entries.get(PATHS.checks)!.toString()) as { checks: { result: string; accepted: number; findings: { acceptance?: { status: string } }[] }[]; acceptances: { unused: { id: number }[] } };
    expect(results.checks[0]).toMatchObject({ result: 'exceptions', accepted: 1, findings: [{ acceptance: { status: 'accepted' } }] });
    expect(results.acceptances.unused.map((acceptance) => acceptance.id)).toEqual([2, 3]);
    const report = entries.get(PATHS.report)!.toString();
    expect(report).toContain('<span class="status accepted">accepted</span> (#1) until 2026-03-31, approved by ciso@acme.example: legacy');
    expect(report).toContain('Acceptances no exception used');
    const verified = await verifyBundle(bundle);
    expect(messages(verified)).toEqual([]);
    expect(verified.counts).toMatchObject({ documents: 2, acceptances: 3 });
  });

  it('names an edited acceptance, a removed one and an altered document file', async () => {
    const edited = await tampered('edited', (entries) => {
      const all = lines(entries.get(PATHS.acceptanceEntries)!);
      all[0] = all[0]!.replace('"until":"2026-03-31"', '"until":"2099-12-31"');
      entries.set(PATHS.acceptanceEntries, Buffer.from(`${all.join('\n')}\n`));
    });
    expect(messages(edited)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^signature-invalid: acceptance 1 \(branch-protection, item "acme\/a@main:branch_protection"\): the signature over entry [0-9a-f]{64} does not verify/),
        expect.stringMatching(/^chain-broken: acceptance 2 .* links to previous entry [0-9a-f]{64}, but acceptance 1 has hash /),
        expect.stringMatching(/^file-altered: acceptances\/entries\.jsonl hashes to /),
      ]),
    );
    const removed = await tampered('removed', (entries) => {
      const all = lines(entries.get(PATHS.acceptanceEntries)!);
      entries.set(PATHS.acceptanceEntries, Buffer.from(`${[all[0], all[2]].join('\n')}\n`));
    });
    expect(messages(removed)).toEqual(expect.arrayContaining(['chain-broken: acceptance 3 (branch-protection, item "acme/c@main:branch_protection") follows acceptance 1: acceptance 2 is missing or out of order']));
    const file = await tampered('file', (entries) => {
      const path = [...entries.keys()].find((name) => name.startsWith('documents/files/'))!;
      entries.set(path, Buffer.from('forged minutes\n'));
    });
    expect(messages(file)).toEqual(expect.arrayContaining([expect.stringMatching(/^document-altered: document 2 \("feb\.txt" for request risk-assessment\): its file does not hash to [0-9a-f]{64}, the content its signed entry names$/)]));
  });
});

describe('a document the period\'s request ledger counts', () => {
  it('goes in with its file though its effective day is after the period (a background check added late for a hire of the period)', async () => {
    const check = { request: 'background-checks', fileName: 'ben-check.txt', bytes: Buffer.from('Background check: clear.\n'), addedBy: 'hr@acme.example', effective: '2026-03-02', subject: 'ben@acme.example', note: null, supersedes: null };
    const [added] = await synthetic.locker.addDocuments([check]);
    const requests: Pick<RequestLedger, 'requests'> = {
      requests: [
        {
          id: 'background-checks', title: 'Background checks', criteria: ['CC1.4'], owner: 'people lead', frequency: 'per-event', expected: 1, fulfilled: 0, late: 1, open: 0, overdue: 0,
          occurrences: [{ label: 'joiner ben@acme.example on 2026-02-16', from: '2026-02-16', to: '2026-02-16', due: '2026-02-23', deadline: '2026-02-23', status: 'late', documents: [added!.sequence], cause: `document ${added!.sequence} was added 2026-03-02, after the deadline 2026-02-23` }],
        },
      ],
    };
    const out = join(dir, 'requests.zip');
    const options = { locker: synthetic.locker, period, checks: [], people: new PeopleDirectory(), createdAt: new Date('2026-03-03T00:00:00Z') };
    await exportBundle({ ...options, out, coverage: { ledger: computeLedger({ period, now: options.createdAt, streams: [], downtimes: [] }, []), view: null, requests } });
    const entries = await readZipEntries(out);
    const line = lines(entries.get(PATHS.documentEntries)!).map((text) => JSON.parse(text) as EntryLine & { entry: { fileName: string; content: string } }).find((candidate) => candidate.entry.fileName === 'ben-check.txt')!;
    expect(line.file).toBe(true);
    expect(entries.get(PATHS.documentFile(line.entry.content))?.toString()).toBe('Background check: clear.\n');
    expect(messages(await verifyBundle(out))).toEqual([]);
    // Without the ledger citing it, its effective day alone decides: outside the period, no file.
    const bare = join(dir, 'bare.zip');
    await exportBundle({ ...options, out: bare, coverage: null });
    const bareLine = lines((await readZipEntries(bare)).get(PATHS.documentEntries)!).map((text) => JSON.parse(text) as EntryLine & { entry: { fileName: string } }).find((candidate) => candidate.entry.fileName === 'ben-check.txt')!;
    expect(bareLine.file).toBe(false);
  });
});
