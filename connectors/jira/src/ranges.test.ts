/**
 * The collection range in the JQL: an incremental run starts at the cursor
 * less the one-hour overlap, a backfill uses --since/--until, and the bounds
 * are written in the time zone of the account (JQL reads dates in it).
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, loadFixture } from './test-support.js';

const FIELDS = ['created', 'creator', 'customfield_10050', 'customfield_10051', 'issuelinks', 'issuetype', 'labels', 'project', 'reporter', 'resolution', 'resolutiondate', 'status', 'summary'];

/** myself (in the given time zone) and the field list from the demo cassette, then an empty count and search for `jql`. */
function emptyRange(jql: string, timeZone = 'UTC'): CassetteInput {
  const [myself, fields] = loadFixture('changes.json').interactions;
  const me = structuredClone(myself!);
  (me.response.body as Record<string, unknown>).timeZone = timeZone;
  return {
    format: 'evidentia.cassette/1',
    description: `nothing updated for ${jql}`,
    interactions: [
      me,
      fields!,
      { request: { method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql } }, response: { status: 200, body: { count: 0 } } },
      {
        request: { method: 'POST', path: '/rest/api/3/search/jql', body: { jql: `${jql} ORDER BY created ASC, key ASC`, fields: FIELDS, expand: 'changelog', maxResults: 100 } },
        response: { status: 200, body: { issues: [], isLast: true } },
      },
    ],
  };
}

describe('the collection range in JQL', () => {
  it('re-reads from the cursor less the one-hour overlap', async () => {
    const jql = '(project = CHG AND issuetype = Change) AND updated >= "2026-06-29 23:00" AND updated < "2026-07-01 00:00"';
    const { outcome } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [emptyRange(jql)], config: demoConfig(), cursor: '2026-06-30T00:00:00.000Z' });
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 0, records: 0, range: { since: new Date('2026-06-29T23:00:00Z') }, cursorAfter: '2026-07-01T00:00:00.000Z' });
  });

  it('back-fills --since/--until, written in the account’s time zone (Berlin, CET in winter)', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-02-01T00:00:00Z');
    const jql = '(project = CHG AND issuetype = Change) AND updated >= "2026-01-01 01:00" AND updated < "2026-02-01 01:00"';
    const { outcome } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [emptyRange(jql, 'Europe/Berlin')], config: demoConfig(), since, until });
    expect(outcome).toMatchObject({ status: 'complete', range: { since, until }, cursorAfter: '2026-02-01T00:00:00.000Z' });
  });

  it('fails the stream with Jira’s own message when the JQL is refused', async () => {
    const cassette = emptyRange('(project = CHG AND issuetype = Change) AND updated >= "2026-04-02 00:00" AND updated < "2026-07-01 00:00"');
    const message = "The value 'Change' does not exist for the field 'issuetype'.";
    cassette.interactions = [...cassette.interactions.slice(0, 2), { ...cassette.interactions[2]!, response: { status: 400, body: { errorMessages: [message], errors: {} } } }];
    const { outcome, sleeps } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [cassette], config: demoConfig() });
    expect(outcome).toMatchObject({ status: 'failed', error: `HTTP 400 on POST /rest/api/3/search/approximate-count: ${message}`, cursorAfter: null });
    expect(sleeps).toEqual([]);
  });

  it('rounds a range that does not fall on whole minutes outwards', async () => {
    const jql = '(project = CHG AND issuetype = Change) AND updated >= "2026-06-01 09:59" AND updated < "2026-06-01 11:01"';
    const { outcome } = await runConnectorFixture({
      connector: jiraConnector,
      stream: 'changes',
      cassettes: [emptyRange(jql, 'UTC')],
      config: demoConfig(),
      since: new Date('2026-06-01T09:59:30Z'),
      until: new Date('2026-06-01T11:00:00.001Z'),
    });
    expect(outcome.status).toBe('complete');
  });
});
