/** Audit time: the IANA zone (DST-safe wall time ↔ instant), the one period grammar, the cron iterator and the clock. */
export { TimeZone } from './zone.js';
export { parseMoment, parsePeriod, parseRange, recentPeriod, PeriodError, type Period, type ReadOptions } from './period.js';
export { CronSchedule } from './cron.js';
export { CronSyntaxError } from './cron-fields.js';
export { systemClock, type Clock } from './clock.js';
