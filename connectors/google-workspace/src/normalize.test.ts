/**
 * The pure mapping rules, one by one: account status, roles and privilege,
 * the 1970 "never signed in" time, role labels with org-unit scope, and how
 * each admin audit event becomes a joiner, leaver or audit event.
 */
import { describe, expect, it } from '@jest/globals';
import { accountStatus, directoryRoles, lifecycleRecord, roleHolderRecord, roleLabel, userAccountRecord } from './normalize.js';
import type { Activity, Role } from './schema.js';

const SOURCE = 'a'.repeat(64);
const roles = new Map<string, Role>([['1', { roleId: '1', roleName: '_HELP_DESK_ADMIN_ROLE' }]]);

describe('directory accounts', () => {
  it('maps suspended and archived to suspended, the deleted listing to deleted', () => {
    expect(accountStatus({}, false)).toBe('active');
    expect(accountStatus({ suspended: true }, false)).toBe('suspended');
    expect(accountStatus({ archived: true }, false)).toBe('suspended');
    expect(accountStatus({ suspended: false }, true)).toBe('deleted');
  });

  it('names super and delegated admins; everyone else is a user', () => {
    expect(directoryRoles({ isAdmin: true, isDelegatedAdmin: true })).toEqual(['super_admin', 'delegated_admin']);
    expect(directoryRoles({ isDelegatedAdmin: false })).toEqual(['user']);
  });

  it('treats Google’s 1970 last login as never, and builds the name from its parts', () => {
    const record = userAccountRecord({ id: '9', primaryEmail: 'new@example.com', name: { givenName: 'New', familyName: 'Person' }, lastLoginTime: '1970-01-01T00:00:00.000Z' }, false, SOURCE);
    expect(record.data).toMatchObject({ displayName: 'New Person', lastLoginAt: null, createdAt: null, mfa: 'unknown', privileged: false });
  });

  it('makes a Google service account, or a user the configured patterns name, a service identity', () => {
    const robot = userAccountRecord({ id: '7', primaryEmail: 'sync@acme-prod.iam.gserviceaccount.com' }, false, SOURCE);
    expect(robot.data).toMatchObject({ accountType: 'service', attributes: { serviceBecause: 'a Google service account' } });
    const mailbox = userAccountRecord({ id: '8', primaryEmail: 'svc-billing@example.com' }, false, SOURCE, { patterns: ['^svc-'] });
    expect(mailbox.data).toMatchObject({ accountType: 'service', attributes: { serviceBecause: 'svc-billing@example.com matches the configured pattern ^svc-' } });
    expect(userAccountRecord({ id: '9', primaryEmail: 'ann@example.com' }, false, SOURCE, { patterns: ['^svc-'] }).data.accountType).toBe('user');
    const holder = roleHolderRecord({ assigneeType: 'user', assignedTo: '7', assignments: [], sources: [SOURCE] }, roles, { user: { id: '7', primaryEmail: 'sync@acme-prod.iam.gserviceaccount.com' }, source: SOURCE });
    expect(holder.data.accountType).toBe('service');
  });
});

describe('admin role holders', () => {
  it('labels a role by name, with the org unit when the assignment is limited to one', () => {
    const assignment = { roleAssignmentId: 'x', roleId: '1', assignedTo: '9', scopeType: 'CUSTOMER' };
    expect(roleLabel(assignment, roles)).toBe('_HELP_DESK_ADMIN_ROLE');
    expect(roleLabel({ ...assignment, scopeType: 'ORG_UNIT', orgUnitId: '03ph' }, roles)).toBe('_HELP_DESK_ADMIN_ROLE (org unit 03ph)');
    expect(roleLabel({ ...assignment, roleId: '404' }, roles)).toBe('role 404');
  });

  it('de-duplicates and sorts a holder’s roles', () => {
    const assignment = { roleAssignmentId: 'x', roleId: '1', assignedTo: '9', scopeType: 'CUSTOMER' };
    const record = roleHolderRecord({ assigneeType: 'user', assignedTo: '9', assignments: [assignment, { ...assignment, roleAssignmentId: 'y' }], sources: [SOURCE] }, roles, undefined);
    expect(record.data.roles).toEqual(['_HELP_DESK_ADMIN_ROLE']);
    expect(record.data.privileged).toBe(true);
  });
});

describe('admin audit events', () => {
  const activity = (name: string, parameters: Array<{ name: string; value?: string; multiValue?: string[] }>): Activity => ({
    id: { time: '2026-05-15T17:02:41.118Z', uniqueQualifier: '-1', applicationName: 'admin' },
    actor: { profileId: '42' },
    events: [{ name, parameters }],
  });

  it('turns CREATE_USER into a joiner and DELETE_USER into a leaver', () => {
    const created = activity('CREATE_USER', [{ name: 'USER_EMAIL', value: 'new@example.com' }]);
    expect(lifecycleRecord(created, created.events[0]!, 'CREATE_USER', 0, SOURCE)).toMatchObject({ kind: 'personnel.event', key: '-1:2026-05-15T17:02:41.118Z:CREATE_USER', data: { type: 'joiner', person: { email: 'new@example.com' }, actor: { login: '42', email: null } } });
    const deleted = activity('DELETE_USER', []);
    expect(lifecycleRecord(deleted, deleted.events[0]!, 'DELETE_USER', 2, SOURCE)).toMatchObject({ key: '-1:2026-05-15T17:02:41.118Z:DELETE_USER#2', data: { type: 'leaver', person: { email: null } } });
    const suspended = { ...activity('SUSPEND_USER', [{ name: 'USER_EMAIL', value: 'gone@example.com' }]), actor: { email: 'it-admin@example.com', profileId: '7' } };
    expect(lifecycleRecord(suspended, suspended.events[0]!, 'SUSPEND_USER', 0, SOURCE).data).toMatchObject({ type: 'leaver', actor: { login: 'it-admin@example.com', email: 'it-admin@example.com' } });
    const unattributed = { ...activity('SUSPEND_USER', []), actor: undefined };
    expect(lifecycleRecord(unattributed, unattributed.events[0]!, 'SUSPEND_USER', 0, SOURCE).data).toMatchObject({ actor: null });
  });

  it('records un-suspension and privilege grants as audit events, the actor by profile id when no email is given', () => {
    const granted = activity('GRANT_ADMIN_PRIVILEGE', [{ name: 'USER_EMAIL', multiValue: ['a@example.com'] }]);
    expect(lifecycleRecord(granted, granted.events[0]!, 'GRANT_ADMIN_PRIVILEGE', 0, SOURCE)).toMatchObject({
      kind: 'audit.event',
      data: { actor: { login: '42', email: null }, action: 'GRANT_ADMIN_PRIVILEGE', target: 'a@example.com', sourceAddress: null },
    });
    // A restored deletion is a reinstatement the leaver check reads (reinstatementActions), never a leaver.
    const restored = activity('UNDELETE_USER', [{ name: 'USER_EMAIL', value: 'back@example.com' }]);
    expect(lifecycleRecord(restored, restored.events[0]!, 'UNDELETE_USER', 0, SOURCE)).toMatchObject({ kind: 'audit.event', data: { action: 'UNDELETE_USER', target: 'back@example.com' } });
  });
});
