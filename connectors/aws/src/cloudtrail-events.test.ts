/**
 * The cloudtrail_events stream: IAM management events, console sign-ins and
 * the monitored management events as audit.event records (CC6.2, CC7.2 and
 * each event's own criteria), NextToken pagination, the LookupEvents pace,
 * throttling, and a backfill that reaches past the 90 days CloudTrail keeps.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { awsConnector } from './index.js';
import { DEFAULT_MANAGEMENT_EVENTS } from './management-events.js';
import { fixturePath, indexOf, loadFixture, testConfig } from './test-support.js';

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
  it('collects IAM events over two pages, console sign-ins and each monitored management event for the range', async () => {
    const { outcome, records } = await run('cloudtrail-events.json');
    expect(outcome.status).toBe('complete');
    // STS, two pages of IAM events, one of sign-ins, one per monitored management event.
    expect(outcome.requests).toBe(4 + DEFAULT_MANAGEMENT_EVENTS.length);
    expect(outcome.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect(records).toHaveLength(13);
    expect(records.every((r) => r.kind === 'audit.event' && /^[0-9a-f-]{36}$/.test(r.key))).toBe(true);
    expect(records.map((r) => r.data.action).sort()).toEqual(
      ['AttachUserPolicy', 'AttachUserPolicy', 'ConsoleLogin', 'ConsoleLogin', 'ConsoleLogin', 'ConsoleLogin', 'CreateAccessKey', 'CreateUser', 'DeleteUser', 'PutBucketPolicy', 'PutUserPolicy', 'StartLogging', 'StopLogging'],
    );
  });

  it('normalizes management events with their target and criteria, and leaves an IAM event to the IAM query', async () => {
    const { records } = await run('cloudtrail-events.json');
    const stop = byAction(records, 'StopLogging')[0]!;
    expect([stop.occurredAt, stop.data.target, stop.data.outcome, stop.controls]).toEqual(['2026-06-12T10:00:00.000Z', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-audit-trail', 'success', ['CC6.2', 'CC7.2']]);
    const policy = byAction(records, 'PutBucketPolicy')[0]!;
    expect([policy.data.target, policy.controls]).toEqual(['acme-public-assets', ['CC6.1', 'CC6.2', 'CC6.6', 'CC7.2']]);
    // The Organizations query answered IAM's CreatePolicy too: not an SCP change, so not kept there.
    expect(byAction(records, 'CreatePolicy')).toEqual([]);
    expect(byAction(records, 'DeleteUser')[0]!.controls).toEqual(['CC6.2', 'CC7.2']);
  });

  it('collects the management events the config adds to the default list', async () => {
    const cassette = loadFixture('cloudtrail-events.json');
    const added = structuredClone(cassette.interactions.at(-1)!);
    (added.request.body as { LookupAttributes: Array<{ AttributeValue: string }> }).LookupAttributes[0]!.AttributeValue = 'DeleteDBInstance';
    cassette.interactions.push(added);
    const config = testConfig({ managementEvents: [{ source: 'rds.amazonaws.com', name: 'DeleteDBInstance' }] });
    const { outcome } = await runConnectorFixture({ connector: awsConnector, stream: 'cloudtrail_events', cassettes: [cassette], config, ...PERIOD });
    expect(outcome.requests).toBe(5 + DEFAULT_MANAGEMENT_EVENTS.length);
    expect(() => testConfig({ managementEvents: [{ source: 'rds', name: 'DeleteDBInstance' }] })('http://127.0.0.1:1')).toThrow(/a CloudTrail event source such as rds.amazonaws.com/);
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

  it('paces LookupEvents a little under the configured rate per account and region', async () => {
    // One wait of 1000 / (0.95 × rate) ms, to the millisecond, before every LookupEvents request but the first.
    const { sleeps } = await run('cloudtrail-events.json');
    const lookups = 3 + DEFAULT_MANAGEMENT_EVENTS.length;
    expect(sleeps).toHaveLength(lookups - 1);
    expect(sleeps.filter((ms) => ms !== 526 && ms !== 527)).toEqual([]);
    const faster = await run('cloudtrail-events.json', { ...PERIOD, perSecond: 10 });
    expect(faster.sleeps.filter((ms) => ms !== 105 && ms !== 106)).toEqual([]);
  });

  it('rides out ThrottlingException through the SDK fetch, the retries waiting on the slowed pace', async () => {
    const range = { since: new Date('2026-06-30T00:00:00Z'), until: PERIOD.until };
    const { outcome, records, requests, sleeps } = await run('cloudtrail-events-throttling.json', range);
    expect(outcome.status).toBe('complete');
    expect(requests.filter((r) => r.status === 400)).toHaveLength(2);
    expect(outcome.requests).toBe(5 + DEFAULT_MANAGEMENT_EVENTS.length);
    // Each retry waits the fetch's backoff, then one interval of the pace, halved at each throttle (0.95, then 0.475 per second).
    expect(sleeps.slice(0, 4)).toEqual([375, 1053, 750, 2106]);
    expect(records.map((r) => r.data.target)).toEqual(['AKIA…MPLE, carol-ci']);
  });

  it('keeps the range half-open: an event at `until` belongs to the next run', async () => {
    const cassette = loadFixture('cloudtrail-events.json');
    const login = cassette.interactions[indexOf(cassette, 'ConsoleLogin')]!;
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
    expect(outcome.error).toBe('AccessDenied: cloudtrail:LookupEvents in us-east-1 of acme-prod (as arn:aws:iam::123456789012:user/evidentia-collector); add it to the policy in connectors/aws/README.md');
  });
});
