/**
 * Pure functions from parsed AWS responses to evidence records: IAM users and
 * the root account (access.account), the password policy (access.config) and
 * CloudTrail trails (change.config). No I/O and no clock: a record says what
 * AWS said, so the same answers always make the same record hash.
 */
import type { RecordInput } from '@evidentia/sdk';
import type { ReportEntry } from './credential-report.js';
import { identityOf, type IdentityConfig } from './identity.js';
import type { PasswordPolicy, Trail, TrailStatus, UserDetail } from './schema.js';

type Credential = RecordInput<'access.account'>['data']['credentials'][number];

/** The policies that reach a user through one group (listed once per run). */
export interface GroupAccess {
  name: string;
  managed: string[];
  inline: string[];
  /** The group's policies that make its members privileged (iam-access.ts judges them). */
  privilegedBy: string[];
  /** The snapshots the group rests on: its listing page and those of its customer-managed policies. */
  sources: string[];
}

/** What is attached to a user directly, and the groups it is in. */
export interface UserAccess {
  managed: string[];
  inline: string[];
  /** The user's own policies that make it privileged. */
  privilegedBy: string[];
  groups: GroupAccess[];
  /** The listing pages of the customer-managed policies attached to the user. */
  sources: string[];
}

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

/** The credentials the report shows: the console password (when enabled) and each access key slot that holds a key. */
function credentialsOf(row: ReportEntry, withPassword: boolean): Credential[] {
  const credentials: Credential[] = [];
  if (withPassword && row.passwordEnabled) {
    credentials.push({ id: 'password', type: 'password', status: 'active', createdAt: row.passwordLastChanged, lastUsedAt: row.passwordLastUsed });
  }
  for (const key of row.accessKeys) {
    credentials.push({ id: key.slot, type: 'access_key', status: key.active ? 'active' : 'inactive', createdAt: key.lastRotated, lastUsedAt: key.lastUsed, ...(key.lastFour ? { lastFour: key.lastFour } : {}) });
  }
  return credentials;
}

/**
 * An IAM user. `roles` are the names of the policies that apply (attached or
 * inline, directly or through a group) and `group:<name>` for each group;
 * `attributes.privilegedBy` names the policies that make it privileged;
 * `status` is always active (IAM users cannot be suspended, only deleted);
 * MFA is unknown, and there are no credentials or last sign-in, for a user
 * created after the credential report. Its type (user or service) and email
 * come from identity.ts; `attributes.consoleAccess` says whether it can sign
 * in to the console at all.
 */
export function iamUserRecord(user: UserDetail, row: ReportEntry | undefined, access: UserAccess, sources: string[], config: IdentityConfig): RecordInput<'access.account'> {
  const identity = identityOf(user, row, config);
  const policies = [...access.managed, ...access.inline, ...access.groups.flatMap((group) => [...group.managed, ...group.inline])];
  const privilegedBy = [...access.privilegedBy, ...access.groups.flatMap((group) => group.privilegedBy.map((policy) => `${policy} (group ${group.name})`))];
  return {
    key: user.Arn,
    data: {
      accountId: user.UserName,
      // UpdateUser renames a user (and its ARN); its UserId stays.
      ...(user.UserId ? { sourceId: user.UserId } : {}),
      displayName: user.UserName,
      email: identity.email,
      accountType: identity.accountType,
      status: 'active',
      privileged: privilegedBy.length > 0,
      roles: [...new Set([...policies, ...access.groups.map((group) => `group:${group.name}`)])].sort(),
      mfa: row ? (row.mfaActive ? 'enabled' : 'disabled') : 'unknown',
      createdAt: iso(user.CreateDate),
      lastLoginAt: row?.passwordLastUsed ?? null,
      credentials: row ? credentialsOf(row, true) : [],
      ssoIdentity: null,
      // Why the user counts as privileged (absent when it does not), and the facts its type and email rest on.
      attributes: { ...identity.attributes, ...(privilegedBy.length > 0 ? { privilegedBy: [...new Set(privilegedBy)].sort() } : {}) },
    },
    sources: [...new Set([...sources, ...access.sources, ...access.groups.flatMap((group) => group.sources)])],
  };
}

