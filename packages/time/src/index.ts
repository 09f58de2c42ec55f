/** Audit time: the IANA zone (DST-safe wall time ↔ instant) and the one period grammar. */
export { TimeZone } from './zone.js';
export { parsePeriod, parseRange, recentPeriod, PeriodError, type Period, type ReadOptions } from './period.js';
