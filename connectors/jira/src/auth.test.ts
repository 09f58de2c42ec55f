/**
 * Authentication as sent by the real jira.js client through the SDK's fetch:
 * basic authentication with the account's email and API token, or a bearer
 * token; the header is observed on the wire, never stored in a snapshot.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret, runStream } from '@evidentia/sdk';
import { MemorySink, startReplayServer } from '@evidentia/testing';
import { JiraConfig } from './config.js';
import { jiraConnector } from './index.js';
import { DEMO_STREAMS, fixturePath, SITE, TEST_TOKEN } from './test-support.js';

async function authorizationHeaders(credentials: Record<string, unknown>): Promise<{ headers: string[]; sink: MemorySink }> {
  const server = await startReplayServer([fixturePath('incidents.json')]);
  const headers: string[] = [];
  const sink = new MemorySink();
  try {
    const config = JiraConfig.parse({ host: SITE, baseUrl: server.baseUrl, streams: DEMO_STREAMS, ...credentials });
    const observe: typeof fetch = (input, init) => {
      headers.push(new Headers(init?.headers).get('authorization') ?? '');
      return globalThis.fetch(input, init);
    };
    const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config, stream: 'incidents', sink, cursor: null, collectorVersion: 'test', fetch: observe, now: () => new Date('2026-07-01T00:00:00Z') });
    expect(outcome.status).toBe('complete');
    server.assertDone();
  } finally {
    await server.close();
  }
  return { headers, sink };
}

describe('authentication', () => {
  it('sends email and API token as basic authentication', async () => {
    const { headers, sink } = await authorizationHeaders({ email: 'evidence-bot@example.com', apiToken: new Secret(TEST_TOKEN, '${env:JIRA_API_TOKEN}') });
    expect(new Set(headers)).toEqual(new Set([`Basic ${Buffer.from(`evidence-bot@example.com:${TEST_TOKEN}`).toString('base64')}`]));
    expect(JSON.stringify(sink.snapshots)).not.toContain(Buffer.from(`evidence-bot@example.com:${TEST_TOKEN}`).toString('base64'));
  });

  it('sends a bearer token as it is', async () => {
    const { headers } = await authorizationHeaders({ bearerToken: new Secret('test-bearer-not-real', '${env:JIRA_BEARER_TOKEN}') });
    expect(new Set(headers)).toEqual(new Set(['Bearer test-bearer-not-real']));
  });
});
