/**
 * The audit settings a config holds, as the config loader needs them: a subpath of their own
 * (`@evidentia/audit/settings`), so a command that only reads the config does not load the whole
 * package (checks, exports, spreadsheets).
 */
export { AccessReviewSettings } from './access-reviews/settings.js';
export { type RequestProblem, RequestSettings, resolveRequests } from './requests/settings.js';
export { ConfigError } from './errors.js';
