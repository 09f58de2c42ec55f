/**
 * Backfills of cloudtrail_events that reach past the 90 days LookupEvents
 * keeps: the stream declares `retentionDays: 90`, the SDK clamps the range to
 * the retention boundary and declares the unreachable part as a gap, and the
 * connector collects exactly what it is given — nothing at all when the
 * whole range is out of reach.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { DEFAULT_MANAGEMENT_EVENTS } from './management-events.js';
import { loadFixture, testConfig, type Interaction } from './test-support.js';

const NOW = new Date('2026-07-01T00:00:00Z');
const BOUNDARY = new Date('2026-04-02T00:00:00Z');
const identity = () => loadFixture('cloudtrail-events.json').interactions[0]!;

function lookup(attribute: [string, string], since: Date): Interaction {
  const body = { LookupAttributes: [{ AttributeKey: attribute[0], AttributeValue: attribute[1] }], StartTime: since.getTime() / 1000, EndTime: NOW.getTime() / 1000, MaxResults: 50 };
  return { request: { method: 'POST', path: '/', body }, response: { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: { Events: [] } } };
}

const cassette = (interactions: Interaction[]): CassetteInput => ({ format: 'evidentia.cassette/1', description: 'a backfill beyond the retention', interactions });
const run = (interactions: Interaction[], since: Date, until = NOW) =>
  runConnectorFixture({ connector: awsConnector, stream: 'cloudtrail_events', cassettes: [cassette(interactions)], config: testConfig(), since, until, now: NOW });

describe('cloudtrail_events retention', () => {
  it('declares retentionDays: 90', () => {
    expect(awsConnector.streams.cloudtrail_events?.retentionDays).toBe(90);
    expect(BOUNDARY.getTime()).toBe(NOW.getTime() - 90 * 86_400_000);
  });

  it('completes a backfill from 2026-01-01, asking only for the 90 days CloudTrail keeps and reporting the rest as a gap', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const management = DEFAULT_MANAGEMENT_EVENTS.map((event) => lookup(['EventName', event.name], BOUNDARY));
    const { outcome } = await run([identity(), lookup(['EventSource', 'iam.amazonaws.com'], BOUNDARY), lookup(['EventName', 'ConsoleLogin'], BOUNDARY), ...management], since);
    expect(outcome.status).toBe('complete');
    expect(outcome.range).toEqual({ since: BOUNDARY, until: NOW });
    expect(outcome.gaps).toEqual([{ since: since.toISOString(), until: BOUNDARY.toISOString(), reason: expect.stringContaining('90 days') }]);
    expect(outcome.cursorAfter).toBe(NOW.toISOString());
  });

  it('sends no LookupEvents at all when the whole range is older than 90 days', async () => {
    const { outcome, requests } = await run([], new Date('2026-01-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
    expect(outcome.status).toBe('complete');
    expect(requests).toHaveLength(0);
    expect(outcome.gaps).toHaveLength(1);
  });
});
