/**
 * Pure functions from parsed Admin SDK responses to evidence record inputs:
 * directory users and admin role holders (access.account), and admin audit
 * events as joiners/leavers (personnel.event) or privilege and status changes
 * (audit.event). No I/O and no clock, so each rule is unit-testable and can be
 * re-run on stored snapshots.
 */
import { serviceRuleMatch, type RecordInput, type ServiceAccountPatterns } from '@evidentia/sdk';
import type { Activity, ActivityEvent, Role, RoleAssignment, User } from './schema.js';

/** Google reports this instead of null for an account that never signed in. */
const NEVER = /^1970-01-01T00:00:00(\.0+)?Z$/;

const time = (value: string | undefined): string | null => (value === undefined || NEVER.test(value) ? null : value);

function displayName(user: Pick<User, 'name'>): string | null {
  const name = user.name;
  if (!name) return null;
  return name.fullName || [name.givenName, name.familyName].filter(Boolean).join(' ') || null;
}

/** Google's own service accounts, when one shows up as a user or role holder. */
const GOOGLE_SERVICE_ACCOUNT = /\.gserviceaccount\.com$/i;

/** `service` for a Google service account or one the configured patterns name, else `fallback`; with the reason as an attribute. */
export function identityType(email: string | null | undefined, rules: ServiceAccountPatterns | undefined, fallback: string): { accountType: string; serviceBecause?: string } {
  if (email && GOOGLE_SERVICE_ACCOUNT.test(email)) return { accountType: 'service', serviceBecause: 'a Google service account' };
  const because = serviceRuleMatch(rules, { names: [email] });
  return because ? { accountType: 'service', serviceBecause: because } : { accountType: fallback };
}

/** active, suspended (suspended or archived: neither can sign in), or deleted (listed with showDeleted). */
export function accountStatus(user: Pick<User, 'suspended' | 'archived'>, deleted: boolean): 'active' | 'suspended' | 'deleted' {
  if (deleted) return 'deleted';
  return user.suspended || user.archived ? 'suspended' : 'active';
}

/** `super_admin` and/or `delegated_admin`, or `user` for everyone else. */
export function directoryRoles(user: Pick<User, 'isAdmin' | 'isDelegatedAdmin'>): string[] {
  const roles = [...(user.isAdmin ? ['super_admin'] : []), ...(user.isDelegatedAdmin ? ['delegated_admin'] : [])];
  return roles.length > 0 ? roles : ['user'];
}

/** 2-step verification as the answer states it: a user whose answer leaves `isEnrolledIn2Sv` out is unknown, never "disabled". */
function twoStep(user: Pick<User, 'isEnrolledIn2Sv'>): 'enabled' | 'disabled' | 'unknown' {
  if (user.isEnrolledIn2Sv === undefined) return 'unknown';
  return user.isEnrolledIn2Sv ? 'enabled' : 'disabled';
}

/** One directory user, key `user:<immutable id>`; `deleted` when it came from the showDeleted listing. */
export function userAccountRecord(user: User, deleted: boolean, source: string, rules?: ServiceAccountPatterns): RecordInput<'access.account'> {
  const { accountType, serviceBecause } = identityType(user.primaryEmail, rules, 'user');
  return {
    key: `user:${user.id}`,
    data: {
      accountId: user.primaryEmail,
      sourceId: user.id,
      displayName: displayName(user),
      email: user.primaryEmail,
      accountType,
      status: accountStatus(user, deleted),
      privileged: Boolean(user.isAdmin || user.isDelegatedAdmin),
      roles: directoryRoles(user),
      mfa: twoStep(user),
      createdAt: time(user.creationTime),
      lastLoginAt: time(user.lastLoginTime),
      credentials: [],
      ssoIdentity: null,
      // Only a deletion carries its time in the directory; a suspension's time comes from user_lifecycle.
      statusSince: deleted ? time(user.deletionTime) : null,
      attributes: { ...userAttributes(user), ...(serviceBecause ? { serviceBecause } : {}) },
    },
    sources: [source],
  };
}

/** What the directory says about a user beyond the common account fields. */
function userAttributes(user: User): Record<string, string | boolean | string[]> {
  const attributes: Record<string, string | boolean | string[]> = {};
  if (user.orgUnitPath !== undefined) attributes.orgUnitPath = user.orgUnitPath;
  if (user.aliases && user.aliases.length > 0) attributes.aliases = user.aliases;
  if (user.isEnforcedIn2Sv !== undefined) attributes.twoStepVerificationEnforced = user.isEnforcedIn2Sv;
  if (user.suspensionReason !== undefined) attributes.suspensionReason = user.suspensionReason;
  if (user.archived) attributes.archived = true;
  return attributes;
}

/** Everything one user or group holds, gathered from the role assignment listing. */
export interface RoleHolder {
  assigneeType: 'user' | 'group';
  assignedTo: string;
  assignments: RoleAssignment[];
  sources: string[];
}

