/**
 * The demo account as `evidentia demo` collects it: one replay server with
 * connectors/aws/fixtures/demo.json, the three streams run one after the other as the
 * collector's runner does, every recorded interaction used exactly once.
 * The state streams send the same requests whatever the clock says.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runStream, type StreamOutcome } from '@evidentia/sdk';
import { MemorySink, startReplayServer, type ReplayServer } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { fixturePath, testConfig } from './test-support.js';

const PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
const STREAMS = ['iam_users', 'account_config', 'cloudtrail_events'];

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function collect(cassettes: string[], streams: string[], now?: Date): Promise<{ outcomes: StreamOutcome[]; sink: MemorySink; server: ReplayServer }> {
  const server = await startReplayServer(cassettes.map(fixturePath));
  servers.push(server);
  const sink = new MemorySink();
  const outcomes: StreamOutcome[] = [];
  for (const stream of streams) {
    const event = awsConnector.streams[stream]?.type === 'event';
    outcomes.push(
      await runStream({
        connector: awsConnector,
        instance: 'aws',
        config: testConfig()(server.baseUrl),
        stream,
        sink,
        cursor: null,
        since: event ? PERIOD.since : undefined,
        until: event ? PERIOD.until : undefined,
        collectorVersion: '0.0.0-test',
        now: now ? () => now : undefined,
        sleep: async () => {},
      }),
    );
  }
  return { outcomes, sink, server };
}

describe('the AWS demo cassette', () => {
  it('answers all three streams of a collection of the demo period, and nothing else', async () => {
    const { outcomes, sink, server } = await collect(['demo.json'], STREAMS, PERIOD.until);
    expect(outcomes.map((o) => [o.status, o.error])).toEqual(STREAMS.map(() => ['complete', null]));
    server.assertDone();
    const kinds = new Map<string, number>();
    for (const record of sink.records) kinds.set(record.kind, (kinds.get(record.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ 'access.account': 7, 'access.config': 1, 'change.config': 2, 'audit.event': 13 });
  });

  it('sends the same state-stream requests with the real clock', async () => {
    const { outcomes, server } = await collect(['iam-users.json', 'account-config.json'], ['iam_users', 'account_config']);
    expect(outcomes.map((o) => o.status)).toEqual(['complete', 'complete']);
    server.assertDone();
  });
});
