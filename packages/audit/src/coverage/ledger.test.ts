/**
 * The coverage ledger over synthetic histories: expected against successful
 * collections, and each kind of gap with its cause, open or closed.
 */
import { describe, expect, it } from '@jest/globals';
import { computeLedger } from './ledger.js';
import type { Ledger, StreamCoverage } from './types.js';
import { planOf, simulate, type SimulatedStream } from './history.test-support.js';

const MEMBERS: SimulatedStream = { id: 'github/members', type: 'state', controls: ['CC6.1', 'CC6.2'] };
const PULLS: SimulatedStream = { id: 'github/pull_requests', type: 'event', controls: ['CC8.1'] };
const H1 = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
const AFTER_H1 = new Date('2026-07-15T00:00:00Z');
const d = (text: string) => new Date(text);

function ledgerOf(streams: SimulatedStream[], history: ReturnType<typeof simulate>, now = AFTER_H1, period = H1): Ledger {
  return computeLedger({ period, now, streams: streams.map(planOf), downtimes: history.downtimes }, history.facts);
}

function stream(ledger: Ledger, id: string): StreamCoverage {
  const found = ledger.streams.find((candidate) => candidate.stream === id);
  if (!found) throw new Error(`no stream ${id}`);
  return found;
}

describe('coverage ledger', () => {
  it('counts a year of schedules exactly and finds no gap when every collection succeeded', () => {
    const streams = [MEMBERS, PULLS, { id: 'aws/iam_users', type: 'state' as const, schedule: '30 2 * * *', timezone: 'Europe/Berlin', controls: ['CC6.1'] }];
    const year = { since: d('2026-01-01T00:00:00Z'), until: d('2027-01-01T00:00:00Z') };
    const history = simulate({ streams, from: d('2025-12-01T00:00:00Z'), until: d('2027-01-02T00:00:00Z') });
    const ledger = ledgerOf(streams, history, d('2027-01-10T00:00:00Z'), year);
    expect(stream(ledger, 'github/members')).toMatchObject({ expected: 365, successful: 365, failed: 0, covered: true, gaps: [] });
    expect(stream(ledger, 'github/pull_requests')).toMatchObject({ expected: 8760, successful: 8760, covered: true, gaps: [] });
    // 02:30 does not exist in Berlin on 29 March: it runs once right after the clocks jump, so still 365.
    expect(stream(ledger, 'aws/iam_users')).toMatchObject({ expected: 365, successful: 365, covered: true });
    expect(ledger.openGaps).toBe(0);
    expect(ledger.criteria.map((c) => [c.criterion, c.covered])).toEqual([
      ['CC6.1', true],
      ['CC6.2', true],
      ['CC8.1', true],
    ]);
  });

  it('attributes the gaps of a daemon stopped for three days: the state gap stays open, the event lag was made up', () => {
    const down = { since: d('2026-03-10T10:00:00Z'), until: d('2026-03-13T10:00:00Z') };
    const history = simulate({ streams: [MEMBERS, PULLS], from: d('2025-12-01T00:00:00Z'), until: AFTER_H1, down: [down] });
    const ledger = ledgerOf([MEMBERS, PULLS], history);

    const members = stream(ledger, 'github/members');
    expect(members.expected).toBe(181);
    // Three daily slots missed; the catch-up at 10:00 on 13 March fills that day's slot.
    expect(members.successful).toBe(181 - 3 + 1);
    expect(members.covered).toBe(false);
    expect(members.gaps).toHaveLength(1);
    const [stateGap] = members.gaps;
    // Last snapshot 10 March 02:00, stale from 11 March 14:00 until the catch-up on 13 March 10:00.
    expect(stateGap).toMatchObject({ since: '2026-03-11T14:00:00.000Z', until: '2026-03-13T10:00:00.000Z', status: 'open', closable: false, ongoing: false });
    expect(stateGap?.causes).toEqual([expect.objectContaining({ kind: 'daemon-down', since: '2026-03-10T10:00:00.000Z', until: '2026-03-13T10:00:00.000Z' })]);

    const pulls = stream(ledger, 'github/pull_requests');
    // 72 hourly slots missed (the catch-up at 10:00 on 13 March is that slot's collection).
    expect(pulls.expected - pulls.successful).toBe(72);
    expect(pulls.covered).toBe(true);
    expect(pulls.gaps).toEqual([
      // Collected up to 09:00 by the last run before the stop.
      expect.objectContaining({ since: '2026-03-10T09:00:00.000Z', until: '2026-03-13T10:00:00.000Z', status: 'closed', closedAt: '2026-03-13T10:00:01.000Z', closedBy: expect.stringMatching(/^catch-up run-/) }),
    ]);
    expect(pulls.gaps[0]?.causes.map((cause) => cause.kind)).toEqual(['daemon-down']);
    expect(ledger.criteria.find((c) => c.criterion === 'CC6.1')).toMatchObject({ covered: false, gapStreams: ['github/members'] });
    expect(ledger.criteria.find((c) => c.criterion === 'CC8.1')).toMatchObject({ covered: true });
  });

  it('names the error of a stream failing for a week', () => {
    const failing = (id: string, at: Date) => (at >= d('2026-05-04T00:00:00Z') && at < d('2026-05-11T00:00:00Z') ? `${id}: HTTP 401 Bad credentials` : null);
    const history = simulate({ streams: [MEMBERS, PULLS], from: d('2025-12-01T00:00:00Z'), until: AFTER_H1, fail: failing });
    const ledger = ledgerOf([MEMBERS, PULLS], history);
    const members = stream(ledger, 'github/members');
    expect(members.failed).toBe(7);
    expect(members.gaps).toHaveLength(1);
    expect(members.gaps[0]).toMatchObject({ since: '2026-05-04T14:00:00.000Z', until: '2026-05-11T02:00:00.000Z', status: 'open' });
    expect(members.gaps[0]?.causes).toEqual([
      { kind: 'stream-failed', since: '2026-05-04T02:00:00.000Z', until: '2026-05-10T02:00:00.000Z', detail: 'failed 7 times: github/members: HTTP 401 Bad credentials' },
    ]);
    const pulls = stream(ledger, 'github/pull_requests');
    expect(pulls.failed).toBe(7 * 24);
    expect(pulls.covered).toBe(true);
    expect(pulls.gaps).toEqual([expect.objectContaining({ since: '2026-05-03T23:00:00.000Z', until: '2026-05-11T00:00:00.000Z', status: 'closed', closedBy: expect.stringMatching(/^schedule /) })]);
    expect(pulls.gaps[0]?.causes[0]).toMatchObject({ kind: 'stream-failed', detail: 'failed 168 times: github/pull_requests: HTTP 401 Bad credentials' });
  });

  it('shows an event gap closed by a backfill, with when and by which run', () => {
    const pulls = { ...PULLS, lookbackDays: 30 };
    // Configured on 1 April: the first collection reaches back 30 days, so January and February are a hole.
    const history = simulate({ streams: [pulls], from: d('2026-04-01T00:00:00Z'), until: AFTER_H1 });
    const before = ledgerOf([pulls], history);
    expect(stream(before, pulls.id).gaps).toEqual([
      expect.objectContaining({ since: '2026-01-01T00:00:00.000Z', until: '2026-03-02T00:00:00.000Z', status: 'open', closable: true }),
    ]);
    expect(stream(before, pulls.id).gaps[0]?.causes).toEqual([expect.objectContaining({ kind: 'not-configured', until: '2026-03-02T00:00:00.000Z' })]);
    expect(before.openGaps).toBe(1);

    const backfill = history.run(d('2026-07-14T09:00:00Z'), [pulls.id], 'backfill', undefined, { since: d('2026-01-01T00:00:00Z'), until: d('2026-03-05T00:00:00Z') });
    const after = ledgerOf([pulls], history);
    expect(after.openGaps).toBe(0);
    expect(stream(after, pulls.id).gaps).toEqual([
      expect.objectContaining({ since: '2026-01-01T00:00:00.000Z', until: '2026-03-02T00:00:00.000Z', status: 'closed', closedAt: '2026-07-14T09:00:01.000Z', closedBy: `backfill ${backfill}` }),
    ]);
  });

  it('keeps a state gap open for good, and knows a gap beyond the source retention cannot be back-filled', () => {
    const trail = { id: 'aws/cloudtrail_events', type: 'event' as const, retentionDays: 90, lookbackDays: 120, controls: ['CC7.2'] };
    // Both configured on 1 May; the first CloudTrail run asks for 120 days, the source keeps 90.
    const history = simulate({ streams: [MEMBERS, trail], from: d('2026-05-01T00:00:00Z'), until: AFTER_H1 });
    history.run(d('2026-07-14T09:00:00Z'), [trail.id], 'backfill', undefined, { since: d('2026-01-01T00:00:00Z'), until: d('2026-02-01T00:00:00Z') });
    const ledger = ledgerOf([MEMBERS, trail], history);
    const members = stream(ledger, MEMBERS.id);
    expect(members.gaps).toEqual([expect.objectContaining({ since: '2026-01-01T00:00:00.000Z', until: '2026-05-01T02:00:00.000Z', status: 'open', closable: false })]);
    expect(members.gaps[0]?.causes).toEqual([expect.objectContaining({ kind: 'not-configured', detail: 'the stream was first collected at 2026-05-01T02:00:00.000Z' })]);

    const events = stream(ledger, trail.id);
    expect(events.covered).toBe(false);
    expect(events.gaps).toEqual([expect.objectContaining({ since: '2026-01-01T00:00:00.000Z', until: '2026-01-31T00:00:00.000Z', status: 'open', closable: false })]);
    expect(events.gaps[0]?.causes.map((cause) => cause.kind)).toEqual(['not-configured', 'retention']);
    expect(events.gaps[0]?.causes[1]?.detail).toBe('the source keeps 90 days of history');
    expect(ledger.criteria.find((c) => c.criterion === 'CC7.2')).toMatchObject({ covered: false, gapStreams: [trail.id] });
  });

  it('judges a running period up to now: a stream not collected for longer than allowed is an ongoing open gap', () => {
    const history = simulate({ streams: [MEMBERS, PULLS], from: d('2025-12-01T00:00:00Z'), until: d('2026-03-01T00:00:00Z') });
    const now = d('2026-03-04T12:00:00Z');
    const ledger = ledgerOf([MEMBERS, PULLS], history, now);
    expect(ledger.evaluatedUntil).toBe(now.toISOString());
    expect(stream(ledger, MEMBERS.id).gaps).toEqual([expect.objectContaining({ since: '2026-03-01T14:00:00.000Z', until: now.toISOString(), ongoing: true, status: 'open' })]);
    expect(stream(ledger, MEMBERS.id).gaps[0]?.causes.map((cause) => cause.kind)).toEqual(['not-collected']);
    expect(stream(ledger, PULLS.id).gaps).toEqual([expect.objectContaining({ since: '2026-02-28T23:00:00.000Z', ongoing: true, closable: true, key: 'github/pull_requests@2026-02-28T23:00:00.000Z' })]);
  });
});

