/**
 * Who an OIDC sign-in is, by the portal's rules: the first rule whose email
 * (only one with email_verified true) or group matches gives the role and, for an
 * auditor, the periods. No match, no entry: the IdP authenticates, the
 * config authorizes.
 */
import type { OidcSettings } from './oidc-settings.js';
import type { Role } from './roles.js';

export interface OidcIdentity {
  /** What the portal shows and logs as the user: the email, else the subject. */
  name: string;
  role: Role;
  /** An auditor's periods when the rule names them. */
  periods?: readonly string[];
}

export type OidcMatch = { ok: true; identity: OidcIdentity } | { ok: false; reason: string };

/** The identity the ID token's claims map to, or why the user is refused. */
export function mapClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, 'roles' | 'groupsClaim'>): OidcMatch {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  // An address the IdP does not say it has verified could be anyone's: it matches no email rule. Some IdPs send the
  // claim as a string; a missing claim, "false" or anything else is not verified.
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const email = typeof claims.email === 'string' && verified ? claims.email.trim().toLowerCase() : null;
  const rawGroups = claims[settings.groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((group): group is string => typeof group === 'string') : typeof rawGroups === 'string' ? [rawGroups] : [];
  const rule = settings.roles.find((candidate) => (candidate.email !== undefined ? candidate.email === email : groups.includes(candidate.group!)));
  const name = email ?? subject;
  const unverified = typeof claims.email === 'string' && !verified ? ` (its email ${claims.email} is not verified by the identity provider: email_verified is not true, so no email rule matches it)` : '';
  if (!rule) return { ok: false, reason: `${name || 'the user'} is not given a role by portal.oidc.roles${unverified}` };
  return { ok: true, identity: { name, role: rule.role, ...(rule.auditPeriods ? { periods: rule.auditPeriods } : {}) } };
}

/** Problems with the rules against the configured audit periods, and URLs over plain http off loopback, one line each (checked before the server starts). */
export function oidcProblems(settings: Pick<OidcSettings, 'roles' | 'issuer' | 'redirectUrl' | 'postLogoutRedirectUrl'>, auditPeriods: readonly string[]): string[] {
  const problems: string[] = [];
  settings.roles.forEach((rule, index) => {
    if (rule.role !== 'auditor') return;
    const periods = rule.auditPeriods ?? auditPeriods;
    if (periods.length === 0) problems.push(`portal.oidc.roles[${index}]: this auditor can see no period: list portal.auditPeriods`);
    for (const period of rule.auditPeriods ?? []) if (!auditPeriods.includes(period)) problems.push(`portal.oidc.roles[${index}].auditPeriods: ${period} is not one of portal.auditPeriods`);
  });
  // The IdP's answers, the authorization code on its way back and the session cookie set with it: none crosses a network in clear.
  const urls = { issuer: settings.issuer, redirectUrl: settings.redirectUrl, postLogoutRedirectUrl: settings.postLogoutRedirectUrl };
  for (const [key, text] of Object.entries(urls)) {
    const url = text === undefined ? null : new URL(text);
    if (url?.protocol === 'http:' && !isLoopback(url.hostname)) problems.push(`portal.oidc.${key} ${text}: use https (plain http is only accepted on a loopback address)`);
  }
  return problems;
}

export function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1' || hostname === 'localhost';
}