/** The root account: always privileged; its MFA, keys and last sign-in come from the credential report. */
export function rootRecord(accountId: string, row: ReportEntry, source: string): RecordInput<'access.account'> {
  return {
    key: `${accountId}:root`,
    data: {
      accountId: 'root',
      displayName: 'root',
      email: null,
      accountType: 'root',
      status: 'active',
      privileged: true,
      roles: [],
      mfa: row.mfaActive ? 'enabled' : 'disabled',
      createdAt: row.createdAt,
      lastLoginAt: row.passwordLastUsed,
      credentials: credentialsOf(row, false),
      ssoIdentity: null,
    },
    sources: [source],
  };
}

/** The account password policy, or `present: false` when the account has none (IAM's NoSuchEntity). */
export function passwordPolicyRecord(accountId: string, policy: PasswordPolicy | null, source: string): RecordInput<'access.config'> {
  const settings: Record<string, string | number | boolean | null> = policy
    ? {
        minimumPasswordLength: policy.MinimumPasswordLength ?? null,
        requireSymbols: policy.RequireSymbols ?? false,
        requireNumbers: policy.RequireNumbers ?? false,
        requireUppercaseCharacters: policy.RequireUppercaseCharacters ?? false,
        requireLowercaseCharacters: policy.RequireLowercaseCharacters ?? false,
        allowUsersToChangePassword: policy.AllowUsersToChangePassword ?? false,
        expirePasswords: policy.ExpirePasswords ?? false,
        maxPasswordAge: policy.MaxPasswordAge ?? null,
        passwordReusePrevention: policy.PasswordReusePrevention ?? null,
        hardExpiry: policy.HardExpiry ?? false,
      }
    : {};
  return {
    kind: 'access.config',
    key: `${accountId}:password_policy`,
    data: { target: `aws:${accountId}`, setting: 'password_policy', present: policy !== null, settings },
    sources: [source],
    controls: ['CC6.1'],
  };
}

/** A CloudTrail trail with its logging status. */
export function trailRecord(trail: Trail, status: TrailStatus, sources: string[]): RecordInput<'change.config'> {
  return {
    kind: 'change.config',
    key: trail.TrailARN,
    data: {
      target: trail.TrailARN,
      setting: 'trail',
      present: true,
      settings: {
        name: trail.Name,
        homeRegion: trail.HomeRegion,
        isLogging: status.IsLogging,
        latestDeliveryError: status.LatestDeliveryError ?? null,
        latestDeliveryTime: iso(status.LatestDeliveryTime),
        startLoggingTime: iso(status.StartLoggingTime),
        stopLoggingTime: iso(status.StopLoggingTime),
        isMultiRegionTrail: trail.IsMultiRegionTrail ?? false,
        isOrganizationTrail: trail.IsOrganizationTrail ?? false,
        logFileValidationEnabled: trail.LogFileValidationEnabled ?? false,
        includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents ?? false,
        s3BucketName: trail.S3BucketName ?? null,
        kmsKeyId: trail.KmsKeyId ?? null,
        cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn ?? null,
      },
    },
    sources,
    controls: ['CC7.2'],
  };
}

/** A region no trail covers (not even a multi-region trail's shadow): its activity is not logged. */
export function regionWithoutTrailRecord(accountId: string, region: string, source: string): RecordInput<'change.config'> {
  return {
    kind: 'change.config',
    key: `${accountId}:${region}:trail`,
    data: { target: `aws:${accountId}:${region}`, setting: 'trail', present: false, settings: {} },
    sources: [source],
    controls: ['CC7.2'],
  };
}
