/**
 * What the daemon knows about itself, for `GET /health`, `GET /metrics` and
 * its logs: per stream the last run (when, status, error), the last success,
 * consecutive failures and the next run the scheduler plans; the run in
 * progress; counts of runs by outcome; the open gaps its last coverage
 * check found; and whether the witnesses took the last run's checkpoint. Seeded from the locker at start, so it is right from the
 * first request.
 */
import type { StreamHead, StreamStatus } from '@evidentia/locker';
import type { Gap } from '@evidentia/audit';
import type { DueState, RunOutcome, RunRequest } from './scheduler.js';

export interface StreamHealth {
  stream: string;
  lastRunAt: string | null;
  lastStatus: StreamStatus | null;
  lastError: string | null;
  lastRunId: string | null;
  lastSuccessAt: string | null;
  consecutiveFailures: number;
  nextRunAt: string | null;
  /** Why the next run happens: schedule, retry, catch-up, first. */
  nextReason: string | null;
  openGaps: number;
}

export interface HealthSnapshot {
  /** `ok`, or `degraded` when a stream's last run failed, a gap is open and ongoing, or a witness missed the last checkpoint. */
  status: 'ok' | 'degraded';
  pid: number;
  startedAt: string;
  now: string;
  running: { trigger: string; streams: string[]; since: string } | null;
  runs: Record<'complete' | 'partial' | 'failed' | 'error', number>;
  streams: StreamHealth[];
  openGaps: Array<Pick<Gap, 'stream' | 'since' | 'until' | 'ongoing'> & { causes: string[] }>;
  /** The last run's checkpoint (its manifest sequence; null before one, or with no witness configured) and the witnesses that did not take it. */
  witnesses: { lastCheckpoint: number | null; missed: string[] };
}

type Tracked = Omit<StreamHealth, 'nextRunAt' | 'nextReason' | 'openGaps'>;

export class DaemonHealth {
  private readonly streams = new Map<string, Tracked>();
  private running: HealthSnapshot['running'] = null;
  private readonly runs: HealthSnapshot['runs'] = { complete: 0, partial: 0, failed: 0, error: 0 };
  private gaps: Gap[] = [];
  private readonly witnesses: HealthSnapshot['witnesses'] = { lastCheckpoint: null, missed: [] };

  constructor(
    private readonly startedAt: Date,
    streams: string[],
    heads: StreamHead[],
  ) {
    for (const stream of streams) {
      const head = heads.find((candidate) => candidate.stream === stream);
      this.streams.set(stream, {
        stream,
        lastRunAt: head?.last.startedAt ?? null,
        lastStatus: head?.last.status ?? null,
        lastError: head?.last.error ?? null,
        lastRunId: head?.last.runId ?? null,
        lastSuccessAt: head?.lastComplete?.startedAt ?? null,
        // Partial counts as a failure, as runFinished counts it: a run that stored what it got but not all there is.
        consecutiveFailures: head && head.last.status !== 'complete' ? 1 : 0,
      });
    }
  }

  runStarted(request: RunRequest, at: Date): void {
    this.running = { trigger: request.trigger, streams: request.streams, since: at.toISOString() };
  }

  runFinished(request: RunRequest, outcome: RunOutcome, at: Date): void {
    const startedAt = this.running?.since ?? at.toISOString();
    this.running = null;
    const status = outcome.report?.status;
    const { manifest, witnessWarnings } = outcome.report ?? {};
    if (manifest && witnessWarnings) Object.assign(this.witnesses, { lastCheckpoint: manifest.sequence, missed: witnessWarnings });
    this.runs[status === 'complete' || status === 'partial' || status === 'failed' ? status : 'error']++;
    for (const id of request.streams) {
      const tracked = this.streams.get(id);
      if (!tracked) continue;
      const result = outcome.report?.streams.find((stream) => stream.stream === id);
      const ok = result?.status === 'complete';
      Object.assign(tracked, {
        lastRunAt: startedAt,
        lastStatus: result?.status ?? 'failed',
        lastError: ok ? null : (result?.error ?? outcome.error?.message ?? 'the stream did not run'),
        lastRunId: outcome.report?.runId ?? null,
        lastSuccessAt: ok ? startedAt : tracked.lastSuccessAt,
        consecutiveFailures: ok ? 0 : tracked.consecutiveFailures + 1,
      });
    }
  }

  setGaps(gaps: Gap[]): void {
    this.gaps = gaps.filter((gap) => gap.status === 'open');
  }

  snapshot(due: DueState[], now: Date): HealthSnapshot {
    const streams = [...this.streams.values()].map((tracked) => {
      const next = due.find((item) => item.stream === tracked.stream);
      return { ...tracked, nextRunAt: next?.nextRunAt?.toISOString() ?? null, nextReason: next?.reason ?? null, openGaps: this.gaps.filter((gap) => gap.stream === tracked.stream).length };
    });
    const degraded = streams.some((stream) => stream.lastStatus !== null && stream.lastStatus !== 'complete') || this.gaps.some((gap) => gap.ongoing) || this.witnesses.missed.length > 0;
    return {
      status: degraded ? 'degraded' : 'ok',
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      now: now.toISOString(),
      running: this.running,
      runs: { ...this.runs },
      streams,
      openGaps: this.gaps.map((gap) => ({ stream: gap.stream, since: gap.since, until: gap.until, ongoing: gap.ongoing, causes: gap.causes.map((cause) => `${cause.kind}: ${cause.detail}`) })),
      witnesses: { lastCheckpoint: this.witnesses.lastCheckpoint, missed: [...this.witnesses.missed] },
    };
  }
}
