/** JQL date bounds: written in the account's time zone, rounded outwards to whole minutes. */
import { describe, expect, it } from '@jest/globals';
import { jqlTime, rangedJql } from './jql.js';

describe('jqlTime', () => {
  it('writes an instant in the given time zone, across daylight saving time', () => {
    expect(jqlTime(new Date('2026-04-02T00:00:00Z'), 'UTC', 'down')).toBe('2026-04-02 00:00');
    expect(jqlTime(new Date('2026-01-15T23:30:00Z'), 'Europe/Berlin', 'down')).toBe('2026-01-16 00:30');
    expect(jqlTime(new Date('2026-06-01T00:00:00Z'), 'Europe/Berlin', 'down')).toBe('2026-06-01 02:00');
    expect(jqlTime(new Date('2026-06-01T00:00:00Z'), 'America/Los_Angeles', 'down')).toBe('2026-05-31 17:00');
    expect(jqlTime(new Date('2026-06-01T00:00:00Z'), 'Asia/Kolkata', 'down')).toBe('2026-06-01 05:30');
  });

  it('rounds the start down and the end up', () => {
    expect(jqlTime(new Date('2026-06-01T10:00:59.999Z'), 'UTC', 'down')).toBe('2026-06-01 10:00');
    expect(jqlTime(new Date('2026-06-01T10:00:00.001Z'), 'UTC', 'up')).toBe('2026-06-01 10:01');
    expect(jqlTime(new Date('2026-06-01T10:00:00.000Z'), 'UTC', 'up')).toBe('2026-06-01 10:00');
  });

  it('names a time zone it does not know', () => {
    expect(() => jqlTime(new Date(), 'Mars/Olympus_Mons', 'down')).toThrow('the Jira account\'s time zone "Mars/Olympus_Mons" is not a time zone this Node.js knows');
  });
});

describe('rangedJql', () => {
  it('keeps the user JQL in parentheses and bounds it on updated', () => {
    const range = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
    expect(rangedJql('project = A OR project = B', range, 'UTC')).toBe('(project = A OR project = B) AND updated >= "2026-04-02 00:00" AND updated < "2026-07-01 00:00"');
    expect(rangedJql('project = A', { since: null, until: range.until }, 'UTC')).toBe('(project = A) AND updated < "2026-07-01 00:00"');
  });
});
