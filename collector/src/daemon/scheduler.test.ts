/**
 * The daemon's scheduler on a virtual clock: a year of schedules in one
 * test, grouping of streams due at the same minute, catching up after the
 * daemon was stopped for three days (the missed interval recorded for
 * coverage), a machine asleep, a clock set back, retries of a failing stream inside its slot
 * without holding the others back, and stopping in the middle of a run.
 */
import { describe, expect, it } from '@jest/globals';
import { CronSchedule } from '@evidentia/time';
import type { Logger } from '@evidentia/sdk';
import { Scheduler, type RunRequest, type RunReport, type SchedulerOptions } from './scheduler.js';
import { computeLedger } from '@evidentia/audit';
import { History, planOf, type SimulatedStream } from '@evidentia/audit/testing';
import { VirtualClock } from './virtual-clock.test-support.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const STREAMS: SimulatedStream[] = [
  { id: 'github/members', type: 'state', controls: ['CC6.1'] },
  { id: 'github/pull_requests', type: 'event', controls: ['CC8.1'] },
  { id: 'aws/iam_users', type: 'state', schedule: '0 30 2 * * *', controls: ['CC6.1'] },
];
const d = (text: string) => new Date(text);

/** A daemon whose runs land in a synthetic history instead of a locker. */
function daemon(clock: VirtualClock, history: History, options: { fail?: (stream: string, at: Date) => string | null; lastAttempts?: Map<string, Date>; runMs?: number; log?: Logger } = {}) {
  const requests: Array<Omit<RunRequest, 'signal'> & { at: string }> = [];
  const run = async (request: RunRequest): Promise<RunReport> => {
    const at = clock.now();
    requests.push({ streams: request.streams, trigger: request.trigger, parameters: request.parameters, at: at.toISOString() });
    const runId = history.run(at, request.streams, request.trigger, options.fail);
    if (request.parameters.missedSince) history.downtimes.push({ since: d(String(request.parameters.missedSince)), until: d(String(request.parameters.missedUntil)), runId });
    clock.advance(options.runMs ?? 20_000);
    const facts = history.facts.filter((fact) => fact.runId === runId);
    return { runId, status: facts.every((fact) => fact.status === 'complete') ? 'complete' : 'partial', streams: facts.map((fact) => ({ stream: fact.stream, status: fact.status, error: fact.error })) };
  };
  const scheduler = new Scheduler({
    streams: STREAMS.map((stream) => ({ id: stream.id, schedule: planOf(stream).schedule })),
    clock,
    run,
    lastAttempts: options.lastAttempts ?? new Map(),
    log: options.log ?? quiet,
    random: () => 0.5,
  });
  return { scheduler, requests };
}

/** One hourly stream that always completes, noting when each run started. */
function hourlyOptions(clock: VirtualClock, at: string[]): SchedulerOptions {
  return {
    streams: [{ id: 'x/y', schedule: CronSchedule.parse('0 * * * *') }],
    clock,
    lastAttempts: new Map(),
    log: quiet,
    run: async () => ({ runId: 'r', status: 'complete', streams: [{ stream: 'x/y', status: 'complete', error: null }] }),
    events: { runStarted: () => void at.push(clock.now().toISOString().slice(5, 16)) },
  };
}

function lastAttempts(history: History): Map<string, Date> {
  return new Map(history.facts.map((fact) => [fact.stream, d(fact.startedAt)]));
}

