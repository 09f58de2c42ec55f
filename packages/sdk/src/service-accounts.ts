/**
 * Service identities: accounts that belong to software, not to a person
 * (deploy users, CI bots, integrations). Each connector knows its system's
 * own signs (AWS: no console password, only access keys; GitHub and Slack:
 * bot flags); this module holds the rules a user adds in the config, so every
 * connector reads them the same way: name or email patterns (regular
 * expressions, case-insensitive), and where the system has them, tags and
 * path prefixes. A pattern that is not a valid regular expression is a
 * configuration error naming the pattern.
 */
import { z } from 'zod';

const pattern = z.string().min(1).superRefine((source, issues) => {
  try {
    new RegExp(source, 'i');
  } catch (error) {
    issues.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` });
  }
});

/** Rules every connector accepts: patterns over the account's name (login, user name) and email. */
export const ServiceAccountPatterns = z
  .object({
    /** Regular expressions (case-insensitive) matched against the account's name and email, e.g. `^svc-` or `@robots\\.example\\.com$`. */
    patterns: z.array(pattern).default([]),
  })
  .strict();

/** A tag rule: the tag is present (any value), or has one of the values. */
export const TagRule = z.object({ key: z.string().min(1), values: z.array(z.string()).min(1).optional() }).strict();

/** Rules for systems with tags and paths (AWS IAM). */
export const ServiceAccountRules = ServiceAccountPatterns.extend({
  /** Tags that mark a service identity, e.g. `{ key: account-type, values: [service] }`. */
  tags: z.array(TagRule).default([]),
  /** Path prefixes that hold service identities, e.g. `/service/`. */
  paths: z.array(z.string().regex(/^\/([\w+=,.@-]+\/)*$/, 'an IAM path such as /service/ (starts and ends with /)')).default([]),
}).strict();

export type ServiceAccountRules = z.output<typeof ServiceAccountRules>;
export type ServiceAccountPatterns = z.output<typeof ServiceAccountPatterns>;

/** What a rule can be matched against; absent facts match nothing. */
export interface IdentityFacts {
  names: (string | null | undefined)[];
  tags?: Readonly<Record<string, string>>;
  path?: string;
}

/**
 * The configured rule that marks the account as a service identity, said
 * as an auditor reads it (`name matches ^svc-`), or null when none does.
 */
export function serviceRuleMatch(rules: Partial<ServiceAccountRules> | undefined, facts: IdentityFacts): string | null {
  for (const source of rules?.patterns ?? []) {
    const regex = new RegExp(source, 'i');
    const name = facts.names.find((candidate) => candidate && regex.test(candidate));
    if (name) return `${name} matches the configured pattern ${source}`;
  }
  for (const rule of rules?.tags ?? []) {
    const value = facts.tags?.[rule.key];
    if (value !== undefined && (rule.values === undefined || rule.values.includes(value))) return `tag ${rule.key}=${value} (configured service tag)`;
  }
  const path = facts.path;
  const prefix = path === undefined ? undefined : rules?.paths?.find((candidate) => path.startsWith(candidate));
  if (prefix !== undefined) return `path ${path} is under the configured service path ${prefix}`;
  return null;
}
