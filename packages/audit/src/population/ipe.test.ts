/**
 * The IPE header says of each stream run a population rests on whether the
 * source's own total was matched, and why a run is not complete: a partial
 * run's reason (the API reported 8 members, 7 arrived) is the first thing an
 * auditor testing completeness needs. A total that counts only some of a
 * stream's records (members, not outside collaborators) is not a discrepancy
 * when the run is complete.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { pullRequestRecord } from '../checks/synthetic-records.js';
import { exportPopulation } from './export-population.js';
import { ipeLines } from './ipe.js';

const PERIOD = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  // A complete run whose total (6) counts fewer records than it stored (7), as GitHub's member count leaves out collaborators.
  await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', apiTotal: 6, records: Array.from({ length: 7 }, (_, index) => pullRequestRecord('github:acme', `acme/api#${index + 1}`)) }]);
  const run = await synthetic.locker.beginRun({ trigger: 'synthetic', collectorVersion: 'test', parameters: {} });
  const writer = await run.beginStream({ instance: 'jira', connector: 'jira', connectorVersion: '1.0.0', stream: 'changes', type: 'event', cursorBefore: null, rangeSince: null, rangeUntil: null });
  const body = await writer.putSnapshot({ method: 'GET', url: 'https://jira.example.invalid/rest/api/3/search', requestBody: null, status: 200, headers: {}, collectedAt: '2026-02-11T02:00:00.000Z', connector: 'jira', connectorVersion: '1.0.0', collectorVersion: 'test', identity: 'bot' }, ['CHG-1']);
  const change = pullRequestRecord('jira:acme', 'CHG-1');
  await writer.putRecord({ kind: change.kind, key: change.key, system: change.system, stream: 'jira/changes', occurredAt: change.occurredAt ?? null, data: change.data, sources: [body], controls: ['CC8.1'] });
  await writer.finish({ status: 'partial', error: 'received 1 of 2 change tickets the source reports', requests: 1, apiTotal: 2, cursorAfter: null });
  await run.commit();
});
afterAll(async () => synthetic.cleanup());

describe('the IPE header of each source', () => {
  it('says a complete run matched its total, and why a run is not complete', async () => {
    const { ipe } = await exportPopulation(synthetic.locker, { period: PERIOD, kind: 'change.request' }, 'jsonl', join(synthetic.dir, '..', 'changes.jsonl'));
    expect(ipe.sources.map((source) => [source.stream, source.status, source.error])).toEqual([
      ['github/pull_requests', 'complete', null],
      ['jira/changes', 'partial', 'received 1 of 2 change tickets the source reports'],
    ]);
    const lines = ipeLines(ipe).filter((line) => /^source \d+: /.test(line));
    expect(lines[0]).toContain(', complete, 2026-02-10T02:00:00.000Z to 2026-02-10T02:00:00.000Z; total reported by the source 6, matched by the records it counts, 7 records received,');
    expect(lines[1]).toContain(', partial (received 1 of 2 change tickets the source reports), ');
    expect(lines[1]).toContain('; total reported by the source 2, not matched: the run is partial, 1 records received,');
  });
});
