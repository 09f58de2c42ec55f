/**
 * The spans during which a CloudTrail trail was not logging, replayed from its
 * management events in time order: StopLogging or DeleteTrail opens a span,
 * StartLogging closes it; CreateTrail alone does not (a new trail logs only
 * once started). Only the part of a span inside the period counts.
 */

export interface TrailEvent {
  action: string;
  /** The trail, by name or ARN, as the event named it. */
  trail: string;
  at: number;
  hash: string;
}

export interface Gap {
  trail: string;
  start: number;
  /** Null: still off at the end of the period. */
  end: number | null;
  records: string[];
  describe(): string;
}

const STOPS = new Set(['StopLogging', 'DeleteTrail']);
const iso = (ms: number) => new Date(ms).toISOString();

/** The trail's name, whether the event named it or gave its ARN (`arn:aws:cloudtrail:…:trail/<name>`). */
export function trailName(target: string): string {
  const first = target.split(', ')[0]!;
  return /:trail\/(.+)$/.exec(first)?.[1] ?? first;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** Every span of the period in which a trail was off. */
export function trailGaps(events: readonly TrailEvent[], since: number, until: number): Gap[] {
  const relevant = events.filter((e) => STOPS.has(e.action) || e.action === 'StartLogging').sort((a, b) => a.at - b.at);
  const open = new Map<string, TrailEvent>();
  const gaps: Gap[] = [];
  const close = (opened: TrailEvent, closing: TrailEvent | null) => {
    const end = closing?.at ?? null;
    if ((end ?? until) <= since) return;
    const start = Math.max(opened.at, since);
    const how = opened.action === 'DeleteTrail' ? 'deleted' : 'stopped';
    const name = trailName(opened.trail);
    const describe = () =>
      end === null
        ? `trail ${name} ${how} at ${iso(opened.at)} and not logging again by the end of the period`
        : `trail ${name} ${how} at ${iso(opened.at)}, logging again at ${iso(end)} (${duration(end - start)} without logging in the period)`;
    gaps.push({ trail: name, start, end, records: [opened.hash, ...(closing ? [closing.hash] : [])], describe });
  };
  for (const event of relevant) {
    if (event.at >= until) break;
    const name = trailName(event.trail);
    const opened = open.get(name);
    if (STOPS.has(event.action)) {
      if (!opened) open.set(name, event);
    } else if (opened) {
      close(opened, event);
      open.delete(name);
    }
  }
  for (const opened of open.values()) close(opened, null);
  return gaps.sort((a, b) => a.start - b.start);
}
