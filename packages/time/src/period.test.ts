import { describe, expect, it } from '@jest/globals';
import { parseMoment, parsePeriod, parseRange, PeriodError } from './index.js';

const d = (iso: string) => new Date(iso);
const NOW = d('2026-12-04T15:30:00Z');
const read = (text: string, timezone = 'UTC') => parsePeriod(text, { timezone, now: NOW });
const span = (text: string, timezone = 'UTC') => {
  const period = read(text, timezone);
  return [period.since.toISOString(), period.until.toISOString()];
};

describe('parsePeriod', () => {
  it('counts both days in: a date end runs to the midnight after it', () => {
    expect(span('2026-01-01..2026-06-30')).toEqual(['2026-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    expect(span('2026-06-30..2026-06-30')).toEqual(['2026-06-30T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    expect(span('2024-02-29..2024-02-29')).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(read('2026-01-01..2026-06-30').requested).toBeUndefined();
  });

  it('cuts an end after now to now, so a far-future end judges what a period ending today judges', () => {
    const today = read('2026-01-01..2026-12-04');
    for (const text of ['2026-01-01..2099-12-31', '2026-01-01..9999-12-31', '2026-01-01..2026-12-04T23:00:00Z']) {
      const period = read(text);
      expect({ since: period.since, until: period.until }).toEqual({ since: today.since, until: today.until });
      expect(period.until).toEqual(NOW);
      expect(period.requested).toBe(text);
      expect(period.requestedUntil!.getTime()).toBeGreaterThan(NOW.getTime());
    }
    expect(read('2026-01-01..9999-12-31', 'Europe/Berlin').until).toEqual(NOW);
  });

  it('reads dates and wall times in the zone, across a DST change in Europe/Berlin', () => {
    expect(span('2026-01-01..2026-06-30', 'Europe/Berlin')).toEqual(['2025-12-31T23:00:00.000Z', '2026-06-30T22:00:00.000Z']);
    // 29 March 2026: clocks go from 02:00 CET to 03:00 CEST, a day of 23 hours.
    expect(span('2026-03-29..2026-03-29', 'Europe/Berlin')).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    // 25 October 2026: clocks go back from 03:00 CEST to 02:00 CET, a day of 25 hours.
    expect(span('2026-10-25..2026-10-25', 'Europe/Berlin')).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(span('2026-03-29T01:30..2026-03-29T04:00', 'Europe/Berlin')).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T02:00:00.000Z']);
  });

  it('reads a date-time with Z or an offset as that instant whatever the zone, and its end as exclusive', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York']) {
      expect(span('2026-01-01T10:00:00Z..2026-01-02T10:00:00.250+02:00', zone)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-02T08:00:00.250Z']);
    }
    expect(span('2026-01-01T10:00..2026-01-01T12:30:15', 'America/New_York')).toEqual(['2026-01-01T15:00:00.000Z', '2026-01-01T17:30:15.000Z']);
  });

  it('refuses bad input with a message naming the option and the text', () => {
    const problem = (text: string, options = {}) => {
      try {
        parsePeriod(text, { now: NOW, ...options });
      } catch (error) {
        expect(error).toBeInstanceOf(PeriodError);
        return (error as Error).message;
      }
      throw new Error(`"${text}" was accepted`);
    };
    expect(problem('2026-01-01')).toBe('--period expects A..B with both days inclusive, e.g. 2026-01-01..2026-06-30, got "2026-01-01"');
    expect(problem('2026-01-01..2026-02-01..2026-03-01')).toMatch(/^--period expects A\.\.B/);
    expect(problem('2026-02-30..2026-03-01')).toMatch(/^--period: "2026-02-30" is not a date such as 2026-06-30/);
    expect(problem('2026-01-01..10000-01-01')).toMatch(/"10000-01-01" is not a date/);
    expect(problem('2026-01-01T25:00..2026-02-01')).toMatch(/"2026-01-01T25:00" is not a date/);
    expect(problem('2026-01-01..2026-02-01T10:00+25:00')).toMatch(/"2026-02-01T10:00\+25:00" is not a date/);
    expect(problem('last-year..today')).toMatch(/"last-year" is not a date/);
    expect(problem('2026-03-01..2026-02-01')).toBe('--period 2026-03-01..2026-02-01: the start must be before the end');
    expect(problem('2027-01-01..2027-12-31')).toBe('--period 2027-01-01..2027-12-31: the start 2027-01-01T00:00:00.000Z is not before now (2026-12-04T15:30:00.000Z); there is no evidence yet');
    expect(problem('2026-01-01..2026-02-01', { timezone: 'Europe/Atlantis' })).toBe('--period: unknown time zone "Europe/Atlantis" (expected an IANA name such as UTC or Europe/Berlin)');
    expect(problem('2026-01', { option: '--window' })).toMatch(/^--window expects A\.\.B/);
  });
});

describe('parseRange (collect --since/--until)', () => {
  it('reads --until as the end of that day in the zone, like a period end', () => {
    const range = parseRange({ since: '2026-04-02', until: '2026-06-30' }, { now: NOW });
    expect(range).toEqual({ since: d('2026-04-02T00:00:00Z'), until: d('2026-07-01T00:00:00Z') });
    expect(range).toEqual(parsePeriod('2026-04-02..2026-06-30', { now: NOW }));
    expect(parseRange({ until: '2026-06-30' }, { now: NOW, timezone: 'Europe/Berlin' })).toEqual({ until: d('2026-06-30T22:00:00Z') });
    expect(parseRange({ since: '2026-06-30T12:00:00Z' }, { now: NOW })).toEqual({ since: d('2026-06-30T12:00:00Z') });
    expect(parseRange({}, { now: NOW })).toEqual({});
  });

  it('cuts an --until after now to now and refuses a --since after now or after --until', () => {
    expect(parseRange({ since: '2026-01-01', until: '9999-12-31' }, { now: NOW })).toEqual({ since: d('2026-01-01T00:00:00Z'), until: NOW });
    expect(() => parseRange({ since: '2027-01-01' }, { now: NOW })).toThrow('--since 2027-01-01: the start 2027-01-01T00:00:00.000Z is not before now');
    expect(() => parseRange({ since: '2026-06-30', until: '2026-06-01' }, { now: NOW })).toThrow('--since 2026-06-30 --until 2026-06-01: the start must be before the end');
    expect(() => parseRange({ until: '2026-06-31' }, { now: NOW })).toThrow('--until: "2026-06-31" is not a date');
  });
});

describe('parseMoment (records --at)', () => {
  it('reads a date as the end of that day in the zone, so the day\'s own collections are included', () => {
    expect(parseMoment('2026-03-03')).toEqual(d('2026-03-04T00:00:00Z'));
    expect(parseMoment('2026-03-03', { timezone: 'America/New_York' })).toEqual(d('2026-03-04T05:00:00Z'));
    // The day clocks go forward in Berlin ends at 22:00Z, not 23:00Z.
    expect(parseMoment('2026-03-28', { timezone: 'Europe/Berlin' })).toEqual(d('2026-03-28T23:00:00Z'));
    expect(parseMoment('2026-03-29', { timezone: 'Europe/Berlin' })).toEqual(d('2026-03-29T22:00:00Z'));
  });

  it('reads a wall time in the zone and an instant as itself, and allows a moment after now', () => {
    expect(parseMoment('2026-03-03T09:30', { timezone: 'Europe/Berlin' })).toEqual(d('2026-03-03T08:30:00Z'));
    expect(parseMoment('2026-03-03T09:30:00Z', { timezone: 'Europe/Berlin' })).toEqual(d('2026-03-03T09:30:00Z'));
    expect(parseMoment('9999-12-31').toISOString()).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('refuses what is not a date, naming the option, instead of rolling 30 February over', () => {
    expect(() => parseMoment('2026-02-30')).toThrow('--at: "2026-02-30" is not a date');
    expect(() => parseMoment('yesterday', { option: '--as-of' })).toThrow('--as-of: "yesterday" is not a date');
    expect(() => parseMoment('2026-03-03', { timezone: 'Mars/Olympus' })).toThrow(PeriodError);
  });
});
