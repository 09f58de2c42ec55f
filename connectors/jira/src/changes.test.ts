/**
 * The changes stream against the hand-built demo cassette: the change
 * population for CC8.1 with the exceptions an auditor looks for (approved only
 * after it shipped, an emergency change), a truncated changelog read in full,
 * two search pages, and the exact JQL kept in each snapshot's provenance.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, fixturePath, loadFixture, TEST_TOKEN } from './test-support.js';

const JQL = '(project = CHG AND issuetype = Change) AND updated >= "2026-04-02 00:00" AND updated < "2026-07-01 00:00"';
const CAROL = '712020:00000000-0000-4000-8000-00000000a003';
const DAVE = '712020:00000000-0000-4000-8000-00000000a004';
const ERIN = '712020:00000000-0000-4000-8000-00000000a005';

type Change = { approvals: Array<{ reviewer: { login: string | null }; state: string; at: string | null }>; mergedAt: string | null } & Record<string, unknown>;

function change(records: EvidenceRecord[], key: string): Change {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record for ${key}`);
  return record.data as Change;
}

const run = (cassette: string | CassetteInput = fixturePath('changes.json')) => runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [cassette], config: demoConfig() });

/** changes.json with CHG-101's changelog ending in an empty page while Jira still reports two more entries than were served. */
function shortChangelogCassette(): CassetteInput {
  const cassette = loadFixture('changes.json');
  const index = cassette.interactions.findIndex((i) => i.request.path.startsWith('/rest/api/3/issue/CHG-101/changelog'));
  const first = cassette.interactions[index]!;
  const body = first.response.body as { total: number; isLast: boolean; values: unknown[] };
  Object.assign(body, { total: body.values.length + 2, isLast: false });
  const empty = structuredClone(first);
  empty.request.path = `/rest/api/3/issue/CHG-101/changelog?startAt=${body.values.length}&maxResults=100`;
  Object.assign(empty.response.body as object, { startAt: body.values.length, values: [] });
  cassette.interactions.splice(index + 1, 0, empty);
  return cassette;
}

describe('changes stream', () => {
  it('collects every change ticket updated in the first 90-day range, over two search pages', async () => {
    const { outcome, records, requests } = await run();
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4, records: 4, requests: 6, cursorAfter: '2026-07-01T00:00:00.000Z' });
    expect(outcome.identity).toBe('evidence-bot@example.com (712020:00000000-0000-4000-8000-0000000000b0)');
    expect(records.map((r) => r.key)).toEqual(['CHG-101', 'CHG-102', 'CHG-103', 'CHG-104']);
    expect(records.every((r) => r.controls.includes('CC8.1') && r.system === 'jira:acme.atlassian.net')).toBe(true);
    expect(requests.filter((r) => r.path === '/rest/api/3/search/jql').map((r) => (r.body as { nextPageToken?: string }).nextPageToken)).toEqual([undefined, 'ChkjU3RyaW5nJlEwaEg6MTAxMDI9']);
  });

  it('keeps each ticket\'s current status and resolution as Jira names them', async () => {
    const { records } = await run();
    expect(records.map((r) => [r.key, r.data.status, r.data.resolution])).toEqual([
      ['CHG-101', 'Deployed', 'Done'],
      ['CHG-102', 'Closed', 'Done'],
      ['CHG-103', 'Deployed', 'Done'],
      ['CHG-104', 'Approved', null],
    ]);
  });

  it('keeps the exact JQL sent, in the request body of each search snapshot', async () => {
    const { snapshots } = await run();
    const searches = snapshots.filter((s) => s.provenance.url.endsWith('/rest/api/3/search/jql'));
    expect(searches).toHaveLength(2);
    for (const search of searches) {
      expect(search.provenance).toMatchObject({ method: 'POST', requestBody: { jql: `${JQL} ORDER BY created ASC, key ASC`, expand: 'changelog', maxResults: 100 } });
      expect(search.provenance.identity).toContain('evidence-bot@example.com');
    }
    expect(snapshots.find((s) => s.provenance.url.endsWith('/approximate-count'))?.provenance.requestBody).toEqual({ jql: JQL });
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('reads a truncated changelog in full, so the approval that dropped out of the search is kept', async () => {
    const { records, snapshots } = await run();
    const chg101 = change(records, 'CHG-101');
    expect(chg101.approvals).toEqual([{ reviewer: expect.objectContaining({ login: CAROL, name: 'Carol Lead' }), state: 'approved', at: '2026-04-11T10:00:00.000Z', revision: null }]);
    // Deployed, rolled back, deployed again: it shipped at the first deployment and closed at the last.
    expect(chg101).toMatchObject({ mergedAt: '2026-04-12T15:00:00.000Z', mergedBy: expect.objectContaining({ login: DAVE }), closedAt: '2026-04-14T11:00:00.000Z' });
    const changelog = snapshots.find((s) => s.provenance.url.includes('/issue/CHG-101/changelog'))!;
    expect(records.find((r) => r.key === 'CHG-101')?.sources).toContain(changelog.hash);
  });

  it('is partial, naming the ticket, when a changelog ends before the entries Jira reports', async () => {
    const { outcome, records } = await run(shortChangelogCassette());
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 4, records: 3, cursorAfter: null });
    expect(records.map((r) => r.key)).toEqual(['CHG-102', 'CHG-103', 'CHG-104']);
    expect(outcome.itemGaps).toEqual([{ item: 'issue CHG-101', reason: expect.stringContaining('its changelog ended after 5 of the 7 entries Jira reports'), inScope: true }]);
    expect(outcome.error).toContain('received 3 of 4 issues matching the changes JQL');
  });

  it('records a change approved only after it was deployed, for a check to flag', async () => {
    const { records } = await run();
    const late = change(records, 'CHG-102');
    expect(late.mergedAt).toBe('2026-05-03T18:00:00.000Z');
    expect(late.approvals.map((a) => [a.reviewer.login, a.at])).toEqual([[CAROL, '2026-05-04T09:00:00.000Z']]);
    expect(Date.parse(late.approvals[0]!.at!)).toBeGreaterThan(Date.parse(late.mergedAt!));
  });

  it('flags the emergency change and links the incident', async () => {
    const { records } = await run();
    expect(change(records, 'CHG-103')).toMatchObject({ emergency: true, linkedTickets: ['INC-8'], url: 'https://acme.atlassian.net/browse/CHG-103', target: 'CHG' });
    expect(records.filter((r) => r.data.emergency === true).map((r) => r.key)).toEqual(['CHG-103']);
  });

  it('lists approvers named in the field who did not move the ticket, and nothing deployed yet', async () => {
    const { records } = await run();
    const pending = change(records, 'CHG-104');
    expect(pending.approvals.map((a) => [a.reviewer.login, a.state, a.at])).toEqual([
      [CAROL, 'approved', '2026-06-22T09:00:00.000Z'],
      [ERIN, 'approved', '2026-06-22T09:00:00.000Z'],
    ]);
    expect(pending).toMatchObject({ mergedAt: null, closedAt: null });
    expect(records.find((r) => r.key === 'CHG-104')?.occurredAt).toBe('2026-06-20T10:00:00.000Z');
  });
});
