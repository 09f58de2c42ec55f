/**
 * The config's `portal:` section: who may sign in (name, role, scrypt
 * password hash) and the audit periods auditors are limited to. The
 * collector's config module validates it with this schema; the portal only
 * receives the typed value.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { OidcSettings } from './oidc-settings.js';
import { hashCostProblem, PASSWORD_HASH_PATTERN } from './passwords.js';
import { ROLES } from './roles.js';

export { ROLES, type Role } from './roles.js';

export const PortalUser = z
  .object({
    name: z.string().trim().min(1).describe('the name typed at sign-in'),
    role: z.enum(ROLES).describe('admin and team see any period; an auditor only portal.auditPeriods'),
    passwordHash: z
      .string()
      .regex(PASSWORD_HASH_PATTERN, 'expected a hash printed by `evidentia serve hash-password`')
      .superRefine((hash, context) => {
        const problem = PASSWORD_HASH_PATTERN.test(hash) ? hashCostProblem(hash) : null;
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .describe('scrypt hash from `evidentia serve hash-password` (never the password)'),
  })
  .strict();
export type PortalUser = z.infer<typeof PortalUser>;

/** The names proxy-addr (fastify's trustProxy) takes besides addresses and ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Whether fastify's trustProxy takes this entry: an IP address, address/bits, IPv4 address/netmask, or a range name. */
function isProxyEntry(text: string): boolean {
  if (PROXY_RANGE_NAMES.includes(text)) return true;
  const [address = '', range, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(range) === 4;
}

// Checked here, so a typo is named with its path and line at start rather than thrown by fastify as an unexpected error.
const proxyEntry = z.string().superRefine((text, context) => {
  if (!isProxyEntry(text)) context.addIssue({ code: 'custom', message: `${text}: expected an IP address, a range (10.0.0.0/8, fd00::/8) or ${PROXY_RANGE_NAMES.join(', ')}` });
});

export const PortalSettings = z
  .object({
    users: z
      .array(PortalUser)
      .default([])
      .refine((users) => new Set(users.map((user) => user.name)).size === users.length, { message: 'user names must be unique' })
      .describe('who may sign in to `evidentia serve`'),
    auditPeriods: z.array(z.string().min(1)).default([]).describe('audit periods (A..B, both days inclusive in the audit zone) auditors may see; the first is their default'),
    sessionHours: z.number().positive().max(24).default(8).describe('a session ends this many hours after its last request, and a day after sign-in however busy (sessions live in memory: a restart signs everyone out)'),
    oidc: OidcSettings.optional(),
    trustProxy: z
      .union([z.boolean(), z.array(proxyEntry).min(1)])
      .default(false)
      .describe('behind a reverse proxy: true (the one proxy in front: its X-Forwarded-For entry, the last), or the proxy addresses/CIDRs, to take the client address (sign-in rate limit) from X-Forwarded-For; off by default, when that header is ignored'),
  })
  .strict()
  .describe('the read-only portal (`evidentia serve`)');
export type PortalSettings = z.infer<typeof PortalSettings>;
