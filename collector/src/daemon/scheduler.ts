/**
 * The daemon's scheduler. Each stream has one next due time: its next cron
 * fire, a retry inside the current slot, or "now" (first collection, or
 * schedules missed while the daemon was down). When the earliest due time
 * comes, every stream due in that minute runs in one collection run; runs
 * never overlap (a fire passed during a long run is run right after it;
 * several passed fires make one run, and a warning says so). A
 * timer that fires far too late means the machine slept: like a start after
 * downtime, the missed interval is recorded with the catch-up run, so
 * coverage can attribute the gap to "daemon down". A due time beyond the
 * schedule's next fire from now means the clock went back: it is planned
 * again from now. Time comes from an injected Clock, so tests simulate a
 * year instantly.
 */
import type { Manifest, StreamStatus } from '@evidentia/locker';
import type { Logger } from '@evidentia/sdk';
import type { Clock, CronSchedule } from '@evidentia/time';
import { DEFAULT_DAEMON_RETRY, retryAt, type RetryPolicy } from './retry.js';

export type RunTrigger = 'schedule' | 'catch-up' | 'retry';
export type DueReason = 'first' | 'schedule' | 'catch-up' | 'retry';

export interface RunRequest {
  /** `<instance>/<stream>` */
  streams: string[];
  trigger: RunTrigger;
  /** Recorded in the run: the slot, the missed interval, retry numbers. */
  parameters: Record<string, unknown>;
  signal: AbortSignal;
}

export interface RunReport {
  runId: string;
  status: string;
  streams: Array<{ stream: string; status: StreamStatus; error: string | null }>;
  /** The signed manifest, when the run committed one (for notifications). */
  manifest?: Manifest;
  /** The witnesses that did not take the sealed run's checkpoint, one line each; absent when no witness is configured. */
  witnessWarnings?: string[];
}

/** Runs one collection; rejects when the run could not happen or was aborted. */
export type RunCollection = (request: RunRequest) => Promise<RunReport>;

export type RunOutcome = { report: RunReport; error?: undefined } | { report?: undefined; error: Error };

export interface SchedulerEvents {
  runStarted?(request: RunRequest): void;
  /** Awaited before the next run is scheduled (health, notifications). Not called for a run cut short by stop(). */
  runFinished?(request: RunRequest, outcome: RunOutcome): Promise<void> | void;
}

export interface SchedulerOptions {
  streams: Array<{ id: string; schedule: CronSchedule }>;
  clock: Clock;
  run: RunCollection;
  /** Each stream's last attempt in the locker (any status): fires after it and before now were missed. */
  lastAttempts: ReadonlyMap<string, Date>;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** A timer firing later than this means the machine was asleep (default 5 minutes). */
  lateToleranceMs?: number;
  events?: SchedulerEvents;
}

export interface DueState {
  stream: string;
  nextRunAt: Date | null;
  reason: DueReason;
  /** Retries used in the current slot. */
  retry: number;
}

interface Due {
  schedule: CronSchedule;
  at: number;
  reason: DueReason;
  retry: number;
}

const MINUTE_MS = 60_000;
const iso = (time: number) => new Date(time).toISOString();

export class Scheduler {
  private readonly dues = new Map<string, Due>();
  private readonly policy: RetryPolicy;
  private missed: { since: number; until: number } | null = null;
  private cancelTimer: (() => void) | null = null;
  private current: { controller: AbortController; done: Promise<void> } | null = null;
  private stopping = false;

  constructor(private readonly options: SchedulerOptions) {
    this.policy = { ...DEFAULT_DAEMON_RETRY, ...options.retry };
  }

  /** Plan every stream (catching up at once on what was missed) and arm the timer. */
  start(): void {
    const now = this.options.clock.now().getTime();
    let missedSince = Infinity;
    for (const { id, schedule } of this.options.streams) {
      const last = this.options.lastAttempts.get(id);
      const fire = last ? (schedule.next(last)?.getTime() ?? Infinity) : now;
      if (!last) this.dues.set(id, { schedule, at: now, reason: 'first', retry: 0 });
      else if (fire < now) {
        missedSince = Math.min(missedSince, fire);
        this.dues.set(id, { schedule, at: now, reason: 'catch-up', retry: 0 });
      } else this.dues.set(id, { schedule, at: fire, reason: 'schedule', retry: 0 });
    }
    if (Number.isFinite(missedSince)) {
      this.missed = { since: missedSince, until: now };
      this.options.log.warn('scheduled collections were missed while the daemon was not running; catching up now', { missedSince: iso(missedSince), missedUntil: iso(now) });
    }
    this.arm();
  }

