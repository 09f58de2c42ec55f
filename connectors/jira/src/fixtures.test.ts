/**
 * The hand-built Jira cassettes keep their promises: nothing in them looks
 * like a real credential, and demo.json is exactly the changes, incidents and
 * personnel cassettes in one, which serves a collection of all three streams
 * over the demo period from a single replay server, as `evidentia demo` does.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { runStream } from '@evidentia/sdk';
import { loadCassette, MemorySink, scanFixtureTree, startReplayServer } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, fixturePath } from './test-support.js';

const directory = dirname(fixturePath('demo.json'));
const DEMO_PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };

describe('connectors/jira/fixtures', () => {
  it('holds the expected cassettes, with no real-looking secrets', async () => {
    expect(readdirSync(directory).sort()).toEqual(['changes-renamed-field.json', 'changes.json', 'demo.json', 'incidents-429.json', 'incidents.json', 'personnel.json']);
    expect(await scanFixtureTree(directory)).toEqual([]);
  });

  it('demo.json is the three stream cassettes in one', async () => {
    const parts = await Promise.all(['changes.json', 'incidents.json', 'personnel.json'].map((name) => loadCassette(fixturePath(name))));
    const demo = await loadCassette(fixturePath('demo.json'));
    expect(demo.interactions).toEqual(parts.flatMap((part) => part.interactions));
  });

  it('serves all three streams of one demo collection, using every interaction', async () => {
    const server = await startReplayServer([fixturePath('demo.json')]);
    const sink = new MemorySink();
    try {
      for (const stream of ['changes', 'incidents', 'personnel']) {
        const outcome = await runStream({ connector: jiraConnector, instance: 'jira', config: demoConfig()(server.baseUrl), stream, sink, cursor: null, ...DEMO_PERIOD, collectorVersion: 'test' });
        expect(outcome).toMatchObject({ status: 'complete', records: 4, apiTotal: 4 });
      }
      server.assertDone();
    } finally {
      await server.close();
    }
    expect(new Set(sink.records.map((r) => r.kind))).toEqual(new Set(['change.request', 'incident.record', 'personnel.event']));
  });
});
