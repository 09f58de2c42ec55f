/**
 * Who an IAM user is: a person or a service identity, and which person. A
 * user with access keys and no console password is a service identity by
 * default (it cannot sign in to the console, so console MFA does not apply
 * and it has no personal owner to find); configured patterns, tags and paths
 * mark more. A person's email comes from an owner tag or from an email-like
 * user name, so leavers and owners are matched without aliases.
 */
import { serviceRuleMatch } from '@evidentia/sdk';
import type { AwsConfig } from './config.js';
import type { ReportEntry } from './credential-report.js';
import type { UserDetail } from './schema.js';

export type IdentityConfig = Pick<AwsConfig, 'serviceIdentities' | 'ownerTags'>;

export interface UserIdentity {
  accountType: 'user' | 'service';
  /** The email the user is matched to people by, and where it came from. */
  email: string | null;
  attributes: Record<string, string | boolean | Record<string, string>>;
}

/** Tags read for the owner's email when the config names none. */
export const DEFAULT_OWNER_TAGS = ['email', 'owner'];

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function tagsOf(user: UserDetail): Record<string, string> {
  return Object.fromEntries(user.Tags.map((tag) => [tag.Key, tag.Value]));
}

function serviceBecause(user: UserDetail, row: ReportEntry | undefined, config: IdentityConfig, tags: Record<string, string>): string | null {
  const configured = serviceRuleMatch(config.serviceIdentities, { names: [user.UserName], tags, path: user.Path });
  if (configured) return configured;
  if ((config.serviceIdentities?.accessKeyOnly ?? true) && row && !row.passwordEnabled && row.accessKeys.length > 0) return 'access keys and no console password';
  return null;
}

function ownerEmail(user: UserDetail, config: IdentityConfig, tags: Record<string, string>): { email: string; from: string } | null {
  const wanted = new Set((config.ownerTags ?? DEFAULT_OWNER_TAGS).map((key) => key.toLowerCase()));
  for (const [key, value] of Object.entries(tags)) {
    if (wanted.has(key.toLowerCase()) && EMAIL.test(value.trim())) return { email: value.trim(), from: `tag ${key}` };
  }
  return EMAIL.test(user.UserName) ? { email: user.UserName, from: 'user name' } : null;
}

/** The user's type and email, with the facts they rest on as attributes (path, tags, console access, why a service). */
export function identityOf(user: UserDetail, row: ReportEntry | undefined, config: IdentityConfig): UserIdentity {
  const tags = tagsOf(user);
  const because = serviceBecause(user, row, config, tags);
  const owner = ownerEmail(user, config, tags);
  const attributes: UserIdentity['attributes'] = {};
  if (row) attributes.consoleAccess = row.passwordEnabled;
  if (user.Path !== '/') attributes.path = user.Path;
  if (user.Tags.length > 0) attributes.tags = tags;
  if (because) attributes.serviceBecause = because;
  if (owner) attributes.emailFrom = owner.from;
  return { accountType: because ? 'service' : 'user', email: owner?.email ?? null, attributes };
}
