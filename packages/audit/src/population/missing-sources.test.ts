/**
 * A population that has items can still be missing a whole system: a stream
 * of its kind that is configured (or held records of it) but has no usable
 * evidence of the period contributes no row (or only the rows of a stale
 * inventory), and nothing in the file would otherwise say so. Its IPE header names each such stream with why, so an
 * auditor never takes the GitHub accounts for every account; a sample drawn
 * from it repeats the warning.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parsePeriod } from '@evidentia/time';
import type { SourcePlan } from '../checks/sources.js';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { accountRecord, configRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import { exportPopulation } from './export-population.js';
import { ipeLines } from './ipe.js';
import { drawSample } from './sample.js';
import { renderSample } from './sample-output.js';
import { sampleOfQuery } from './sample-query.js';

const PERIOD = parsePeriod('2026-02-01..2026-02-28');
const plan = (stream: string, kind: SourcePlan['kind'], type: SourcePlan['type']): SourcePlan => ({ stream, connector: stream.split('/')[0]!, kind, type, maxStalenessHours: 36 });
const PLANS: SourcePlan[] = [
  plan('github/members', 'access.account', 'state'),
  plan('aws/iam_users', 'access.account', 'state'),
  plan('slack/users', 'access.account', 'state'),
  plan('github/pull_requests', 'change.request', 'event'),
];
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  // Slack's users were read once, long before the period; AWS never; GitHub every week of it.
  await synthetic.run('2025-11-01T02:00:00Z', [{ stream: 'slack/users', type: 'state', records: [accountRecord('slack:acme', 'carol')] }]);
  for (const day of ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23']) {
    await synthetic.run(`${day}T02:00:00Z`, [
      { stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'alice'), accountRecord('github:acme', 'bob')] },
      { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#1')], range: { since: '2026-01-01T00:00:00Z', until: `${day}T02:00:00Z` } },
    ]);
  }
});
afterAll(async () => synthetic.cleanup());

describe('a population missing a source of its kind', () => {
  it('names in its IPE header every stream of the kind with no usable evidence of the period, and why', async () => {
    const file = join(synthetic.dir, '..', 'accounts.jsonl');
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, control: 'CC6.1' }, 'jsonl', file, { sources: PLANS });
    // Slack's November inventory is the one in effect at the start: its account is listed, stale.
    expect([ipe.kind, ipe.items, ipe.emptyReason]).toEqual(['access.account', 3, null]);
    expect(ipe.missingSources.map((source) => source.stream)).toEqual(['aws/iam_users', 'slack/users']);
    expect(ipe.missingSources[0]!.reason).toBe('aws/iam_users is configured but has never been collected');
    expect(ipe.missingSources[1]!.reason).toMatch(/^no inventory from slack\/users inside the period/);
    const lines = ipeLines(ipe);
    expect(lines).toContain('incomplete: aws/iam_users has no usable evidence of the period, so its access.account items may be missing from this population (aws/iam_users is configured but has never been collected)');
    expect(lines.some((line) => line.startsWith('incomplete: slack/users has no usable evidence of the period, so its access.account items'))).toBe(true);
  });

  it("names, in a criterion's population, the streams of the criterion's other kinds that gave it nothing", async () => {
    // CC6.1's accounts never arrived: its population holds the password policy, and must not read as all there is.
    const locker = await createSyntheticLocker();
    try {
      await locker.run('2026-02-10T02:00:00Z', [{ stream: 'aws/account_config', type: 'state', records: [configRecord('access.config', 'aws:acme', 'account', 'password-policy', { minimumLength: 14 })] }]);
      const plans = [plan('aws/account_config', 'access.config', 'state'), plan('aws/iam_users', 'access.account', 'state')];
      const { ipe } = await exportPopulation(locker.locker, { period: PERIOD, control: 'CC6.1' }, 'jsonl', join(locker.dir, '..', 'cc61.jsonl'), { sources: plans });
      expect([ipe.kind, ipe.items]).toEqual(['access.config', 1]);
      expect(ipe.missingSources).toEqual([{ stream: 'aws/iam_users', kind: 'access.account', reason: 'aws/iam_users is configured but has never been collected' }]);
      expect(ipeLines(ipe)).toContain('incomplete: aws/iam_users has no usable evidence of the period, so its access.account items may be missing from this population (aws/iam_users is configured but has never been collected)');
    } finally {
      await locker.cleanup();
    }
  });

  it('says nothing is missing when every stream of the kind has evidence of the period', async () => {
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'change.request' }, 'jsonl', join(synthetic.dir, '..', 'changes.jsonl'), { sources: PLANS });
    expect([ipe.items, ipe.missingSources]).toEqual([1, []]);
    expect(ipeLines(ipe).some((line) => line.startsWith('incomplete'))).toBe(false);
  });

  it('repeats the missing streams with a sample drawn from the file or computed on the spot', async () => {
    const file = join(synthetic.dir, '..', 'accounts.csv');
    await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 'csv', file, { sources: PLANS });
    for (const sample of [await drawSample(file, 1, 'seed'), await sampleOfQuery(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 1, 'seed', { periodText: '2026-02', sources: PLANS })]) {
      expect(sample.population.missingSources.map((source) => source.stream)).toEqual(['aws/iam_users', 'slack/users']);
      expect(renderSample(sample)).toContain('note: the population may lack items of aws/iam_users, which has no usable evidence of the period (aws/iam_users is configured but has never been collected)');
    }
  });

  it('shows the error a failed run took from its source as text, never as escape sequences a terminal obeys', async () => {
    // The API's own words end up in the run's error: here they would clear the screen and recolour what follows.
    const run = await synthetic.locker.beginRun({ trigger: 'synthetic', collectorVersion: 'test', parameters: {} });
    const writer = await run.beginStream({ instance: 'okta', connector: 'okta', connectorVersion: '1.0.0', stream: 'users', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null });
    await writer.finish({ status: 'failed', error: 'HTTP 500 \u001b[2J\u001b[32mall accounts read', requests: 1, apiTotal: null, cursorAfter: null });
    await run.commit();
    const plans = [...PLANS, plan('okta/users', 'access.account', 'state')];
    const sample = await sampleOfQuery(synthetic.locker, { period: PERIOD, kind: 'access.account' }, 1, 'seed', { periodText: '2026-02', sources: plans });
    const note = renderSample(sample).split('\n').find((line) => line.includes('okta/users'));
    expect(note).toContain('HTTP 500 \\x1b[2J\\x1b[32mall accounts read');
    expect(note).not.toContain('\u001b');
    // Nor when the population is empty and the error is why.
    const devices = [plan('okta/users', 'endpoint.device', 'state')];
    const refusal = await sampleOfQuery(synthetic.locker, { period: PERIOD, kind: 'endpoint.device' }, 1, 'seed', { periodText: '2026-02', sources: devices }).catch((error: unknown) => error as Error);
    expect((refusal as Error).message).toContain('last failed: HTTP 500 \\x1b[2J\\x1b[32mall accounts read');
    expect((refusal as Error).message).not.toContain('\u001b');
  });
});
