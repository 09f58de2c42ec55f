import { describe, expect, it } from '@jest/globals';
import cron from 'node-cron';
import { CronSchedule } from './cron.js';
import { CronSyntaxError } from './cron-fields.js';

const d = (text: string) => new Date(text);

function nextN(expression: string, timezone: string, from: Date, count: number): string[] {
  const schedule = CronSchedule.parse(expression, timezone);
  const out: string[] = [];
  let at: Date | null = from;
  while (at && out.length < count) {
    at = schedule.next(at);
    if (at) out.push(at.toISOString());
  }
  return out;
}

describe('CronSchedule', () => {
  it('agrees with node-cron on the next fire times, away from daylight-saving changes', () => {
    const cases: Array<[string, string]> = [
      ['0 2 * * *', 'UTC'],
      ['*/15 * * * *', 'UTC'],
      ['30 9 * * mon-fri', 'America/New_York'],
      ['0 */6 * * *', 'Asia/Kolkata'],
      ['0 0 1,15 * *', 'Europe/Berlin'],
      ['5 4 * jan,jul sun', 'Australia/Sydney'],
      ['0 0 13 * 5', 'UTC'],
      ['10 22-2 * * *', 'UTC'],
      ['*/20 * * * * *', 'UTC'],
      ['0 0 29 2 *', 'UTC'],
    ];
    for (const [expression, timezone] of cases) {
      const task = cron.createTask(expression, () => {}, { timezone });
      try {
        // node-cron reads the wall clock itself and, within a second that is itself a fire time, may or may not
        // count it: compare with ours from just before and from the start of the current second, read both
        // before and after its call, so a run that lands on a fire time's first second is not a false failure.
        const ours = () => [-1, 0].map((offset) => nextN(expression, timezone, new Date(Math.floor(Date.now() / 1000) * 1000 + offset), 12));
        const before = ours();
        const theirs = task.getNextRuns(12).map((date) => date.toISOString());
        const candidates = [...before, ...ours()];
        const fires = candidates.find((candidate) => JSON.stringify(candidate) === JSON.stringify(theirs)) ?? candidates[0];
        expect({ expression, timezone, fires }).toEqual({ expression, timezone, fires: theirs });
      } finally {
        void task.destroy();
      }
    }
  });

  it('counts a year of hourly and daily fires, with the short and long days of daylight saving', () => {
    const count = (expression: string, timezone = 'UTC') => [...CronSchedule.parse(expression, timezone).fires(d('2026-01-01T00:00:00Z'), d('2027-01-01T00:00:00Z'))].length;
    expect(count('0 * * * *')).toBe(8760);
    expect(count('0 2 * * *')).toBe(365);
    // Berlin: 29 March has 23 hours (one fire fewer), 25 October 25 hours (02:00 fires once).
    expect(count('0 * * * *', 'Europe/Berlin')).toBe(8759);
    expect(count('30 2 * * *', 'Europe/Berlin')).toBe(365);
  });

  it('fires a skipped local time right after the clocks jump, and a repeated one once', () => {
    expect(nextN('30 2 * * *', 'Europe/Berlin', d('2026-03-28T00:00:00Z'), 3)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(nextN('30 2 * * *', 'Europe/Berlin', d('2026-10-24T00:00:00Z'), 3)).toEqual(['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(nextN('0 * * * *', 'America/New_York', d('2026-11-01T03:30:00Z'), 4)).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-01T07:00:00.000Z', '2026-11-01T08:00:00.000Z']);
  });

  it('lists the fires of a period, half-open', () => {
    const fires = [...CronSchedule.parse('0 0 * * *').fires(d('2026-01-01T00:00:00Z'), d('2026-01-04T00:00:00Z'))].map((f) => f.toISOString());
    expect(fires).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
    expect(CronSchedule.parse('0 0 31 2 *').next(d('2026-01-01T00:00:00Z'))).toBeNull();
  });

  it('reads names, ranges, wrapping ranges, steps, lists, ? and weekday 7', () => {
    expect(nextN('0 0 ? * 7', 'UTC', d('2026-01-01T00:00:00Z'), 2)).toEqual(['2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z']);
    expect(nextN('0 12 * * sat-sun', 'UTC', d('2026-01-01T00:00:00Z'), 3)).toEqual(['2026-01-03T12:00:00.000Z', '2026-01-04T12:00:00.000Z', '2026-01-10T12:00:00.000Z']);
    expect(nextN('0 0 1 february *', 'UTC', d('2026-01-01T00:00:00Z'), 1)).toEqual(['2026-02-01T00:00:00.000Z']);
    expect(nextN('15/20 3 * * *', 'UTC', d('2026-01-01T00:00:00Z'), 3)).toEqual(['2026-01-01T03:15:00.000Z', '2026-01-01T03:35:00.000Z', '2026-01-01T03:55:00.000Z']);
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(() => CronSchedule.parse('0 2 * *')).toThrow(/4 fields; expected 5/);
    expect(() => CronSchedule.parse('0 25 * * *')).toThrow(new CronSyntaxError('hour field "25": 25 is outside 0-23'));
    expect(() => CronSchedule.parse('0 0 L * *')).toThrow(/L, W and # are not supported/);
    expect(() => CronSchedule.parse('0 0 * * 5#2')).toThrow(/L, W and # are not supported/);
    expect(() => CronSchedule.parse('*/0 * * * *')).toThrow(/step/);
    expect(() => CronSchedule.parse('0 0 * * *', 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