describe('coverage ledger: partial collections and item gaps', () => {
  it('treats a partial collection as no collection, saying it was incomplete and why', () => {
    const history = simulate({ streams: [MEMBERS], from: d('2025-12-01T00:00:00Z'), until: AFTER_H1 });
    const facts = history.facts.map((fact) =>
      fact.startedAt >= '2026-03-10' && fact.startedAt < '2026-03-13' ? { ...fact, status: 'partial' as const, error: 'received 130 of 329 organization members the source reports' } : fact,
    );
    const ledger = computeLedger({ period: H1, now: AFTER_H1, streams: [planOf(MEMBERS)], downtimes: history.downtimes }, facts);
    const members = stream(ledger, 'github/members');
    expect(members.covered).toBe(false);
    expect(members.failed).toBe(3);
    expect(members.gaps).toHaveLength(1);
    expect(members.gaps[0]?.causes).toEqual([
      expect.objectContaining({ kind: 'stream-failed', detail: 'failed 3 times: incomplete: received 130 of 329 organization members the source reports' }),
    ]);
  });

  it('lists the items collections could not read, in scope or not, without opening a time gap for an out-of-scope one', () => {
    const history = simulate({ streams: [MEMBERS], from: d('2025-12-01T00:00:00Z'), until: AFTER_H1 });
    const denied = { item: 'repository acme/legacy', reason: 'HTTP 403: Resource not accessible by integration', inScope: false };
    const facts = history.facts.map((fact) => (fact.startedAt >= '2026-04-01' && fact.startedAt < '2026-04-05' ? { ...fact, itemGaps: [denied] } : fact));
    const ledger = computeLedger({ period: H1, now: AFTER_H1, streams: [planOf(MEMBERS)], downtimes: history.downtimes }, facts);
    const members = stream(ledger, 'github/members');
    expect(members.covered).toBe(true);
    expect(members.itemGaps).toEqual([{ ...denied, collections: 4, lastAt: expect.stringMatching(/^2026-04-04T/), readAgainAt: expect.stringMatching(/^2026-04-05T/) }]);
    expect(ledger.criteria.find((c) => c.criterion === 'CC6.1')).toMatchObject({ covered: true, unreadStreams: [] });
  });

  it('does not call a criterion covered when a stream serving it could not read an item in scope, until a complete collection comes after it', () => {
    const history = simulate({ streams: [MEMBERS, PULLS], from: d('2025-12-01T00:00:00Z'), until: AFTER_H1 });
    const denied = { item: 'repository acme/payments', reason: 'HTTP 403: Resource not accessible by integration', inScope: true };
    // An item in scope that could not be read makes the collection partial (the SDK's rule).
    const deny = (from: string, to: string) => history.facts.map((fact) => (fact.stream === MEMBERS.id && fact.startedAt >= from && fact.startedAt < to ? { ...fact, status: 'partial' as const, itemGaps: [denied] } : fact));
    const ledgerOf = (facts: typeof history.facts) => computeLedger({ period: H1, now: AFTER_H1, streams: [planOf(MEMBERS), planOf(PULLS)], downtimes: history.downtimes }, facts);
    // The period's last collection could not read it: nothing came after it to make it up.
    const lasting = ledgerOf(deny('2026-06-30', '2026-07-01'));
    expect(stream(lasting, 'github/members').itemGaps).toEqual([{ ...denied, collections: 1, lastAt: expect.stringMatching(/^2026-06-30T/), readAgainAt: null }]);
    expect(lasting.criteria.find((c) => c.criterion === 'CC6.1')).toMatchObject({ criterion: 'CC6.1', streams: ['github/members'], covered: false, unreadStreams: ['github/members'] });
    expect(lasting.criteria.find((c) => c.criterion === 'CC8.1')).toMatchObject({ covered: true, unreadStreams: [] });
    // An event stream denied it once in April and read its range whole the next hour (a partial run keeps its cursor,
    // so the range is read again): no time gap and nothing missing, and when it was made up is said.
    const pulls = (from: string, to: string) => history.facts.map((fact) => (fact.stream === PULLS.id && fact.startedAt >= from && fact.startedAt < to ? { ...fact, status: 'partial' as const, itemGaps: [denied] } : fact));
    const transient = ledgerOf(pulls('2026-04-02T10', '2026-04-02T11'));
    expect(stream(transient, 'github/pull_requests').itemGaps).toEqual([{ ...denied, collections: 1, lastAt: expect.stringMatching(/^2026-04-02T10/), readAgainAt: expect.stringMatching(/^2026-04-02T11/) }]);
    expect(transient.criteria.find((c) => c.criterion === 'CC8.1')).toEqual({ criterion: 'CC8.1', streams: ['github/pull_requests'], covered: true, gapStreams: [], unreadStreams: [] });
    // Denied by its last run of the period, the same item is missing.
    expect(ledgerOf(pulls('2026-06-30T23', '2026-07-01')).criteria.find((c) => c.criterion === 'CC8.1')).toMatchObject({ covered: false, unreadStreams: ['github/pull_requests'] });
  });
});
