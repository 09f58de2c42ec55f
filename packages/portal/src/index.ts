/**
 * `evidentia serve`: the read-only portal over a locker, for auditors and the
 * security team. Reads through @evidentia/audit and @evidentia/publish; never
 * imports the SDK, a connector or the CLI (the collector's `serve` command
 * wires it to the config and the locker).
 */
export { buildPortalApp, CSP, CSRF_COOKIE, type PortalAppOptions, SESSION_COOKIE } from './app.js';
export { AuditLog, type PortalLogSink } from './audit-log.js';
export { Judgements } from './judgements.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { OidcSignIn } from './oidc.js';
export { mapClaims, type OidcIdentity } from './oidc-roles.js';
export { OIDC_CALLBACK_PATH, OidcRule, OidcSettings, type RevealableSecret } from './oidc-settings.js';
export { PeriodAccess } from './periods.js';
export { SessionStore } from './sessions.js';
export { PortalSettings, PortalUser, ROLES, type Role } from './settings.js';
export { SignInLimit } from './sign-in-limit.js';
export { listenAddress, startPortal, type RunningPortal, type StartOptions } from './start.js';
export { type VerifyResult, VerifyRuns, type VerifyStarter } from './verify-runs.js';
