/**
 * The Google Workspace connector's configuration: which customer, how to
 * authenticate (a service account with domain-wide delegation, or an OAuth
 * access token), and which API hosts. Objects are strict so a typo is a
 * configuration error. Also the read-only scopes each stream needs, so the
 * token requests, doctor and README agree on one list.
 */
import { z } from 'zod';
import { secret, ServiceAccountPatterns } from '@evidentia/sdk';

export const DEFAULT_ROOT_URL = 'https://admin.googleapis.com/';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';

const SCOPE_BASE = 'https://www.googleapis.com/auth/';
/** Read users (and deleted users) of the directory. */
export const USER_SCOPE = `${SCOPE_BASE}admin.directory.user.readonly`;
/** Read admin roles and role assignments. */
export const ROLE_SCOPE = `${SCOPE_BASE}admin.directory.rolemanagement.readonly`;
/** Read the Admin console audit log (Reports API). */
export const AUDIT_SCOPE = `${SCOPE_BASE}admin.reports.audit.readonly`;

/** The scopes each stream asks for: least privilege per stream, so one missing grant fails only its stream. */
export const STREAM_SCOPES = {
  users: [USER_SCOPE],
  admin_roles: [ROLE_SCOPE, USER_SCOPE],
  user_lifecycle: [AUDIT_SCOPE],
} as const;

const domain = z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'a domain name such as example.com');
const httpUrl = z.url({ protocol: /^https?$/ });

export const ServiceAccountConfig = z
  .object({
    /** The JSON key file of the service account, e.g. `${file:/etc/evidentia/gws-key.json}`. */
    key: secret(),
    /** The administrator the service account acts as (domain-wide delegation). */
    subject: z.email(),
    /** Where the signed JWT is exchanged for an access token. */
    tokenUrl: httpUrl.optional(),
  })
  .strict();

export const GoogleWorkspaceConfig = z
  .object({
    /** The primary domain; names the system in records (`google-workspace:<domain>`). */
    domain,
    /** `my_customer` (the customer of the authenticating admin) or a customer id such as C01abcd2e. */
    customer: z.string().regex(/^(my_customer|C[0-9a-z]+)$/i, 'my_customer or a customer id such as C01abcd2e').default('my_customer'),
    serviceAccount: ServiceAccountConfig.optional(),
    /** An OAuth access token with the read-only scopes (short-lived; for tests, demos and external token brokers). */
    accessToken: secret().optional(),
    /** Who the access token belongs to, recorded as the collecting identity. */
    tokenOwner: z.email().optional(),
    /** API root (scheme and host) for the Directory and Reports APIs. */
    rootUrl: httpUrl.optional(),
    /** More service identities than Google's own (`…gserviceaccount.com`): patterns over the primary email. */
    serviceIdentities: ServiceAccountPatterns.optional(),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.serviceAccount === undefined && config.accessToken === undefined) {
      issues.addIssue({ code: 'custom', path: ['serviceAccount'], message: 'one of serviceAccount or accessToken is required' });
    }
    if (config.serviceAccount !== undefined && config.accessToken !== undefined) {
      issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'set either serviceAccount or accessToken, not both' });
    }
    if (config.tokenOwner !== undefined && config.accessToken === undefined) {
      issues.addIssue({ code: 'custom', path: ['tokenOwner'], message: 'tokenOwner only applies to accessToken' });
    }
  });

export type GoogleWorkspaceConfig = z.output<typeof GoogleWorkspaceConfig>;

/** The API root with a trailing slash, as the Google client expects it. */
export function rootUrl(config: Pick<GoogleWorkspaceConfig, 'rootUrl'>): string {
  const url = config.rootUrl ?? DEFAULT_ROOT_URL;
  return url.endsWith('/') ? url : `${url}/`;
}

/** The token endpoint for the service-account JWT exchange. */
export function tokenUrl(config: Pick<GoogleWorkspaceConfig, 'serviceAccount'>): string {
  return config.serviceAccount?.tokenUrl ?? DEFAULT_TOKEN_URL;
}

/** A scope URL without its common prefix, as people name it (`admin.directory.user.readonly`). */
export function scopeName(scope: string): string {
  return scope.startsWith(SCOPE_BASE) ? scope.slice(SCOPE_BASE.length) : scope;
}
