/**
 * The GitHub connector's configuration: which organization, how to
 * authenticate (a token or a GitHub App installation), which API host, and
 * which repositories count. Objects are strict so a typo is a configuration
 * error, not a silently ignored key. Also the pure helpers that interpret the
 * config (API URLs, repository filters), so no other module re-derives them.
 */
import { z } from 'zod';
import { secret, ServiceAccountPatterns } from '@evidentia/sdk';
import { DEFAULT_TICKET_PATTERNS } from './ticket-keys.js';

export const DEFAULT_BASE_URL = 'https://api.github.com';

const pattern = z.string().min(1).regex(/^[A-Za-z0-9._*-]+$/, 'a repository name pattern: letters, digits, . _ - and the * wildcard');
const ticketPattern = z.string().min(1).refine((source) => compiles(source), 'a regular expression (JavaScript syntax) matching a ticket key');
const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'a numeric id')]);

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
}

export const AppAuthConfig = z
  .object({
    appId: numericId,
    installationId: numericId,
    privateKey: secret(),
  })
  .strict();

export const GitHubConfig = z
  .object({
    /** The organization login, e.g. `acme-corp`. */
    org: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, 'a GitHub organization login'),
    token: secret().optional(),
    app: AppAuthConfig.optional(),
    /** REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    repositories: z
      .object({ include: z.array(pattern).optional(), exclude: z.array(pattern).optional() })
      .strict()
      .optional(),
    /** Machine users (regular accounts used by software): patterns over the login and SSO email. Apps and `[bot]` logins are bots already. */
    serviceIdentities: ServiceAccountPatterns.optional(),
    /** Regular expressions for the ticket keys a pull request names in its title, head branch or body (default: Jira-style keys). */
    ticketPatterns: z.array(ticketPattern).min(1).default(DEFAULT_TICKET_PATTERNS),
    /** Repositories whose branch protection one GraphQL query reads (GitHub's maximum, 100, by default); lower it if GitHub times such queries out. */
    branchProtectionBatchSize: z.number().int().min(1).max(100).default(100),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.token === undefined && config.app === undefined) {
      issues.addIssue({ code: 'custom', path: ['token'], message: 'one of token or app is required' });
    }
    if (config.token !== undefined && config.app !== undefined) {
      issues.addIssue({ code: 'custom', path: ['app'], message: 'set either token or app, not both' });
    }
  });

export type GitHubConfig = z.output<typeof GitHubConfig>;

/** The REST API root without a trailing slash. */
export function restBaseUrl(config: Pick<GitHubConfig, 'baseUrl'>): string {
  return (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** The GraphQL endpoint: api.github.com/graphql, or HOST/api/graphql on GitHub Enterprise Server. */
export function graphqlUrl(config: Pick<GitHubConfig, 'baseUrl'>): string {
  const rest = restBaseUrl(config);
  return rest.endsWith('/api/v3') ? `${rest.slice(0, -'/v3'.length)}/graphql` : `${rest}/graphql`;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * A predicate over repository names (without the owner) built from the
 * include/exclude patterns. No include list means every repository; exclude
 * wins over include. GitHub names are case-insensitive, so matching is too.
 */
export function repositoryFilter(config: Pick<GitHubConfig, 'repositories'>): (name: string) => boolean {
  const include = (config.repositories?.include ?? []).map(globToRegExp);
  const exclude = (config.repositories?.exclude ?? []).map(globToRegExp);
  return (name) => (include.length === 0 || include.some((re) => re.test(name))) && !exclude.some((re) => re.test(name));
}

/**
 * Whether the configuration puts a repository in scope, for a repository the
 * credential may not read: with an include list, the repositories it matches
 * are in scope (their evidence is owed, so a denial makes the stream
 * partial); without one the org's repositories are collected as the
 * credential finds them, and a denied one is a named gap that leaves the
 * stream complete.
 */
export function repositoryInScope(config: Pick<GitHubConfig, 'repositories'>): (name: string) => boolean {
  const included = config.repositories?.include !== undefined && config.repositories.include.length > 0;
  const wanted = repositoryFilter(config);
  return (name) => included && wanted(name);
}
