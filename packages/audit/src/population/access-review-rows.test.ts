/**
 * Access reviews as a population: one row per account of each review started
 * in the period with its decision, the IPE naming the signed entries and the
 * inventory run behind them, the formula guard on every cell, and the same
 * seeded sample from the same file.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashCanonical } from '@evidentia/evidence';
import { parsePeriod } from '@evidentia/time';
import { buildReview } from '../access-reviews/build.js';
import type { DecisionsBody, ReviewBody } from '../access-reviews/types.js';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { accountRecord } from '../checks/synthetic-records.js';
import { ACCESS_REVIEW_KIND } from './access-review-rows.js';
import { csvRecords } from './csv-records.js';
import { exportPopulation, ipeSidecarOf } from './export-population.js';
import type { Ipe } from './ipe.js';
import { drawSample } from './sample.js';

const GITHUB = 'github:acme';
const PERIOD = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;
let body: ReviewBody;
let file: string;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T00:00:00Z', [{ stream: 'github/members', type: 'state', records: ['alice', 'bob', '=cmd|calc', 'dan'].map((login) => accountRecord(GITHUB, login)) }]);
  body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body });
  const decisions = body.rows.filter((row) => row.account !== 'dan').map((row) => ({ row: row.row, account: row.account, decision: row.account === 'bob' ? ('revoke' as const) : ('keep' as const), reviewer: 'lead@acme.example', comment: '' }));
  const batch: DecisionsBody = { decisions, partial: true, file: { name: 'review.xlsx', sha256: 'a'.repeat(64) } };
  await synthetic.locker.appendAccessReview({ reviewId: 'AR-1', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: batch });
  file = join(synthetic.dir, '..', 'reviews.csv');
  await exportPopulation(synthetic.locker, { period: PERIOD, kind: ACCESS_REVIEW_KIND }, 'csv', file);
});
afterAll(async () => synthetic.cleanup());

describe('access-review population', () => {
  it('has one row per reviewed account with its decision, an undecided one left empty, and a record hash recomputable from the signed entries', async () => {
    const table: string[][] = [];
    for await (const { cells } of csvRecords(createReadStream(file, 'utf8'))) if (cells.join('') !== '') table.push(cells);
    const [header, ...rows] = table;
    const at = (row: string[], column: string) => row[header!.indexOf(column)];
    expect(header).toEqual(expect.arrayContaining(['review_id', 'account', 'person', 'privileges', 'suggested_action', 'decision', 'reviewer', 'decided_at']));
    expect(rows.map((row) => [at(row, 'account'), at(row, 'decision'), at(row, 'reviewer')])).toEqual([
      ["'=cmd|calc", 'keep', 'lead@acme.example'],
      ['alice', 'keep', 'lead@acme.example'],
      ['bob', 'revoke', 'lead@acme.example'],
      ['dan', '', ''],
    ]);
    const entries = await synthetic.locker.accessReviews();
    const bob = body.rows.find((row) => row.account === 'bob')!;
    const expected = hashCanonical({ review: entries[0]!.hash, row: bob, decision: { row: bob.row, account: 'bob', decision: 'revoke', reviewer: 'lead@acme.example', comment: '' } }).hash;
    expect(at(rows[2]!, 'record_hash')).toBe(expected);
    expect(at(rows[2]!, 'snapshot_hashes')).toBe(`${entries[0]!.hash} ${entries[1]!.hash}`);
  });

  it('says in its IPE header which signed entries and which inventory run the rows rest on', async () => {
    const ipe = JSON.parse(await readFile(ipeSidecarOf(file), 'utf8')) as Ipe & { lines: string[] };
    expect(ipe.kind).toBe(ACCESS_REVIEW_KIND);
    expect(ipe.items).toBe(4);
    expect(ipe.reviewEntries?.map((entry) => [entry.sequence, entry.kind, entry.reviewId])).toEqual([[1, 'review', 'AR-1'], [2, 'decisions', 'AR-1']]);
    expect(ipe.sources.map((source) => source.stream)).toEqual([body.sources[0]!.stream]);
    expect(ipe.lines.filter((line) => line.startsWith('access-review'))).toHaveLength(3);
  });

  it('draws the same rows for the same seed', async () => {
    const first = await drawSample(file, 2, 'seed-1');
    const again = await drawSample(file, 2, 'seed-1');
    expect(again.picks).toEqual(first.picks);
    expect(first.population.kind).toBe(ACCESS_REVIEW_KIND);
    expect(first.picks.every((pick) => pick.kind === ACCESS_REVIEW_KIND && pick.key.startsWith('AR-1 row '))).toBe(true);
  });

  it('is empty, saying why, for a period no review started in, and serves CC6.2 beside the accounts', async () => {
    const empty = await exportPopulation(synthetic.locker, { period: parsePeriod('2026-03-01..2026-03-31'), kind: ACCESS_REVIEW_KIND }, 'jsonl', join(synthetic.dir, '..', 'none.jsonl'));
    expect(empty.ipe.emptyReason).toMatch(/no access review was started in the period/);
    const cc62 = await exportPopulation(synthetic.locker, { period: PERIOD, control: 'CC6.2' }, 'jsonl', join(synthetic.dir, '..', 'cc62.jsonl'));
    expect(cc62.otherKinds).toContainEqual({ kind: ACCESS_REVIEW_KIND, items: 4 });
  });
});

describe('access-review population of a period a decision came after', () => {
  it('shows a row decided after the period ends as undecided at its end, saying when it was decided, and rests it on the review entry alone', async () => {
    const late = await createSyntheticLocker();
    try {
      await late.run('2026-02-20T00:00:00Z', [{ stream: 'github/members', type: 'state', records: ['erin', 'finn'].map((login) => accountRecord(GITHUB, login)) }]);
      const review = await buildReview(late.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
      await late.locker.appendAccessReview({ reviewId: 'AR-2', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body: review });
      const decide = (account: string) => ({ decisions: review.rows.filter((row) => row.account === account).map((row) => ({ row: row.row, account: row.account, decision: 'keep' as const, reviewer: 'lead@acme.example', comment: '' })), partial: true, file: { name: 'review.xlsx', sha256: 'b'.repeat(64) } });
      await late.locker.appendAccessReview({ reviewId: 'AR-2', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: decide('erin') });
      // The clock moves past the period's end (Feb 28) with the next run; finn is decided then.
      await late.run('2026-03-03T00:00:00Z', []);
      await late.locker.appendAccessReview({ reviewId: 'AR-2', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: decide('finn') });
      const out = join(late.dir, '..', 'late.csv');
      await exportPopulation(late.locker, { period: PERIOD, kind: ACCESS_REVIEW_KIND }, 'csv', out);
      const table: string[][] = [];
      for await (const { cells } of csvRecords(createReadStream(out, 'utf8'))) if (cells.join('') !== '') table.push(cells);
      const [header, ...rows] = table;
      const at = (row: string[], column: string) => row[header!.indexOf(column)];
      expect(rows.map((row) => [at(row, 'account'), at(row, 'decision'), at(row, 'decided_at')])).toEqual([
        ['erin', 'keep', '2026-02-20T00:00:00.000Z'],
        ['finn', '', ''],
      ]);
      expect(at(rows[1]!, 'summary')).toContain('undecided at the period\'s end (keep by lead@acme.example on 2026-03-03T00:00:00.000Z, after it)');
      const entries = await late.locker.accessReviews();
      expect(at(rows[1]!, 'snapshot_hashes')).toBe(entries[0]!.hash);
      // The next period, which the decision falls in, shows no row: the review started in February.
      const whole = await exportPopulation(late.locker, { period: parsePeriod('2026-02-01..2026-03-31'), kind: ACCESS_REVIEW_KIND }, 'jsonl', join(late.dir, '..', 'whole.jsonl'));
      expect(whole.ipe.items).toBe(2);
    } finally {
      await late.cleanup();
    }
  });
});
