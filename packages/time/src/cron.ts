/**
 * A cron schedule in a time zone, able to say exactly when it fires: the
 * daemon asks it when to wake up, and coverage asks how many collections a
 * period should hold. Both use this one iterator, so the ledger's "expected"
 * is by construction what the daemon runs. (node-cron cannot be driven by an
 * injected clock and does not enumerate past fire times; its parser's syntax
 * is followed here and its next-run computation serves as an oracle in tests.)
 *
 * Around daylight-saving changes: a local time that is skipped fires once,
 * right after the clocks jump; a local time that occurs twice fires once, at
 * its first occurrence. (node-cron skips the former, so a daily job at 02:30
 * in Europe/Berlin would miss a day a year and open a staleness gap.)
 */
import { parseCronFields, type CronFields } from './cron-fields.js';
import { TimeZone } from './zone.js';

/** How far ahead to look for a fire time before deciding there is none (Feb 29 fires every 4 years, at most 8 apart). */
const SEARCH_YEARS = 9;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first wall time at or after `from` (whole seconds) that the fields allow, or null within the search horizon. */
function nextWall(fields: CronFields, from: number): number | null {
  const start = new Date(Math.ceil(from / 1000) * 1000);
  let [year, month, day, hour, minute, second] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()];
  const lastYear = year + SEARCH_YEARS;
  const nextDay = () => {
    day++;
    hour = minute = second = 0;
  };
  while (year <= lastYear) {
    if (minute > 59) [minute, hour] = [0, hour + 1];
    if (hour > 23) [hour, day] = [0, day + 1];
    if (day > daysInMonth(year, month)) [day, month] = [1, month + 1];
    if (month > 12) [month, year] = [1, year + 1];
    const allowedMonth = fields.month[month]!;
    if (allowedMonth !== month) {
      [day, hour, minute, second] = [1, 0, 0, 0];
      if (allowedMonth < 0) [month, year] = [1, year + 1];
      else month = allowedMonth;
      continue;
    }
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    if (fields.dayOfMonth[day] !== day || fields.dayOfWeek[weekday] !== weekday) {
      nextDay();
      continue;
    }
    const allowedHour = fields.hour[hour]!;
    if (allowedHour < 0) {
      nextDay();
      continue;
    }
    if (allowedHour !== hour) [hour, minute, second] = [allowedHour, 0, 0];
    const allowedMinute = fields.minute[minute]!;
    if (allowedMinute < 0) {
      [hour, minute, second] = [hour + 1, 0, 0];
      continue;
    }
    if (allowedMinute !== minute) [minute, second] = [allowedMinute, 0];
    const allowedSecond = fields.second[second]!;
    if (allowedSecond < 0) {
      [minute, second] = [minute + 1, 0];
      continue;
    }
    return Date.UTC(year, month - 1, day, hour, minute, allowedSecond);
  }
  return null;
}

export class CronSchedule {
  private constructor(
    readonly expression: string,
    readonly zone: TimeZone,
    private readonly fields: CronFields,
  ) {}

  /** Throws CronSyntaxError for an expression it cannot read, RangeError for an unknown zone. */
  static parse(expression: string, timezone = 'UTC'): CronSchedule {
    return new CronSchedule(expression, TimeZone.of(timezone), parseCronFields(expression));
  }

  get timezone(): string {
    return this.zone.name;
  }

  /** The first fire time strictly after `after`, or null if the schedule never fires again. */
  next(after: Date): Date | null {
    const limit = after.getTime();
    let wall = this.zone.wallOf(limit);
    for (;;) {
      const candidate = nextWall(this.fields, Math.floor(wall / 1000) * 1000 + 1000);
      if (candidate === null) return null;
      const instant = this.zone.instantOf(candidate);
      if (instant > limit) return new Date(instant);
      wall = candidate;
    }
  }

  /** Every fire time in [since, until), in order. */
  *fires(since: Date, until: Date): Generator<Date> {
    let fire = this.next(new Date(since.getTime() - 1));
    while (fire && fire < until) {
      yield fire;
      fire = this.next(fire);
    }
  }

}
