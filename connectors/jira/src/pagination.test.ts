/**
 * The Jira lists through the SDK paginator, against the simulated Jira
 * (simulator.ts) and the real jira.js client: a page token served again is
 * tolerated without duplicates, a token that never moves on fails the stream
 * naming it, a changelog longer than the search embeds is read whole over
 * several pages, and a search cut short while the count reports everything
 * is partial.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStream, Secret } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { JiraConfig } from './config.js';
import { jiraConnector } from './index.js';
import { JiraSimulator } from './simulator.js';
import { SimWorkload } from './simulator-workload.js';

const NOW = new Date('2026-07-01T00:00:00Z');
const DAY = 86_400_000;
const sim = new JiraSimulator({ searchPageSize: 3, embeddedHistories: 1, changelogPageSize: 1 });

beforeAll(async () => {
  await sim.start();
  const work = new SimWorkload(sim.site);
  // 10 change tickets in the last ten days, each moved through review, approval and deployment.
  for (let i = 0; i < 10; i++) {
    const issue = work.create('CHG', NOW.getTime() - (10 - i) * DAY);
    for (let step = 1; step <= 3; step++) work.advance(issue, issue.created + step * 3_600_000);
  }
});
afterAll(() => sim.close());

async function collectChanges() {
  const config = JiraConfig.parse({
    host: 'https://acme.atlassian.net',
    baseUrl: sim.baseUrl,
    email: 'evidence-bot@example.com',
    apiToken: new Secret('test-token', '${env:JIRA_API_TOKEN}'),
    streams: { changes: { jql: 'project = CHG AND issuetype = Change' } },
  });
  const sink = new MemorySink();
  const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config, stream: 'changes', sink, cursor: null, collectorVersion: 'test', now: () => NOW });
  return { outcome, records: sink.records };
}

describe('Jira pagination', () => {
  it('reads every ticket once, with its whole changelog, when a page token is served again', async () => {
    sim.inject('CHG', { kind: 'repeat-token' });
    const { outcome, records } = await collectChanges();
    expect(sim.pendingFaults()).toEqual([]);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 10, records: 10 });
    expect(records.map((r) => r.key)).toEqual(Array.from({ length: 10 }, (_, i) => `CHG-${i + 1}`));
    // Three changelog entries, one embedded: the rest read one page at a time, the approval among them.
    expect(records.every((r) => (r.data.approvals as unknown[]).length === 1 && r.data.mergedAt !== null)).toBe(true);
  });

  it('fails, naming the token, when the search keeps serving the same page', async () => {
    for (let i = 0; i < 6; i++) sim.inject('CHG', { kind: 'repeat-token' });
    const { outcome } = await collectChanges();
    expect(sim.pendingFaults()).toEqual([]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/5 pages in a row brought no new item; stopped at cursor nextPageToken \S+/);
  });

  it('is partial, with both numbers, when the search stops early while the count reports every ticket', async () => {
    sim.inject('CHG', { kind: 'truncate', pages: 2 });
    const { outcome } = await collectChanges();
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 10, records: 6, error: 'received 6 of 10 issues matching the changes JQL the source reports', cursorAfter: null });
  });
});
