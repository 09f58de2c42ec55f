/**
 * User access reviews in the bundle: the chain whole, the decided file of a
 * review started in the period, the review rows in the CC6.2 population, and
 * an edited decision, an altered decided file or a decisions entry without
 * its review named by `verify --bundle`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@evidentia/evidence';
import { ACCESS_REVIEW_KIND, buildReview, PeopleDirectory } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { exportBundle } from './export.js';
import { PATHS, type EntryLine } from './layout.js';
import { readZipEntries } from './rewrite-zip.js';
import { lines, messages, verifyTampered } from './tampering.test-support.js';
import { verifyBundle } from './verify.js';

const GH = 'github:acme';
const DECIDED = Buffer.from('review_id,row,account,decision\nAR-1,1,alice,keep\nAR-1,2,bob,revoke\n');
let synthetic: SyntheticLocker;
let dir: string;
let bundle: string;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: ['alice', 'bob'].map((login) => accountRecord(GH, login)) }]);
  const body = await buildReview(synthetic.locker, { system: GH, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'review', system: GH, addedBy: 'grc@acme.example', body });
  const decisions = body.rows.map((row) => ({ row: row.row, account: row.account, decision: row.account === 'bob' ? 'revoke' : 'keep', reviewer: 'lead@acme.example', comment: '' }));
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'decisions', system: GH, addedBy: 'grc@acme.example', body: { decisions, partial: false, file: { name: 'AR-1.csv', sha256: sha256Hex(DECIDED) } }, files: [DECIDED] });
  dir = await mkdtemp(join(tmpdir(), 'evidentia-bundle-reviews-'));
  bundle = join(dir, 'bundle.zip');
  await exportBundle({ locker: synthetic.locker, period: parsePeriod('2026-02-01..2026-02-28'), out: bundle, checks: [], people: new PeopleDirectory(), coverage: null, createdAt: new Date('2026-03-03T00:00:00Z') });
}, 60_000);
afterAll(async () => synthetic.cleanup());

const tampered = (name: string, edit: (entries: Map<string, Buffer>) => void) => verifyTampered(bundle, dir, name, edit);

describe('access reviews in the bundle', () => {
  it('carries the chain, the decided file and the review rows in the CC6.2 population; it verifies', async () => {
    const entries = await readZipEntries(bundle);
    const chain = lines(entries.get(PATHS.accessReviewEntries)!).map((line) => JSON.parse(line) as EntryLine & { entry: { kind: string; files?: string[] } });
    expect(chain.map((line) => [line.entry.kind, line.file])).toEqual([
      ['review', false],
      ['decisions', true],
    ]);
    expect(chain[1]!.entry.files).toEqual([sha256Hex(DECIDED)]);
    expect(entries.get(PATHS.accessReviewFile(sha256Hex(DECIDED)))).toEqual(DECIDED);
    expect(entries.get(PATHS.population('CC6.2'))!.toString().match(new RegExp(`^${ACCESS_REVIEW_KIND},`, 'gm'))).toHaveLength(2);
    expect(entries.get('README.md')!.toString()).toContain('access-reviews/entries.jsonl');
    const verified = await verifyBundle(bundle);
    expect(messages(verified)).toEqual([]);
    expect(verified.counts).toMatchObject({ accessReviews: 2 });
  });

  it('names an edited decision, an altered decided file and decisions whose review was taken out', async () => {
    const edited = await tampered('edited', (entries) => {
      const all = lines(entries.get(PATHS.accessReviewEntries)!);
      all[1] = all[1]!.replace('"decision":"revoke"', '"decision":"keep"');
      entries.set(PATHS.accessReviewEntries, Buffer.from(`${all.join('\n')}\n`));
    });
    expect(messages(edited)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^signature-invalid: access-review entry 2 \(decisions of review AR-1, github:acme\): the signature over entry [0-9a-f]{64} does not verify/),
        expect.stringMatching(/^file-altered: access-reviews\/entries\.jsonl hashes to /),
      ]),
    );
    const file = await tampered('file', (entries) => entries.set(PATHS.accessReviewFile(sha256Hex(DECIDED)), Buffer.from('AR-1,2,bob,keep\n')));
    expect(messages(file)).toEqual(expect.arrayContaining([expect.stringMatching(/^access-review-altered: access-review entry 2 \(decisions of review AR-1, github:acme\): its file does not hash to [0-9a-f]{64}/)]));
    const orphan = await tampered('orphan', (entries) => entries.set(PATHS.accessReviewEntries, Buffer.from(`${lines(entries.get(PATHS.accessReviewEntries)!)[1]}\n`)));
    expect(messages(orphan)).toEqual(
      expect.arrayContaining([
        'access-review-altered: access-review entry 2 (decisions of review AR-1, github:acme): decides review AR-1, which no earlier entry started',
        expect.stringMatching(/^chain-broken: access-review entry 2 .* follows the start: access-review 1 is missing or out of order$/),
      ]),
    );
  });
});