/** A role as people read it: its name, with the org unit when the assignment is limited to one. */
export function roleLabel(assignment: RoleAssignment, roles: ReadonlyMap<string, Role>): string {
  const name = roles.get(assignment.roleId)?.roleName ?? `role ${assignment.roleId}`;
  return assignment.scopeType === 'ORG_UNIT' ? `${name} (org unit ${assignment.orgUnitId ?? 'unknown'})` : name;
}

/**
 * One holder of admin roles, key `role-holder:<user|group>:<id>`, with every
 * role it holds. A user's email, status and MFA come from the directory
 * listing; a user missing from it stays visible (status active, MFA unknown)
 * because the assignment, not the account, is what grants the privilege.
 */
export function roleHolderRecord(holder: RoleHolder, roles: ReadonlyMap<string, Role>, user: { user: User; source: string } | undefined, rules?: ServiceAccountPatterns): RecordInput<'access.account'> {
  const labels = [...new Set(holder.assignments.map((assignment) => roleLabel(assignment, roles)))].sort();
  const account = user?.user;
  const { accountType, serviceBecause } = identityType(account?.primaryEmail, rules, holder.assigneeType === 'group' ? 'admin_role_group' : 'admin_role_holder');
  return {
    key: `role-holder:${holder.assigneeType}:${holder.assignedTo}`,
    data: {
      accountId: account?.primaryEmail ?? holder.assignedTo,
      // The user's (or group's) id: the same as the directory's record of that user.
      sourceId: holder.assignedTo,
      displayName: account ? displayName(account) : null,
      email: account?.primaryEmail ?? null,
      accountType,
      status: account ? accountStatus(account, false) : 'active',
      privileged: true,
      roles: labels,
      mfa: account ? twoStep(account) : 'unknown',
      createdAt: time(account?.creationTime),
      lastLoginAt: time(account?.lastLoginTime),
      credentials: [],
      ssoIdentity: null,
      ...(serviceBecause ? { attributes: { serviceBecause } } : {}),
    },
    sources: [...holder.sources, ...(user ? [user.source] : [])],
  };
}

/** How each collected admin audit event becomes evidence. */
export const LIFECYCLE_EVENTS = {
  CREATE_USER: 'joiner',
  SUSPEND_USER: 'leaver',
  DELETE_USER: 'leaver',
  UNSUSPEND_USER: 'audit',
  // A deleted user restored (within Google's 20 days): a reinstatement, judged like UNSUSPEND_USER (a reversal within the grace, a rejoin after it), never a leaver.
  UNDELETE_USER: 'audit',
  GRANT_ADMIN_PRIVILEGE: 'audit',
  REVOKE_ADMIN_PRIVILEGE: 'audit',
  ASSIGN_ROLE: 'audit',
  UNASSIGN_ROLE: 'audit',
} as const;
export type LifecycleEventName = keyof typeof LIFECYCLE_EVENTS;

function parameter(event: ActivityEvent, name: string): string | null {
  const found = event.parameters?.find((p) => p.name === name);
  return found?.value ?? found?.multiValue?.join(', ') ?? null;
}

type LifecycleRecord = RecordInput<'personnel.event'> | RecordInput<'audit.event'>;

/**
 * One admin audit event. Key: the activity's uniqueQualifier, time and event
 * name (with `#n` for a repeated event inside one activity). Joiners and
 * leavers become personnel.event, privilege and status changes audit.event;
 * both name the admin who acted (by email, else profile id).
 */
export function lifecycleRecord(activity: Activity, event: ActivityEvent, eventName: LifecycleEventName, occurrence: number, source: string): LifecycleRecord {
  const at = activity.id.time;
  const key = `${activity.id.uniqueQualifier}:${at}:${eventName}${occurrence > 0 ? `#${occurrence}` : ''}`;
  const email = parameter(event, 'USER_EMAIL');
  const meaning = LIFECYCLE_EVENTS[eventName];
  const actor = activity.actor ? { login: activity.actor.email ?? activity.actor.profileId ?? null, email: activity.actor.email ?? null } : null;
  if (meaning !== 'audit') {
    return {
      kind: 'personnel.event',
      key,
      occurredAt: at,
      data: { person: { email, name: null, id: null }, type: meaning, effectiveAt: at, source: `google-workspace admin audit log: ${eventName}`, ticket: null, completedAt: at, actor },
      sources: [source],
    };
  }
  const role = parameter(event, 'ROLE_NAME');
  return {
    kind: 'audit.event',
    key,
    occurredAt: at,
    data: {
      actor,
      action: eventName,
      target: role ? `${email ?? 'unknown user'} (${role})` : email,
      at,
      sourceAddress: activity.ipAddress ?? null,
      outcome: null,
    },
    sources: [source],
  };
}
