/**
 * connectors/slack/fixtures/demo.json, the cassette `evidentia demo` can serve: both
 * streams, run one after the other against one replay server as a collection
 * run would, use every recorded answer and tell one coherent story.
 */
import { describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { FIXTURE_COLLECTOR_VERSION, MemorySink, startReplayServer } from '@evidentia/testing';
import { slackConnector } from './index.js';
import { fixturePath, testConfig } from './test-support.js';

const since = new Date('2026-04-02T00:00:00Z');
const until = new Date('2026-07-01T00:00:00Z');

describe('connectors/slack/fixtures/demo.json', () => {
  it('serves the users and incident_channels streams of the demo workspace', async () => {
    const server = await startReplayServer([fixturePath('demo.json')]);
    const sink = new MemorySink();
    try {
      const config = testConfig()(server.baseUrl);
      const common = { connector: slackConnector, instance: 'slack', config, sink, cursor: null, collectorVersion: FIXTURE_COLLECTOR_VERSION, now: () => until };
      const users = await runStream({ ...common, stream: 'users' });
      const incidents = await runStream({ ...common, stream: 'incident_channels', since, until });
      expect([users.status, incidents.status]).toEqual(['complete', 'complete']);
      server.assertDone();
    } finally {
      await server.close();
    }
    const byKey = new Map(sink.records.map((r) => [r.key, r.data]));
    expect([...byKey.keys()].sort()).toEqual(['C0INC00001', 'user:U0ALICE001', 'user:U0BOB00001', 'user:U0CAROL001', 'user:U0DAN00001', 'user:U0ERIN0001', 'user:USLACKBOT']);
    expect(byKey.get('user:U0BOB00001')).toMatchObject({ status: 'deleted' });
    expect(byKey.get('user:U0DAN00001')).toMatchObject({ status: 'deleted' });
    expect(byKey.get('user:U0ERIN0001')).toMatchObject({ accountType: 'guest' });
    expect(byKey.get('user:U0CAROL001')).toMatchObject({ privileged: true, mfa: 'disabled' });
    expect(byKey.get('C0INC00001')).toMatchObject({
      title: '#inc-2026-05-payments: Payments API returning 502s',
      severity: 'SEV1',
      status: 'resolved',
      resolvedAt: '2026-05-12T10:40:00.000Z',
      postMortem: 'https://docs.example.com/post-mortems/2026-05-payments',
    });
    expect(JSON.stringify(byKey.get('C0INC00001'))).toContain('ticket OPS-42 mentioned');
  });
});
