/**
 * What `evidentia status` reads (`@evidentia/audit/status`): the coverage ledger over recent days and the
 * evidence requests, without the rest of the package, so a read command starts quickly.
 */
export { auditTimezone } from './audit-time.js';
export { causeText, duration } from './coverage/render.js';
export { ledgerFromLocker, openGaps } from './coverage/gather.js';
export { recentDays } from './coverage/recent-days.js';
export { streamPlans } from './coverage/plans.js';
export { renderRequestLedger } from './requests/render.js';
export { configuredRequestLedger } from './requests/gather.js';
