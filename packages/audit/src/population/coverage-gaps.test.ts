/**
 * A population can rest on evidence of the period that does not cover it: the
 * accounts read once in January of a six-month period are usable evidence (an
 * inventory inside the period), yet an account created in March and removed
 * in May is in no inventory and so in no row. The coverage ledger knows the
 * stream was not collected from January on; the population's IPE header says
 * so for each stream it draws from, and a sample drawn from it repeats it. A
 * terminal names up to three such streams a line each, more in one line (as
 * `check` does); the IPE header and the sample's file still name each one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parsePeriod } from '@evidentia/time';
import type { SourcePlan } from '../checks/sources.js';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { accountRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import { planOf } from '../coverage/history.test-support.js';
import { coverageGapWarnings } from './empty-reason.js';
import { exportPopulation } from './export-population.js';
import { ipeLines } from './ipe.js';
import { drawSample } from './sample.js';
import { renderSample, sampleCsv } from './sample-output.js';
import { sampleOfQuery } from './sample-query.js';

const PERIOD = parsePeriod('2026-01-01..2026-06-30');
const AFTER = new Date('2026-08-01T00:00:00Z');
const plan = (stream: string, kind: SourcePlan['kind'], type: SourcePlan['type']): SourcePlan => ({ stream, connector: stream.split('/')[0]!, kind, type, maxStalenessHours: 36 });
const PLANS: SourcePlan[] = [plan('github/members', 'access.account', 'state'), plan('github/pull_requests', 'change.request', 'event'), plan('aws/iam_users', 'access.account', 'state')];
// Daily inventories, pull requests hourly: what the daemon was configured to do.
const SCHEDULES = [planOf({ id: 'github/members', type: 'state', schedule: '0 2 * * *' }), planOf({ id: 'github/pull_requests', type: 'event', schedule: '0 2 * * *' }), planOf({ id: 'aws/iam_users', type: 'state' })];
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  // The members were read on the period's first two days, then never again; the pull requests were collected whole every day.
  for (let day = 0; day < 182; day++) {
    const at = new Date(Date.UTC(2026, 0, 1, 2) + day * 86_400_000).toISOString();
    const members = day < 2 ? [{ stream: 'github/members', type: 'state' as const, records: [accountRecord('github:acme', 'alice'), accountRecord('github:acme', 'bob')] }] : [];
    await synthetic.run(at, [...members, { stream: 'github/pull_requests', type: 'event', records: day === 40 ? [pullRequestRecord('github:acme', 'acme/api#1')] : [], range: { since: day === 0 ? '2025-12-01T00:00:00Z' : new Date(Date.parse(at) - 86_400_000).toISOString(), until: at } }]);
  }
}, 120_000);
afterAll(async () => synthetic.cleanup());

describe('a population whose streams have open coverage gaps in the period', () => {
  it('names in its IPE header the stream of its kind not collected for most of the period, with the gap', async () => {
    const file = join(synthetic.dir, '..', 'accounts.jsonl');
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'jsonl', file, { sources: PLANS, schedules: SCHEDULES, generatedAt: AFTER });
    expect(ipe.items).toBe(2);
    // The members' inventories are evidence of the period: not a missing source, which AWS (never collected) is.
    expect(ipe.missingSources.map((source) => source.stream)).toEqual(['aws/iam_users']);
    // Nothing tells the state before the first inventory (02:00 on the first day); the second (2026-01-02 02:00) stands
    // for 36 hours, and from then to the period's end nothing was collected.
    expect(ipe.coverageGaps).toEqual([{ stream: 'github/members', kind: 'access.account', gaps: ['2026-01-01T00:00Z..2026-01-01T02:00Z', '2026-01-03T14:00Z..2026-07-01T00:00Z'] }]);
    expect(ipeLines(ipe)).toContain(
      'incomplete: github/members has 2 open coverage gaps in the period (2026-01-01T00:00Z..2026-01-01T02:00Z, 2026-01-03T14:00Z..2026-07-01T00:00Z), so its access.account items of that time may be missing from this population (see coverage)',
    );
  });

  it('says nothing of a stream collected all through the period, nor without schedules to judge by', async () => {
    const changes = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'change.request' }, 'jsonl', join(synthetic.dir, '..', 'changes.jsonl'), { sources: PLANS, schedules: SCHEDULES, generatedAt: AFTER });
    expect([changes.ipe.items, changes.ipe.coverageGaps]).toEqual([1, undefined]);
    expect(ipeLines(changes.ipe).some((line) => line.startsWith('incomplete'))).toBe(false);
    const unscheduled = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'jsonl', join(synthetic.dir, '..', 'plain.jsonl'), { sources: PLANS, generatedAt: AFTER });
    expect(unscheduled.ipe.coverageGaps).toBeUndefined();
  });

  it("names the gaps of a criterion's streams in its population, whichever kind the file holds", async () => {
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, control: 'CC6.1' }, 'jsonl', join(synthetic.dir, '..', 'cc61.jsonl'), { sources: PLANS, schedules: SCHEDULES, generatedAt: AFTER });
    expect(ipe.coverageGaps?.map((source) => source.stream)).toEqual(['github/members']);
  });

  it('repeats the gaps with a sample drawn from the file or computed on the spot', async () => {
    const file = join(synthetic.dir, '..', 'accounts.csv');
    await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'csv', file, { sources: PLANS, schedules: SCHEDULES, generatedAt: AFTER });
    const computed = await sampleOfQuery(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 1, 'seed', { periodText: '2026-01..2026-06', sources: PLANS, schedules: SCHEDULES });
    for (const sample of [await drawSample(file, 1, 'seed'), computed]) {
      expect(sample.population.coverageGaps.map((source) => source.stream)).toEqual(['github/members']);
      expect(renderSample(sample)).toMatch(/note: github\/members has 2 open coverage gaps in the period \(2026-01-01T00:00Z\.\.2026-01-01T02:00Z, 2026-01-03T14:00Z\.\.[^)]+\): the population may lack its access\.account items of that time \(see coverage\)/);
    }
  });
});

describe('a population drawing from more than three streams with open coverage gaps', () => {
  const STREAMS = ['aws/iam_users', 'github/members', 'google/users', 'okta/users', 'slack/users'];
  const plans = STREAMS.map((stream) => plan(stream, 'access.account', 'state'));
  const schedules = STREAMS.map((stream) => planOf({ id: stream, type: 'state' }));
  let many: SyntheticLocker;

  beforeAll(async () => {
    many = await createSyntheticLocker();
    // One inventory of each at the period's start, none after: every stream has a gap over the rest of the period.
    await many.run('2026-01-01T02:00:00.000Z', STREAMS.map((stream) => ({ stream, type: 'state' as const, records: [accountRecord(`${stream.split('/')[0]!}:acme`, 'alice')] })));
  }, 120_000);
  afterAll(async () => many.cleanup());

  it('keeps every stream in the IPE header and the sample file, and says it in one line on the terminal', async () => {
    const file = join(many.dir, '..', 'accounts.csv');
    const { ipe } = await exportPopulation(many.locker, { period: PERIOD, kind: 'access.account' }, 'csv', file, { sources: plans, schedules, generatedAt: AFTER });
    expect(ipe.coverageGaps?.map((source) => source.stream)).toEqual(STREAMS);
    const perStream = (line: string) => /^incomplete: \S+ has 2 open coverage gaps/.test(line);
    expect(ipeLines(ipe).filter(perStream)).toHaveLength(STREAMS.length);

    expect(coverageGapWarnings(ipe.coverageGaps ?? [])).toEqual([
      "the population may be INCOMPLETE: 5 streams it draws from have open coverage gaps in the period (aws/iam_users, github/members, google/users, okta/users, slack/users), so their items of those times may be missing (see coverage; the IPE header names each stream's gaps)",
    ]);
    // Up to three, each stream its own line, as before.
    expect(coverageGapWarnings(ipe.coverageGaps!.slice(0, 3)).map((line) => line.split(' has ')[0])).toEqual(['the population may be INCOMPLETE: aws/iam_users', 'the population may be INCOMPLETE: github/members', 'the population may be INCOMPLETE: google/users']);

    const sample = await drawSample(file, 1, 'seed');
    expect(sample.population.coverageGaps).toHaveLength(STREAMS.length);
    const notes = renderSample(sample).split('\n').filter((line) => line.includes('open coverage gap'));
    expect(notes).toEqual([
      "note: 5 streams the population draws from have open coverage gaps in the period (aws/iam_users, github/members, google/users, okta/users, slack/users): it may lack their items of those times (see coverage; the population's IPE header names each stream's gaps)",
    ]);
    // The sample's file is kept with the evidence: it names each stream, as the population's header does.
    expect(sampleCsv(sample).split('\n').filter((line) => /note: \S+ has 2 open coverage gaps/.test(line))).toHaveLength(STREAMS.length);
  });
});
