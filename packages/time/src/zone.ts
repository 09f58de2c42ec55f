/**
 * Wall-clock time in an IANA time zone, for cron schedules and audit periods.
 * A "wall" time is the local date and time encoded as if it were UTC
 * milliseconds, so calendar arithmetic stays plain integer work; this module
 * is the only place that converts between wall times and instants.
 *
 * Offsets are looked up once per UTC day and cached: a day whose offset
 * differs at its two ends holds one transition, found by bisection. (No zone
 * in use today changes its offset twice within one day.)
 */
const DAY_MS = 86_400_000;

interface DayOffsets {
  before: number;
  after: number;
  /** First instant of the day with the `after` offset; Infinity when the offset does not change. */
  transition: number;
}

export class TimeZone {
  private static readonly zones = new Map<string, TimeZone>();
  private readonly days = new Map<number, DayOffsets>();
  private readonly format: Intl.DateTimeFormat | null;

  private constructor(readonly name: string) {
    this.format = /^(UTC|Etc\/UTC|Etc\/GMT|GMT|Z)$/i.test(name)
      ? null
      : new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }

  /** The zone named `name`; throws a RangeError naming it when the runtime does not know it. */
  static of(name: string): TimeZone {
    let zone = TimeZone.zones.get(name);
    if (!zone) {
      try {
        zone = new TimeZone(name);
      } catch {
        throw new RangeError(`unknown time zone "${name}" (expected an IANA name such as UTC or Europe/Berlin)`);
      }
      TimeZone.zones.set(name, zone);
    }
    return zone;
  }

  /** Milliseconds to add to `instant` to get the local wall time. */
  offsetAt(instant: number): number {
    if (!this.format) return 0;
    const day = this.day(Math.floor(instant / DAY_MS));
    return instant < day.transition ? day.before : day.after;
  }

  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant a wall time denotes. An ambiguous time (clocks set back) is
   * its first occurrence; a time that does not exist (clocks set forward) is
   * the instant the clocks jumped, so a job scheduled in the skipped hour still
   * runs once, right after the jump.
   */
  instantOf(wall: number): number {
    if (!this.format) return wall;
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const withBefore = wall - before;
    const withAfter = wall - after;
    const beforeHolds = this.offsetAt(withBefore) === before;
    const afterHolds = this.offsetAt(withAfter) === after;
    if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter);
    if (beforeHolds) return withBefore;
    if (afterHolds) return withAfter;
    return this.transitionWithin(Math.min(withBefore, withAfter), Math.max(withBefore, withAfter)) ?? Math.max(withBefore, withAfter);
  }

  private transitionWithin(from: number, to: number): number | null {
    for (let key = Math.floor(from / DAY_MS); key <= Math.floor(to / DAY_MS); key++) {
      const { transition } = this.day(key);
      if (transition > from && transition <= to) return transition;
    }
    return null;
  }

  private day(key: number): DayOffsets {
    let day = this.days.get(key);
    if (!day) {
      const start = key * DAY_MS;
      const before = this.rawOffset(start);
      const after = this.rawOffset(start + DAY_MS);
      day = { before, after, transition: before === after ? Infinity : this.bisect(start, start + DAY_MS, after) };
      this.days.set(key, day);
    }
    return day;
  }

  /** The first whole second in (low, high] whose offset is `after` (the offset at `high`). */
  private bisect(low: number, high: number, after: number): number {
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (this.rawOffset(middle) === after) high = middle;
      else low = middle;
    }
    return high;
  }

  private rawOffset(instant: number): number {
    const second = Math.floor(instant / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.format!.formatToParts(second)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as given.
    const wall = new Date(Date.UTC(2000, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)).setUTCFullYear(parts.year ?? 1970);
    return wall - second;
  }
}
