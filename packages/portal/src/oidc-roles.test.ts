/** The OIDC rules: first match wins, only verified emails match, no match no entry; and the settings' own checks. */
import { describe, expect, it } from '@jest/globals';
import { mapClaims, oidcProblems } from './oidc-roles.js';
import { OidcSettings } from './oidc-settings.js';

const secret = { reveal: () => 's3cret', reference: '${env:OIDC_SECRET}', toJSON: () => '[secret ${env:OIDC_SECRET}]' };
const base = { issuer: 'https://idp.example.com', clientId: 'portal', clientSecret: secret, redirectUrl: 'https://evidence.example.com/sign-in/oidc/callback' };
const settings = OidcSettings.parse({
  ...base,
  roles: [
    { email: 'Auditor@CPA.example', role: 'auditor', auditPeriods: ['2026-01-01..2026-06-30'] },
    { group: 'admins', role: 'admin' },
    { group: 'security', role: 'team' },
  ],
});

describe('OIDC rules', () => {
  it('gives the first matching rule\'s role, matching emails case-insensitively', () => {
    expect(mapClaims({ sub: 'a', email: 'auditor@cpa.EXAMPLE', email_verified: true, groups: ['admins'] }, settings)).toEqual({ ok: true, identity: { name: 'auditor@cpa.example', role: 'auditor', periods: ['2026-01-01..2026-06-30'] } });
    expect(mapClaims({ sub: 'b', email: 'x@acme.example', email_verified: true, groups: ['security', 'admins'] }, settings)).toEqual({ ok: true, identity: { name: 'x@acme.example', role: 'admin' } });
    expect(mapClaims({ sub: 'c', groups: 'security' }, settings)).toEqual({ ok: true, identity: { name: 'c', role: 'team' } });
  });

  it('refuses a user no rule maps, and matches no rule on an unverified email', () => {
    expect(mapClaims({ sub: 'd', email: 'someone@acme.example', email_verified: true, groups: ['staff'] }, settings)).toEqual({ ok: false, reason: 'someone@acme.example is not given a role by portal.oidc.roles' });
    expect(mapClaims({ sub: 'e', email: 'auditor@cpa.example', email_verified: false }, settings).ok).toBe(false);
    expect(mapClaims({ sub: 'f', groups: [7, { group: 'admins' }] }, settings).ok).toBe(false);
  });

  it('takes an email as verified only when email_verified is true or "true": "false", another value or no claim matches no email rule', () => {
    expect(mapClaims({ sub: 'e', email: 'auditor@cpa.example', email_verified: 'true' }, settings)).toEqual({ ok: true, identity: { name: 'auditor@cpa.example', role: 'auditor', periods: ['2026-01-01..2026-06-30'] } });
    for (const unverified of [{ email_verified: 'false' }, { email_verified: 'yes' }, { email_verified: 1 }, { email_verified: null }, {}]) {
      // The refusal says why the address matched no email rule, so the operator does not hunt for a typo in the rule.
      expect(mapClaims({ sub: 'e', email: 'auditor@cpa.example', ...unverified }, settings)).toEqual({ ok: false, reason: 'e is not given a role by portal.oidc.roles (its email auditor@cpa.example is not verified by the identity provider: email_verified is not true, so no email rule matches it)' });
    }
    // A group rule still matches, and the user is named by the subject, not by an address no one verified.
    expect(mapClaims({ sub: 'e', email: 'auditor@cpa.example', groups: ['security'] }, settings)).toEqual({ ok: true, identity: { name: 'e', role: 'team' } });
  });

  it('reads groups from the configured claim', () => {
    const custom = OidcSettings.parse({ ...base, groupsClaim: 'roles', roles: [{ group: 'security', role: 'team' }] });
    expect(mapClaims({ sub: 'g', groups: ['security'] }, custom).ok).toBe(false);
    expect(mapClaims({ sub: 'g', roles: ['security'] }, custom).ok).toBe(true);
  });

  it('checks auditor periods against portal.auditPeriods and refuses plain http off loopback', () => {
    expect(oidcProblems(settings, ['2026-01-01..2026-06-30'])).toEqual([]);
    expect(oidcProblems(settings, [])).toEqual(['portal.oidc.roles[0].auditPeriods: 2026-01-01..2026-06-30 is not one of portal.auditPeriods']);
    const noPeriods = OidcSettings.parse({ ...base, roles: [{ group: 'cpa', role: 'auditor' }] });
    expect(oidcProblems(noPeriods, [])).toEqual(['portal.oidc.roles[0]: this auditor can see no period: list portal.auditPeriods']);
    expect(oidcProblems({ ...settings, issuer: 'http://idp.example.com' }, ['2026-01-01..2026-06-30'])).toEqual(['portal.oidc.issuer http://idp.example.com: use https (plain http is only accepted on a loopback address)']);
    expect(oidcProblems({ ...settings, issuer: 'http://127.0.0.1:9000' }, ['2026-01-01..2026-06-30'])).toEqual([]);
  });

  it('refuses a redirect or post-logout URL over plain http off loopback: the code and the session cookie would cross the network in clear', () => {
    const periods = ['2026-01-01..2026-06-30'];
    const plain = { ...settings, redirectUrl: 'http://evidence.example.com/sign-in/oidc/callback', postLogoutRedirectUrl: 'http://evidence.example.com/sign-in' };
    expect(oidcProblems(plain, periods)).toEqual([
      'portal.oidc.redirectUrl http://evidence.example.com/sign-in/oidc/callback: use https (plain http is only accepted on a loopback address)',
      'portal.oidc.postLogoutRedirectUrl http://evidence.example.com/sign-in: use https (plain http is only accepted on a loopback address)',
    ]);
    expect(oidcProblems({ ...settings, redirectUrl: 'http://127.0.0.1:8080/sign-in/oidc/callback', postLogoutRedirectUrl: 'http://localhost:8080/sign-in' }, periods)).toEqual([]);
  });

  it('refuses a literal secret, a redirect URL off the callback path, and a rule with both or neither of email and group', () => {
    const problems = (value: object) => OidcSettings.safeParse(value).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(problems({ ...base, clientSecret: 'literal', roles: [{ group: 'a', role: 'team' }] })[0]).toMatch(/^clientSecret: expected a secret reference/);
    expect(problems({ ...base, redirectUrl: 'https://evidence.example.com/callback', roles: [{ group: 'a', role: 'team' }] })).toEqual(['redirectUrl: the redirect URL\'s path must be /sign-in/oidc/callback']);
    expect(problems({ ...base, roles: [{ group: 'a', email: 'b@c.d', role: 'team' }] })).toEqual(['roles.0: a rule names exactly one of email or group']);
    expect(problems({ ...base, roles: [{ role: 'team' }] })).toEqual(['roles.0: a rule names exactly one of email or group']);
    expect(problems({ ...base, roles: [{ group: 'a', role: 'team', auditPeriods: ['2026-01-01..2026-01-31'] }] })).toEqual(['roles.0: auditPeriods is for auditor rules only']);
    expect(problems({ ...base, roles: [] })[0]).toMatch(/^roles: /);
    // The discovery document's URL pasted as the issuer: said at once, not as a 404 of .well-known twice over.
    expect(problems({ ...base, issuer: 'https://idp.example.com/.well-known/openid-configuration', roles: [{ group: 'a', role: 'team' }] })).toEqual(['issuer: the issuer URL, not its discovery document: https://idp.example.com']);
  });

  it("takes a post-logout redirect only to the portal's sign-in page", () => {
    const roles = [{ group: 'security', role: 'team' }];
    expect(OidcSettings.parse({ ...base, roles, postLogoutRedirectUrl: 'https://evidence.example.com/sign-in' }).postLogoutRedirectUrl).toBe('https://evidence.example.com/sign-in');
    for (const postLogoutRedirectUrl of ['https://evidence.example.com/', 'https://evidence.example.com/sign-in?next=/runs', 'javascript:alert(1)']) {
      expect([...new Set(OidcSettings.safeParse({ ...base, roles, postLogoutRedirectUrl }).error?.issues.map((issue) => issue.path.join('.')))]).toEqual(['postLogoutRedirectUrl']);
    }
  });
});
