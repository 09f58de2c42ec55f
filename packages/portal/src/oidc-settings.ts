/**
 * The config's `portal.oidc:` section: sign-in through the team's identity
 * provider (OpenID Connect, authorization code flow with PKCE). Who gets in
 * is decided here, not by the IdP: the first rule whose email or group
 * matches the signed-in user gives the role (and, for an auditor, the audit
 * periods); a user no rule matches is refused. The client secret is a
 * reference (`${env:NAME}` / `${file:PATH}`) the collector's config loader
 * resolves; the portal only ever holds the resolved object, which prints as
 * `[secret]`.
 */
import { z } from 'zod';
import { ROLES } from './roles.js';

/** Where an issuer serves its discovery document (the portal appends it: the issuer is the URL before it). */
const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** The callback path the portal serves; `redirectUrl` must end in it. */
export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';

/** A secret the config loader resolved (the SDK's Secret, seen structurally: the portal does not import the SDK). */
export interface RevealableSecret {
  reveal(): string;
  readonly reference: string;
}

const secretReference = z.custom<RevealableSecret>((value) => typeof value === 'object' && value !== null && typeof (value as RevealableSecret).reveal === 'function', {
  message: 'expected a secret reference such as ${env:NAME} or ${file:/path/to/file}, not a literal value',
});

export const OidcRule = z
  .object({
    email: z.string().trim().toLowerCase().min(3).optional().describe('the verified email address the IdP reports (case-insensitive)'),
    group: z.string().min(1).optional().describe('a value of the groups claim'),
    role: z.enum(ROLES),
    auditPeriods: z.array(z.string().min(1)).optional().describe('auditors only: the periods of portal.auditPeriods this auditor may see (default: all of them)'),
  })
  .strict()
  .refine((rule) => (rule.email === undefined) !== (rule.group === undefined), { message: 'a rule names exactly one of email or group' })
  .refine((rule) => rule.auditPeriods === undefined || rule.role === 'auditor', { message: 'auditPeriods is for auditor rules only' });
export type OidcRule = z.infer<typeof OidcRule>;

export const OidcSettings = z
  .object({
    issuer: z
      .url({ protocol: /^https?$/ })
      .superRefine((url, context) => {
        const at = url.indexOf(DISCOVERY_PATH);
        if (at >= 0) context.addIssue({ code: 'custom', message: `the issuer URL, not its discovery document: ${url.slice(0, at)}` });
      })
      .describe('the IdP issuer URL (its discovery document is at /.well-known/openid-configuration); http only for a loopback address'),
    clientId: z.string().min(1),
    clientSecret: secretReference.optional().describe('${env:NAME} or ${file:PATH}; absent for a public client (PKCE only)'),
    redirectUrl: z
      .url({ protocol: /^https?$/ })
      .refine((url) => new URL(url).pathname === OIDC_CALLBACK_PATH, { message: `the redirect URL's path must be ${OIDC_CALLBACK_PATH}` })
      .describe(`the portal's public URL + ${OIDC_CALLBACK_PATH}, as registered at the IdP; http only for a loopback address`),
    postLogoutRedirectUrl: z
      .url({ protocol: /^https?$/ })
      .refine((url) => new URL(url).pathname === '/sign-in' && new URL(url).search === '', { message: "the post-logout redirect URL is the portal's public URL + /sign-in" })
      .optional()
      .describe("where the IdP sends the browser after its logout (the portal's public URL + /sign-in, registered at the IdP); without it the IdP shows its own page"),
    label: z.string().min(1).default('single sign-on').describe('the sign-in button says "Sign in with <label>"'),
    scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']).refine((scopes) => scopes.includes('openid'), { message: 'scopes must include openid' }),
    groupsClaim: z.string().min(1).default('groups').describe('the ID token claim listing the user\'s groups'),
    roles: z.array(OidcRule).min(1).describe('first match wins; a user no rule matches is refused'),
  })
  .strict()
  .describe('OpenID Connect sign-in (optional)');
export type OidcSettings = z.infer<typeof OidcSettings>;
