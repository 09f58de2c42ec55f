/**
 * Synthetic collection histories for coverage tests: streams collected on
 * their cron schedules over a span, as the daemon would, with the daemon down
 * for some intervals (then a catch-up run) and streams failing at chosen
 * times. Event streams advance a cursor like the runner does, so a failure
 * leaves the range to the next success.
 */
import { CronSchedule } from '@evidentia/time';
import type { CollectionFact, Downtime, StreamPlan } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SimulatedStream {
  id: string;
  type: 'state' | 'event';
  schedule?: string;
  timezone?: string;
  maxStalenessHours?: number;
  controls?: string[];
  retentionDays?: number;
  /** Event streams: how far back the first collection reaches (the SDK's initialLookbackDays). */
  lookbackDays?: number;
}

export function planOf(stream: SimulatedStream): StreamPlan {
  return {
    id: stream.id,
    type: stream.type,
    schedule: CronSchedule.parse(stream.schedule ?? (stream.type === 'state' ? '0 2 * * *' : '0 * * * *'), stream.timezone ?? 'UTC'),
    maxStalenessHours: stream.maxStalenessHours ?? 36,
    controls: stream.controls ?? [],
    retentionDays: stream.retentionDays,
  };
}

export interface Simulation {
  streams: SimulatedStream[];
  from: Date;
  until: Date;
  /** The daemon is down in these intervals; at each `until` a catch-up run collects every stream. */
  down?: Array<{ since: Date; until: Date }>;
  /** An error message makes the stream fail at that time. */
  fail?: (stream: string, at: Date) => string | null;
}

export class History {
  readonly facts: CollectionFact[] = [];
  readonly downtimes: Downtime[] = [];
  private readonly cursors = new Map<string, number>();
  private runs = 0;

  constructor(private readonly streams: SimulatedStream[]) {}

  /** One run over `ids` at `at`. */
  run(at: Date, ids: string[], trigger: string, fail: Simulation['fail'] = () => null, range?: { since: Date; until: Date }): string {
    const runId = `run-${++this.runs}`;
    for (const id of ids) {
      const stream = this.streams.find((candidate) => candidate.id === id)!;
      const error = fail(id, at);
      const time = at.getTime();
      let rangeSince: string | null = null;
      let rangeUntil: string | null = null;
      let gaps: CollectionFact['gaps'] = [];
      if (stream.type === 'event') {
        const cursor = this.cursors.get(id);
        const since = range?.since.getTime() ?? (cursor === undefined ? time - (stream.lookbackDays ?? 90) * DAY : cursor - HOUR);
        const until = range?.until.getTime() ?? time;
        const boundary = stream.retentionDays === undefined ? -Infinity : time - stream.retentionDays * DAY;
        if (since < boundary) gaps = [{ since: new Date(since).toISOString(), until: new Date(Math.min(boundary, until)).toISOString(), reason: `the source keeps ${stream.retentionDays} days of history` }];
        [rangeSince, rangeUntil] = [new Date(since).toISOString(), new Date(until).toISOString()];
        if (!error && !range) this.cursors.set(id, until);
      }
      const startedAt = at.toISOString();
      this.facts.push({ runId, trigger, stream: id, status: error ? 'failed' : 'complete', error, rangeSince, rangeUntil, gaps, startedAt, finishedAt: new Date(time + 1000).toISOString() });
    }
    return runId;
  }
}

/** The daemon's collections over a span, as stream runs in commit order. */
export function simulate(simulation: Simulation): History {
  const history = new History(simulation.streams);
  const schedules = simulation.streams.map((stream) => ({ id: stream.id, schedule: planOf(stream).schedule }));
  const due = new Map<number, string[]>();
  for (const { id, schedule } of schedules) {
    for (const fire of schedule.fires(simulation.from, simulation.until)) due.set(fire.getTime(), [...(due.get(fire.getTime()) ?? []), id]);
  }
  const downs = [...(simulation.down ?? [])].sort((a, b) => a.since.getTime() - b.since.getTime());
  const times = [...new Set([...due.keys(), ...downs.map((down) => down.until.getTime())])].sort((a, b) => a - b);
  for (const time of times) {
    const down = downs.find((interval) => time >= interval.since.getTime() && time < interval.until.getTime());
    if (down) continue;
    const endOfDown = downs.find((interval) => interval.until.getTime() === time);
    if (endOfDown) {
      const missedSince = Math.min(...schedules.map(({ schedule }) => schedule.next(new Date(endOfDown.since.getTime() - 1))?.getTime() ?? time));
      const runId = history.run(new Date(time), simulation.streams.map((stream) => stream.id), 'catch-up', simulation.fail);
      history.downtimes.push({ since: new Date(missedSince), until: new Date(time), runId });
      continue;
    }
    history.run(new Date(time), due.get(time) ?? [], 'schedule', simulation.fail);
  }
  return history;
}
