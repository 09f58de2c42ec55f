/**
 * The coverage calendar over a ledger computed by the audit package itself
 * (computeLedger, as `evidentia coverage` does): days in the audit zone, a
 * failed stream's gap with its cause, a declared gap, a back-filled gap,
 * collected and covered days, days not judged yet, and the request days.
 * The page escapes hostile cause text.
 */
import { describe, expect, it } from '@jest/globals';
import { computeLedger, computeRequestLedger } from '@evidentia/audit';
import { CronSchedule } from '@evidentia/time';
import { periodDays, requestCalendars, streamCalendars } from './coverage-calendar.js';
import { coveragePage } from './pages/coverage.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const period = { since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-11T00:00:00Z') };
const plan = (id: string, type: 'state' | 'event') => ({ id, type, schedule: CronSchedule.parse('0 2 * * *', 'UTC'), maxStalenessHours: 26, controls: ['CC6.1'] });
const run = (stream: string, day: string, status: 'complete' | 'failed', extra: Record<string, unknown> = {}) => ({
  runId: `r-${stream}-${day}`,
  trigger: 'schedule',
  stream,
  status,
  error: status === 'failed' ? `HTTP 500 ${HOSTILE}` : null,
  rangeSince: null,
  rangeUntil: null,
  gaps: [],
  startedAt: `${day}T02:00:00.000Z`,
  finishedAt: `${day}T02:01:00.000Z`,
  ...extra,
});

describe('coverage calendar', () => {
  it('lays out days of the audit zone, not of UTC', () => {
    const days = periodDays('2026-02-28T23:00:00Z', '2026-03-02T23:00:00Z', 'Europe/Berlin');
    expect(days.map((day) => day.day)).toEqual(['2026-03-01', '2026-03-02']);
    expect(new Date(days[0]!.start).toISOString()).toBe('2026-02-28T23:00:00.000Z');
  });

  it('marks collected, covered, failed-gap and not-judged days from the ledger', () => {
    const facts = ['2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03'].map((day) => run('a/users', day, 'complete'));
    facts.push(run('a/users', '2026-03-04', 'failed'), run('a/users', '2026-03-05', 'failed'));
    const now = new Date('2026-03-08T12:00:00Z');
    const ledger = computeLedger({ period, now, streams: [plan('a/users', 'state')], downtimes: [] }, facts);
    const [calendar] = streamCalendars(ledger, new Map([['a/users', facts.filter((fact) => fact.status === 'complete').map((fact) => Date.parse(fact.startedAt))]]), 'UTC');
    const state = (day: string) => calendar!.days.find((cell) => cell.day === day)!;
    expect(calendar!.days).toHaveLength(10);
    expect(state('2026-03-01')).toMatchObject({ state: 'collected', collections: 1 });
    // The last success (03-03 02:00) goes stale 26 hours later, on the 4th.
    expect(state('2026-03-04').state).toBe('gap');
    expect(state('2026-03-06')).toMatchObject({ state: 'gap' });
    expect(state('2026-03-06').causes.map((cause) => cause.kind)).toEqual(['stream-failed']);
    expect(state('2026-03-09').state).toBe('not-judged');

    const page = coveragePage({ streams: [calendar!], requests: null, runs: [], judgedUntil: ledger.evaluatedUntil, openGaps: ledger.openGaps, closedGaps: 0, offered: [], period: '2026-03-01..2026-03-10', typedPeriods: true }).text;
    expect(page).not.toContain(HOSTILE);
    expect(page).toContain('HTTP 500 &lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('title="2026-03-06: gap; cause: stream-failed"');
    expect(page).toContain('<dt class="day gap">G</dt><dd>gap: the day is not covered (the cause is given)</dd>');
  });

  it('tells a declared gap (history the source no longer keeps) and covers the days after it', () => {
    const declared = run('a/events', '2026-03-10', 'complete', { rangeSince: '2026-03-01T00:00:00.000Z', rangeUntil: '2026-03-10T02:00:00.000Z', gaps: [{ since: '2026-03-01T00:00:00.000Z', until: '2026-03-04T00:00:00.000Z', reason: 'retention: 90 days' }] });
    const ledger = computeLedger({ period, now: new Date('2026-03-10T03:00:00Z'), streams: [plan('a/events', 'event')], downtimes: [], firstAttempts: new Map([['a/events', new Date('2026-02-01T00:00:00Z')]]) }, [declared]);
    const [calendar] = streamCalendars(ledger, new Map(), 'UTC');
    const states = calendar!.days.map((day) => day.state);
    // The period's first day also carries the ledger's own note at its start, so it is a gap whose causes include the declared one.
    expect(calendar!.days[0]!.causes.map((cause) => cause.kind)).toContain('retention');
    expect(states.slice(1, 3)).toEqual(['declared-gap', 'declared-gap']);
    expect(calendar!.days[1]!.causes.map((cause) => cause.detail)).toEqual(['retention: 90 days']);
    expect(states[5]).toBe('covered');
  });

  it('lays each request occurrence over its days', () => {
    const ledger = computeRequestLedger({
      requests: [{ id: 'board', title: `Board ${HOSTILE}`, criteria: ['CC1.2'], owner: 'ceo', frequency: 'once', due: '2026-03-05', dueDays: 0, graceDays: 0, starter: false }],
      documents: [],
      events: [],
      first: '2026-03-01',
      last: '2026-03-10',
      today: '2026-03-08',
    });
    const [calendar] = requestCalendars(ledger, 'UTC', period.since.toISOString(), period.until.toISOString());
    expect(calendar!.days.every((day) => day.statuses.join() === 'overdue')).toBe(true);
    expect(calendar!.days[0]!.labels[0]).toContain('overdue');
  });
});
