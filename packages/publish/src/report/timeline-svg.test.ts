/** The coverage timeline's days and months are the audit time zone's, as the period was read. */
import { describe, expect, it } from '@jest/globals';
import { parsePeriod } from '@evidentia/time';
import type { ReportModel } from './model.js';
import { timelineSvg } from './timeline-svg.js';

const svgOf = (period: string, timezone: string) => String(timelineSvg({ period: parsePeriod(period, { timezone, now: new Date('2027-01-01T00:00:00Z') }), streams: [], timezone } as unknown as ReportModel));

describe('timelineSvg', () => {
  it("labels the period's first and last day and each month in the audit time zone", () => {
    const berlin = svgOf('2026-01-01..2026-06-30', 'Europe/Berlin');
    // The period starts at 2025-12-31T23:00Z and ends before 2026-06-30T22:00Z: its days are still January 1st and June 30th.
    expect(berlin).toContain('period start 2026-01-01<');
    expect(berlin).toContain('period end 2026-06-30 (Europe/Berlin)<');
    expect([...berlin.matchAll(/>(\d{4}-\d{2})</g)].map((match) => match[1])).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const newYork = svgOf('2026-01-01..2026-06-30', 'America/New_York');
    expect(newYork).toContain('period start 2026-01-01<');
    expect(newYork).toContain('period end 2026-06-30 (America/New_York)<');
  });

  it('names no zone for UTC', () => {
    const utc = svgOf('2026-01-01..2026-03-31', 'UTC');
    expect(utc).toContain('period start 2026-01-01<');
    expect(utc).toContain('period end 2026-03-31<');
    expect([...utc.matchAll(/>(\d{4}-\d{2})</g)].map((match) => match[1])).toEqual(['2026-02', '2026-03']);
  });
});