  /** Stop taking work; abort the run in progress (the locker rolls it back and records it as interrupted) and wait for it. */
  async stop(reason: string): Promise<void> {
    this.stopping = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.current) {
      this.current.controller.abort(new Error(reason));
      await this.current.done;
    }
  }

  /** What each stream waits for. */
  state(): DueState[] {
    return [...this.dues.entries()].map(([stream, due]) => ({ stream, nextRunAt: Number.isFinite(due.at) ? new Date(due.at) : null, reason: due.reason, retry: due.retry }));
  }

  get running(): boolean {
    return this.current !== null;
  }

  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.stopping || this.current) return;
    this.replanAfterClockWentBack();
    const now = this.options.clock.now().getTime();
    this.noteCollapsedFires(now);
    const earliest = Math.min(...[...this.dues.values()].map((due) => due.at));
    if (!Number.isFinite(earliest)) return;
    // A due time that passed during a long run is due now: the timer is not late for it.
    const wake = Math.max(earliest, now);
    this.cancelTimer = this.options.clock.setTimer(new Date(wake), () => this.tick(wake));
  }

  /**
   * A due time later than the schedule's next fire from now can only come
   * from a clock that went back (it ran fast and was corrected, a restored VM,
   * a last attempt in the locker later than now): waiting for it would leave
   * the stream uncollected, without a word, until the clock caught up.
   */
  private replanAfterClockWentBack(): void {
    const now = this.options.clock.now();
    for (const [id, due] of this.dues) {
      const next = due.schedule.next(now)?.getTime() ?? Infinity;
      if (due.at <= next) continue;
      this.options.log.warn('the clock went back; scheduling from now', { stream: id, plannedAt: iso(due.at), nextRunAt: Number.isFinite(next) ? iso(next) : null });
      this.dues.set(id, { schedule: due.schedule, at: next, reason: 'schedule', retry: 0 });
    }
  }

  /**
   * Fires of a stream that passed while a run was in progress are collected
   * once, right after it: the slots of all but the last stay empty, which
   * coverage counts (successful below expected), so it is said here too.
   */
  private noteCollapsedFires(now: number): void {
    for (const [id, due] of this.dues) {
      if (due.reason !== 'schedule' || due.at >= now) continue;
      const passed = [...due.schedule.fires(new Date(due.at), new Date(now + 1))].length;
      if (passed > 1) this.options.log.warn('scheduled collections passed while a run was in progress; collecting once for them now', { stream: id, passed, since: iso(due.at) });
    }
  }

  /** `wake`: when the timer was meant to fire; much later means the machine slept. */
  private async tick(wake: number): Promise<void> {
    this.cancelTimer = null;
    if (this.stopping || this.current) return;
    const now = this.options.clock.now().getTime();
    if (now - wake > (this.options.lateToleranceMs ?? 5 * MINUTE_MS) && !this.missed) {
      this.missed = { since: wake, until: now };
      this.options.log.warn('the daemon woke up late (was the machine asleep?); catching up', { missedSince: iso(wake), missedUntil: iso(now) });
    }
    const earliest = Math.min(...[...this.dues.values()].map((due) => due.at));
    if (earliest > now) {
      // Woken before the due time: the clock went back while the timer waited (timers count elapsed time, not the clock).
      this.arm();
      return;
    }
    // Everything overdue, plus whatever else falls in the same minute (6-field schedules): one run.
    const horizon = Math.max(now, Math.floor(earliest / MINUTE_MS) * MINUTE_MS + MINUTE_MS - 1);
    const group = [...this.dues.entries()].filter(([, due]) => due.at <= horizon);
    const latest = Math.max(...group.map(([, due]) => due.at));
    if (latest > now) {
      this.cancelTimer = this.options.clock.setTimer(new Date(latest), () => this.tick(latest));
      return;
    }
    await this.runGroup(group, earliest, now);
  }

  private async runGroup(group: Array<[string, Due]>, slot: number, startedAt: number): Promise<void> {
    const retries = Object.fromEntries(group.filter(([, due]) => due.reason === 'retry').map(([id, due]) => [id, due.retry]));
    const missed = this.missed;
    this.missed = null;
    const controller = new AbortController();
    const request: RunRequest = {
      streams: group.map(([id]) => id),
      trigger: missed ? 'catch-up' : group.every(([, due]) => due.reason === 'retry') ? 'retry' : 'schedule',
      parameters: {
        scheduledAt: iso(slot),
        ...(missed ? { missedSince: iso(missed.since), missedUntil: iso(missed.until) } : {}),
        ...(Object.keys(retries).length > 0 ? { retries } : {}),
      },
      signal: controller.signal,
    };
    let settle = () => {};
    this.current = { controller, done: new Promise<void>((resolve) => (settle = resolve)) };
    try {
      this.options.events?.runStarted?.(request);
      let outcome: RunOutcome;
      try {
        outcome = { report: await this.options.run(request) };
      } catch (error) {
        outcome = { error: error instanceof Error ? error : new Error(String(error)) };
      }
      if (this.stopping) return;
      this.plan(group, outcome, startedAt);
      await this.options.events?.runFinished?.(request, outcome);
    } catch (error) {
      this.options.log.error('daemon bookkeeping failed after a run', { error: (error as Error).message });
    } finally {
      this.current = null;
      settle();
    }
    this.arm();
  }

  /** Next due time of each stream of a finished run: its next fire, or a retry inside the slot. */
  private plan(group: Array<[string, Due]>, outcome: RunOutcome, startedAt: number): void {
    const finishedAt = this.options.clock.now().getTime();
    for (const [id, due] of group) {
      const result = outcome.report?.streams.find((stream) => stream.stream === id);
      const nextFire = due.schedule.next(new Date(startedAt))?.getTime() ?? null;
      const scheduled: Due = { schedule: due.schedule, at: nextFire ?? Infinity, reason: 'schedule', retry: 0 };
      if (result?.status === 'complete') {
        this.dues.set(id, scheduled);
        continue;
      }
      const retry = due.reason === 'retry' ? due.retry + 1 : 1;
      const at = retryAt(this.policy, retry, finishedAt, nextFire, this.options.random ?? Math.random);
      const error = result?.error ?? outcome.error?.message ?? 'the stream did not run';
      if (at === null) {
        this.options.log.error('stream failed; no retry left before its next scheduled run', { stream: id, error, nextRunAt: nextFire === null ? null : iso(nextFire) });
        this.dues.set(id, scheduled);
      } else {
        this.options.log.warn('stream failed; retrying', { stream: id, error, retry, at: iso(at) });
        this.dues.set(id, { schedule: due.schedule, at, reason: 'retry', retry });
      }
    }
  }
}
