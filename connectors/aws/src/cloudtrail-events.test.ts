/**
 * The cloudtrail_events stream: IAM management events and console sign-ins
 * as audit.event records (CC6.2, CC7.2), NextToken pagination, the polite
 * LookupEvents pace, throttling, and a backfill that reaches past the 90 days
 * CloudTrail keeps.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { fixturePath, loadFixture, testConfig } from './test-support.js';

const PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };

const run = (cassette: string | CassetteInput, options: { since?: Date; until?: Date; strict?: boolean; perSecond?: number } = PERIOD) =>
  runConnectorFixture({
    connector: awsConnector,
    stream: 'cloudtrail_events',
    cassettes: [typeof cassette === 'string' ? fixturePath(cassette) : cassette],
    config: testConfig(options.perSecond ? { lookupEventsPerSecond: options.perSecond } : {}),
    since: options.since,
    until: options.until,
    strict: options.strict,
  });

const byAction = (records: EvidenceRecord[], action: string) => records.filter((r) => r.data.action === action);

describe('cloudtrail_events stream', () => {
  it('collects IAM events over two pages and console sign-ins for the range', async () => {
    const { outcome, records } = await run('cloudtrail-events.json');
    expect(outcome.status).toBe('complete');
    expect(outcome.requests).toBe(4);
    expect(outcome.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect(records).toHaveLength(10);
    expect(records.every((r) => r.kind === 'audit.event' && r.controls.join() === 'CC6.2,CC7.2' && /^[0-9a-f-]{36}$/.test(r.key))).toBe(true);
    expect(records.map((r) => r.data.action).sort()).toEqual(
      ['AttachUserPolicy', 'AttachUserPolicy', 'ConsoleLogin', 'ConsoleLogin', 'ConsoleLogin', 'ConsoleLogin', 'CreateAccessKey', 'CreateUser', 'DeleteUser', 'PutUserPolicy'],
    );
  });

  it('normalizes actor, target, time, source address and outcome', async () => {
    const { records } = await run('cloudtrail-events.json');
    const deleted = byAction(records, 'DeleteUser')[0]!;
    expect(deleted.occurredAt).toBe('2026-06-29T16:00:00.000Z');
    expect(deleted.data).toEqual({
      actor: { login: 'arn:aws:iam::123456789012:user/alice', name: 'alice', bot: false },
      action: 'DeleteUser',
      target: 'frank',
      at: '2026-06-29T16:00:00.000Z',
      sourceAddress: '203.0.113.10',
      outcome: 'success',
    });
    const attached = byAction(records, 'AttachUserPolicy');
    expect(attached.map((r) => [r.data.target, r.data.outcome])).toEqual(
      expect.arrayContaining([
        ['erin', 'AccessDenied'],
        ['arn:aws:iam::aws:policy/IAMFullAccess, erin', 'success'],
      ]),
    );
    const logins = byAction(records, 'ConsoleLogin').map((r) => [r.data.actor, r.data.outcome, r.data.sourceAddress]);
    expect(logins).toEqual(
      expect.arrayContaining([
        [{ login: 'arn:aws:iam::123456789012:user/bob', name: 'bob', bot: false }, 'failure', '198.51.100.23'],
        [{ login: 'arn:aws:iam::123456789012:root', name: 'root', bot: false }, 'success', '192.0.2.44'],
      ]),
    );
  });

  it('paces LookupEvents to the configured rate per account and region', async () => {
    const { sleeps } = await run('cloudtrail-events.json');
    // Three LookupEvents requests in one region at 2 per second: two waits of half a second.
    expect(sleeps).toEqual([500, 500]);
    const faster = await run('cloudtrail-events.json', { ...PERIOD, perSecond: 10 });
    expect(faster.sleeps).toEqual([100, 100]);
  });

  it('rides out ThrottlingException through the SDK fetch', async () => {
    const range = { since: new Date('2026-06-30T00:00:00Z'), until: PERIOD.until };
    const { outcome, records, requests } = await run('cloudtrail-events-throttling.json', range);
    expect(outcome.status).toBe('complete');
    expect(requests.filter((r) => r.status === 400)).toHaveLength(2);
    expect(outcome.requests).toBe(5);
    expect(records.map((r) => r.data.target)).toEqual(['AKIAI44QH8DHBEXAMPLE, carol-ci']);
  });

  it('keeps the range half-open: an event at `until` belongs to the next run', async () => {
    const cassette = loadFixture('cloudtrail-events.json');
    const login = cassette.interactions.at(-1)!;
    const events = (login.response.body as { Events: Array<{ EventTime: number }> }).Events;
    events[0]!.EventTime = PERIOD.until.getTime() / 1000;
    const { records } = await run(cassette);
    expect(byAction(records, 'ConsoleLogin')).toHaveLength(3);
  });

  it('fails naming cloudtrail:LookupEvents when it is denied', async () => {
    const cassette = loadFixture('cloudtrail-events.json');
    const denied = { __type: 'AccessDeniedException', Message: 'User: arn:aws:iam::123456789012:user/evidentia-collector is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action' };
    cassette.interactions = [cassette.interactions[0]!, { ...cassette.interactions[1]!, response: { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: denied } }];
    const { outcome } = await run(cassette);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('AccessDenied: cloudtrail:LookupEvents (as arn:aws:iam::123456789012:user/evidentia-collector); add it to the policy in connectors/aws/README.md');
  });
});
