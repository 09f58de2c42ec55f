/**
 * Development links (the ticket's side of change traceability): with
 * `developmentLinks`, each change ticket's remote links are read from the
 * simulated Jira through the real jira.js client, and the pull requests they
 * name become `linkedChanges`; without it, no such request is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runStream, Secret } from '@evidentia/sdk';
import { MemorySink } from '@evidentia/testing';
import { JiraConfig } from './config.js';
import { jiraConnector } from './index.js';
import { linkedChanges } from './normalize-changes.js';
import { JiraSimulator } from './simulator.js';
import { SimWorkload } from './simulator-workload.js';

const NOW = new Date('2026-07-01T00:00:00Z');
const sim = new JiraSimulator();

beforeAll(async () => {
  await sim.start();
  const work = new SimWorkload(sim.site);
  const linked = work.create('CHG', NOW.getTime() - 3 * 86_400_000);
  linked.remoteLinks = ['https://github.com/acme-corp/api/pull/412', 'https://wiki.example.invalid/runbooks/db', 'https://github.com/acme-corp/api/pull/412/files'];
  work.create('CHG', NOW.getTime() - 2 * 86_400_000);
});
afterAll(() => sim.close());

async function collect(developmentLinks: boolean) {
  const config = JiraConfig.parse({
    host: 'https://acme.atlassian.net',
    baseUrl: sim.baseUrl,
    email: 'evidence-bot@example.com',
    apiToken: new Secret('test-token', '${env:JIRA_API_TOKEN}'),
    streams: { changes: { jql: 'project = CHG AND issuetype = Change', developmentLinks } },
  });
  const sink = new MemorySink();
  sim.served.length = 0;
  const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config, stream: 'changes', sink, cursor: null, collectorVersion: 'test', now: () => NOW });
  return { outcome, records: sink.records, remoteLinkRequests: sim.served.filter((served) => served.route.endsWith('/remotelink')) };
}

describe('development links of change tickets', () => {
  it('keeps the pull requests a ticket links, once each, resting on the remote-link snapshot', async () => {
    const { outcome, records, remoteLinkRequests } = await collect(true);
    expect(outcome.status).toBe('complete');
    expect(remoteLinkRequests).toHaveLength(2);
    expect(records.map((r) => [r.key, r.data.linkedChanges])).toEqual([
      ['CHG-1', ['acme-corp/api#412']],
      ['CHG-2', []],
    ]);
    expect(records[0]!.sources).toHaveLength(3);
  });

  it('sends no remote-link request and records no linkedChanges unless asked', async () => {
    const { records, remoteLinkRequests } = await collect(false);
    expect(remoteLinkRequests).toEqual([]);
    expect(records.every((r) => !('linkedChanges' in r.data))).toBe(true);
  });

  it('names a ticket whose remote links answer 404 (deleted after its search page) and is partial, not failed', async () => {
    const deleting = new JiraSimulator();
    await deleting.start();
    try {
      const work = new SimWorkload(deleting.site);
      const gone = work.create('CHG', NOW.getTime() - 3 * 86_400_000);
      work.create('CHG', NOW.getTime() - 2 * 86_400_000);
      deleting.inject('CHG', { kind: 'after-first-page', run: () => deleting.site.issues.delete(gone.key) });
      const config = JiraConfig.parse({
        host: 'https://acme.atlassian.net',
        baseUrl: deleting.baseUrl,
        email: 'evidence-bot@example.com',
        apiToken: new Secret('test-token', '${env:JIRA_API_TOKEN}'),
        streams: { changes: { jql: 'project = CHG AND issuetype = Change', developmentLinks: true } },
      });
      const sink = new MemorySink();
      const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config, stream: 'changes', sink, cursor: null, collectorVersion: 'test', now: () => NOW });
      expect(deleting.pendingFaults()).toEqual([]);
      expect(outcome).toMatchObject({ status: 'partial', apiTotal: 2, records: 1, cursorAfter: null });
      expect(sink.records.map((r) => r.key)).toEqual(['CHG-2']);
      expect(outcome.itemGaps).toEqual([{ item: 'issue CHG-1', reason: expect.stringMatching(/^its remote links answered 404 \(HTTP 404 on GET \/rest\/api\/3\/issue\/CHG-1\/remotelink: Issue does not exist/), inScope: true }]);
    } finally {
      await deleting.close();
    }
  });

  it('reads pull request URLs of any host as owner/repo#number, and nothing else', () => {
    expect(linkedChanges(['https://ghe.example.invalid/platform/billing/pull/7?tab=files', 'https://github.com/acme-corp/api/issues/3', 'https://github.com/acme-corp/api/pull/12#discussion'])).toEqual(['platform/billing#7', 'acme-corp/api#12']);
  });
});