describe('daemon scheduler', () => {
  it('runs a year of schedules on time, grouping streams due in the same minute, and the ledger finds them all', async () => {
    // First start at noon on 30 December: everything is collected at once, then on schedule.
    const clock = new VirtualClock(d('2025-12-30T12:00:00Z'));
    const history = new History(STREAMS);
    const { scheduler, requests } = daemon(clock, history);
    scheduler.start();
    await clock.runUntil(d('2027-01-01T00:00:00Z'));
    await scheduler.stop('end of test');

    const in2026 = requests.filter((r) => r.at.startsWith('2026'));
    const count = (id: string) => in2026.filter((r) => r.streams.includes(id)).length;
    expect(requests[0]).toMatchObject({ at: '2025-12-30T12:00:00.000Z', streams: STREAMS.map((s) => s.id) });
    expect(count('github/pull_requests')).toBe(8760);
    expect(count('github/members')).toBe(365);
    expect(count('aws/iam_users')).toBe(365);
    // 02:00 runs members and pull requests together; 02:30:00 runs IAM alone.
    expect(requests.find((r) => r.at === '2026-03-03T02:00:00.000Z')?.streams).toEqual(['github/members', 'github/pull_requests']);
    expect(requests.find((r) => r.at === '2026-03-03T02:30:00.000Z')?.streams).toEqual(['aws/iam_users']);
    expect(in2026.length).toBe(8760 + 365);
    expect(requests.every((r) => r.trigger === 'schedule')).toBe(true);

    const year = { since: d('2026-01-01T00:00:00Z'), until: d('2027-01-01T00:00:00Z') };
    const ledger = computeLedger({ period: year, now: d('2027-01-01T00:00:00Z'), streams: STREAMS.map(planOf), downtimes: history.downtimes }, history.facts);
    expect(ledger.streams.map((s) => [s.stream, s.expected, s.successful, s.gaps.length])).toEqual([
      ['github/members', 365, 365, 0],
      ['github/pull_requests', 8760, 8760, 0],
      ['aws/iam_users', 365, 365, 0],
    ]);
  });

  it('catches up at once after being stopped for three days and records the missed interval', async () => {
    const clock = new VirtualClock(d('2026-03-01T00:00:00Z'));
    const history = new History(STREAMS);
    const first = daemon(clock, history);
    first.scheduler.start();
    await clock.runUntil(d('2026-03-10T10:00:00Z'));
    await first.scheduler.stop('SIGTERM');
    await clock.runUntil(d('2026-03-13T10:05:00Z'));
    expect(history.facts.some((fact) => fact.startedAt > '2026-03-10T10:01:00.000Z')).toBe(false);

    const second = daemon(clock, history, { lastAttempts: lastAttempts(history) });
    second.scheduler.start();
    await clock.runUntil(d('2026-03-20T00:00:00Z'));
    await second.scheduler.stop('end of test');

    expect(second.requests[0]).toMatchObject({
      at: '2026-03-13T10:05:00.000Z',
      trigger: 'catch-up',
      streams: STREAMS.map((s) => s.id),
      parameters: { missedSince: '2026-03-10T11:00:00.000Z', missedUntil: '2026-03-13T10:05:00.000Z' },
    });
    expect(second.requests[1]).toMatchObject({ at: '2026-03-13T11:00:00.000Z', trigger: 'schedule', streams: ['github/pull_requests'] });

    const ledger = computeLedger({ period: { since: d('2026-03-02T00:00:00Z'), until: d('2026-03-20T00:00:00Z') }, now: d('2026-03-20T00:00:00Z'), streams: STREAMS.map(planOf), downtimes: history.downtimes }, history.facts);
    const members = ledger.streams.find((s) => s.stream === 'github/members');
    expect(members?.gaps.map((gap) => [gap.since, gap.until, gap.causes.map((c) => c.kind).join()])).toEqual([['2026-03-11T14:00:00.000Z', '2026-03-13T10:05:00.000Z', 'daemon-down']]);
  });

  it('notices a machine that slept through its schedules and records that as missed', async () => {
    const clock = new VirtualClock(d('2026-03-01T00:00:00Z'));
    const history = new History(STREAMS);
    const { scheduler, requests } = daemon(clock, history);
    scheduler.start();
    await clock.runUntil(d('2026-03-02T12:30:00Z'));
    clock.advance(2 * 86_400_000);
    await clock.runUntil(d('2026-03-04T14:00:00Z'));
    await scheduler.stop('end of test');
    const late = requests.find((r) => r.trigger === 'catch-up');
    expect(late).toMatchObject({ at: '2026-03-04T12:30:00.000Z', parameters: { missedSince: '2026-03-02T13:00:00.000Z', missedUntil: '2026-03-04T12:30:00.000Z' } });
    expect(late?.streams).toEqual(STREAMS.map((s) => s.id));
  });

  it('runs a schedule that passed during a long run right after it, without mistaking that for downtime', async () => {
    const clock = new VirtualClock(d('2026-03-01T00:00:00Z'));
    const history = new History(STREAMS);
    const warnings: Array<Record<string, unknown> | undefined> = [];
    const log = { ...quiet, warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, ...fields }) };
    const { scheduler, requests } = daemon(clock, history, { runMs: 70 * 60_000, lastAttempts: new Map(STREAMS.map((s) => [s.id, d('2026-02-28T23:59:00Z')])), log });
    scheduler.start();
    await clock.runUntil(d('2026-03-01T07:00:00Z'));
    await scheduler.stop('end of test');
    expect(requests.map((r) => [r.at.slice(11, 16), r.trigger])).toEqual([
      ['00:00', 'schedule'],
      ['01:10', 'schedule'],
      ['02:20', 'schedule'],
      ['03:30', 'schedule'],
      ['04:40', 'schedule'],
      ['05:50', 'schedule'],
      ['07:00', 'schedule'],
    ]);
    // The run from 05:50 to 07:00 passes the 06:00 and 07:00 fires: one run stands for both, and that is said.
    expect(warnings).toEqual([{ message: 'scheduled collections passed while a run was in progress; collecting once for them now', stream: 'github/pull_requests', passed: 2, since: '2026-03-01T06:00:00.000Z' }]);
  });

  it('schedules from now when the clock went back, instead of idling until it catches up', async () => {
    // The clock ran three days fast and was corrected while the daemon was down: the locker's last attempts lie ahead.
    const clock = new VirtualClock(d('2026-06-10T12:00:00Z'));
    const history = new History(STREAMS);
    const { scheduler, requests } = daemon(clock, history, { lastAttempts: new Map(STREAMS.map((s) => [s.id, d('2026-06-13T12:00:00Z')])) });
    scheduler.start();
    await clock.runUntil(d('2026-06-10T16:00:00Z'));
    await scheduler.stop('end of test');
    expect(requests.map((r) => [r.at.slice(5, 16), r.streams.join()])).toEqual(['13:00', '14:00', '15:00', '16:00'].map((time) => [`06-10T${time}`, 'github/pull_requests']));
    expect(scheduler.state().find((due) => due.stream === 'github/members')?.nextRunAt?.toISOString()).toBe('2026-06-11T02:00:00.000Z');

    // Corrected by a day during a run: the next fire planned from the run's start lies a day ahead.
    const corrected = new VirtualClock(d('2026-06-10T00:00:00Z'));
    const at: string[] = [];
    const hourly = new Scheduler({
      ...hourlyOptions(corrected, at),
      run: async () => {
        if (at.length === 1) corrected.setBy(-86_400_000);
        return { runId: 'r', status: 'complete', streams: [{ stream: 'x/y', status: 'complete', error: null }] };
      },
    });
    hourly.start();
    await corrected.runUntil(d('2026-06-10T00:00:00Z'));
    await hourly.stop('end of test');
    expect(at).toEqual(['06-10T00:00', ...Array.from({ length: 23 }, (_, hour) => `06-09T${String(hour + 1).padStart(2, '0')}:00`), '06-10T00:00']);

    // Corrected by a day while waiting: the timer fires when its time has elapsed, a day before the fire it was set for.
    at.length = 0;
    const waiting = new Scheduler({ ...hourlyOptions(corrected, at), lastAttempts: new Map([['x/y', d('2026-06-10T00:00:00Z')]]) });
    waiting.start();
    await corrected.runUntil(d('2026-06-10T00:30:00Z'));
    corrected.setBy(-86_400_000);
    await corrected.runUntil(d('2026-06-09T03:30:00Z'));
    await waiting.stop('end of test');
    expect(at).toEqual(['06-09T02:00', '06-09T03:00']);
  });

  it('retries only the failing stream, with backoff, inside its slot, and keeps the others on schedule', async () => {
    const clock = new VirtualClock(d('2026-05-03T23:59:00Z'));
    const history = new History(STREAMS);
    const fail = (id: string, at: Date) => (id === 'github/members' && at >= d('2026-05-04T00:00:00Z') && at < d('2026-05-11T00:00:00Z') ? 'HTTP 401 Bad credentials' : null);
    const { scheduler, requests } = daemon(clock, history, { fail, lastAttempts: new Map(STREAMS.map((s) => [s.id, d('2026-05-03T23:30:00Z')])) });
    scheduler.start();
    await clock.runUntil(d('2026-05-12T00:00:00Z'));
    await scheduler.stop('end of test');

    const retries = requests.filter((r) => r.trigger === 'retry');
    expect(retries.every((r) => r.streams.length === 1 && r.streams[0] === 'github/members')).toBe(true);
    // Each failing day: the 02:00 attempt and four retries, 1, 2, 4 and 8 minutes apart (plus the run time).
    const onMay5 = requests.filter((r) => r.streams.includes('github/members') && r.at.startsWith('2026-05-05'));
    expect(onMay5.map((r) => [r.at.slice(11, 19), r.trigger, r.parameters.retries ?? null])).toEqual([
      ['02:00:00', 'schedule', null],
      ['02:01:20', 'retry', { 'github/members': 1 }],
      ['02:03:40', 'retry', { 'github/members': 2 }],
      ['02:08:00', 'retry', { 'github/members': 3 }],
      ['02:16:20', 'retry', { 'github/members': 4 }],
    ]);
    expect(history.facts.filter((f) => f.stream === 'github/pull_requests' && f.status === 'complete').length).toBe(8 * 24 + 1);
    expect(history.facts.filter((f) => f.stream === 'github/members').length).toBe(7 * 5 + 1);
  });

  it('never retries into the next slot', async () => {
    const clock = new VirtualClock(d('2026-05-04T00:00:00Z'));
    const history = new History(STREAMS);
    const fail = (id: string) => (id === 'github/pull_requests' ? 'HTTP 502' : null);
    const { scheduler, requests } = daemon(clock, history, { fail, lastAttempts: new Map(STREAMS.map((s) => [s.id, d('2026-05-03T23:59:00Z')])) });
    scheduler.start();
    await clock.runUntil(d('2026-05-04T03:00:00Z'));
    await scheduler.stop('end of test');
    // Hourly: 1 + 4 retries fit in each hour (at +1, +3, +7, +15 minutes and run time); never a retry past the next fire.
    const firstHour = requests.filter((r) => r.streams.includes('github/pull_requests') && r.at < '2026-05-04T01:00:00.000Z');
    expect(firstHour.map((r) => r.at.slice(11, 19))).toEqual(['00:00:00', '00:01:20', '00:03:40', '00:08:00', '00:16:20']);
    expect(requests.find((r) => r.at === '2026-05-04T01:00:00.000Z')).toMatchObject({ trigger: 'schedule', streams: ['github/pull_requests'] });

    const fast = new VirtualClock(d('2026-05-04T03:00:00Z'));
    const at: string[] = [];
    const everyFive = new Scheduler({
      streams: [{ id: 'x/y', schedule: CronSchedule.parse('*/5 * * * *') }],
      clock: fast,
      lastAttempts: new Map(),
      log: quiet,
      random: () => 0.5,
      run: async () => ({ runId: 'r', status: 'failed', streams: [{ stream: 'x/y', status: 'failed', error: 'down' }] }),
      events: { runStarted: () => void at.push(fast.now().toISOString().slice(11, 19)) },
    });
    everyFive.start();
    await fast.runUntil(d('2026-05-04T03:20:00Z'));
    await everyFive.stop('end of test');
    // Every five minutes: the retries at +1 and +3 minutes fit, the one at +7 would reach the next fire and is dropped.
    expect(at).toEqual(['03:00:00', '03:01:00', '03:03:00', '03:05:00', '03:06:00', '03:08:00', '03:10:00', '03:11:00', '03:13:00', '03:15:00', '03:16:00', '03:18:00', '03:20:00']);
  });

  it('stops in the middle of a run: the run is aborted, and nothing runs afterwards', async () => {
    const clock = new VirtualClock(d('2026-05-04T00:00:00Z'));
    let aborted: unknown = null;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const scheduler = new Scheduler({
      streams: [{ id: 'github/members', schedule: CronSchedule.parse('0 2 * * *') }],
      clock,
      lastAttempts: new Map(),
      log: quiet,
      run: (request) =>
        new Promise((_, reject) => {
          started();
          request.signal.addEventListener('abort', () => {
            aborted = request.signal.reason;
            reject(request.signal.reason as Error);
          });
        }),
    });
    scheduler.start();
    const first = clock.runUntil(d('2026-05-04T00:00:00Z'));
    await running;
    expect(scheduler.running).toBe(true);
    await scheduler.stop('daemon stopping (SIGTERM)');
    await first;
    expect((aborted as Error).message).toBe('daemon stopping (SIGTERM)');
    expect(scheduler.running).toBe(false);
    expect(clock.pending).toBe(0);
  });
});
