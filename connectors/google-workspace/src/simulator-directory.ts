/**
 * The data behind the Admin SDK simulator: a Google Workspace directory
 * (listed users, deleted users Google still keeps, roles, role assignments)
 * and the admin audit log that its changes write, in the shapes the Directory
 * and Reports APIs answer with. Every change is made through a method that
 * also logs its audit event, as the Admin console does, so a soak test can
 * change the directory between runs and know what each stream must hold.
 */
import { seededRandom } from '@evidentia/testing';

export type Json = Record<string, unknown>;

/** One admin audit activity, with when the Reports API starts to show it (it lags behind the event). */
export interface AuditEntry {
  name: string;
  time: string;
  uniqueQualifier: string;
  visibleAt: number;
  activity: Json;
}

/** Google keeps a deleted user (and lists it with showDeleted) for about 20 days. */
export const DELETED_KEPT_MS = 20 * 86_400_000;
const CUSTOMER_ID = 'C0sim0001';

export const DOMAIN = 'example.com';

export { seededRandom as random };

export class SimulatedDirectory {
  /** Active, suspended and archived users by id. */
  readonly users = new Map<string, Json>();
  /** Deleted users Google still keeps, by id. */
  readonly deleted = new Map<string, Json>();
  readonly roles: Json[] = [];
  /** Role assignments by id. */
  readonly assignments = new Map<string, Json>();
  readonly audit: AuditEntry[] = [];
  private serial = 0;

  constructor(roleCount: number) {
    for (let r = 0; r < roleCount; r++) {
      const roleName = r === 0 ? '_SEED_ADMIN_ROLE' : r < roleCount - 3 ? `_SYSTEM_ROLE_${r}` : `Custom role ${r}`;
      this.roles.push({ kind: 'admin#directory#role', roleId: String(91_000 + r), roleName, isSystemRole: r < roleCount - 3, ...(r === 0 ? { isSuperAdminRole: true } : {}) });
    }
  }

  private next(): number {
    return ++this.serial;
  }

  /** Log an admin audit event at `at`, shown by the Reports API from `visibleAt` (default: at once). */
  log(name: string, at: Date, target: string, extra: { role?: string; visibleAt?: number } = {}): AuditEntry {
    const time = at.toISOString();
    const uniqueQualifier = String(-(10n ** 17n) - BigInt(this.next()));
    const parameters = [{ name: 'USER_EMAIL', value: target }, ...(extra.role ? [{ name: 'ROLE_NAME', value: extra.role }] : [])];
    const activity = {
      kind: 'admin#reports#activity',
      id: { time, uniqueQualifier, applicationName: 'admin', customerId: CUSTOMER_ID },
      actor: { callerType: 'USER', email: `admin@${DOMAIN}`, profileId: '110000000000000000000' },
      ipAddress: '203.0.113.24',
      events: [{ type: name.includes('ROLE') ? 'DELEGATED_ADMIN_SETTINGS' : 'USER_SETTINGS', name, parameters }],
    };
    const entry = { name, time, uniqueQualifier, visibleAt: extra.visibleAt ?? at.getTime(), activity };
    this.audit.push(entry);
    return entry;
  }

  /** A new user; logged as CREATE_USER unless it is part of the directory's starting state. */
  addUser(at: Date, options: { local?: string; logged?: boolean; twoStep?: boolean; visibleAt?: number } = {}): Json {
    const n = this.next();
    const local = options.local ?? `user${String(n).padStart(5, '0')}`;
    const user: Json = {
      kind: 'admin#directory#user',
      id: String(110_000_000_000_000_000_000n + BigInt(n)),
      etag: `"sim/${n}"`,
      primaryEmail: `${local}@${DOMAIN}`,
      name: { givenName: 'Simulated', familyName: `User ${n}`, fullName: `Simulated User ${n}` },
      isAdmin: false,
      isDelegatedAdmin: false,
      lastLoginTime: '1970-01-01T00:00:00.000Z',
      creationTime: at.toISOString(),
      suspended: false,
      archived: false,
      customerId: CUSTOMER_ID,
      orgUnitPath: `/Department ${n % 5}`,
      isEnrolledIn2Sv: options.twoStep ?? true,
      isEnforcedIn2Sv: false,
    };
    this.users.set(user.id as string, user);
    if (options.logged !== false) this.log('CREATE_USER', at, user.primaryEmail as string, { visibleAt: options.visibleAt });
    return user;
  }

  private listed(id: string): Json {
    const user = this.users.get(id);
    if (!user) throw new Error(`simulator: no listed user ${id}`);
    return user;
  }

  /** Suspend a user; `visibleAt` when its audit event reaches the Reports API late. */
  suspend(id: string, at: Date, visibleAt?: number): void {
    const user = this.listed(id);
    Object.assign(user, { suspended: true, suspensionReason: 'ADMIN' });
    this.log('SUSPEND_USER', at, user.primaryEmail as string, { visibleAt });
  }

  unsuspend(id: string, at: Date): void {
    const user = this.listed(id);
    user.suspended = false;
    delete user.suspensionReason;
    this.log('UNSUSPEND_USER', at, user.primaryEmail as string);
  }

  /** Delete a user: it moves to the deleted listing and loses its role assignments, as in Google. */
  remove(id: string, at: Date, visibleAt?: number): void {
    const user = this.listed(id);
    this.users.delete(id);
    this.deleted.set(id, { ...user, deletionTime: at.toISOString() });
    for (const [assignmentId, assignment] of this.assignments) if (assignment.assignedTo === id) this.assignments.delete(assignmentId);
    this.log('DELETE_USER', at, user.primaryEmail as string, { visibleAt });
  }

  /** Restore a deleted user (UNDELETE_USER, a reinstatement). */
  restore(id: string, at: Date): void {
    const user = this.deleted.get(id);
    if (!user) throw new Error(`simulator: no deleted user ${id}`);
    this.deleted.delete(id);
    delete user.deletionTime;
    this.users.set(id, user);
    this.log('UNDELETE_USER', at, user.primaryEmail as string);
  }

  /** Change facts of a listed user without an audit event (a sign-in, a 2-step enrolment). */
  change(id: string, patch: Json): void {
    Object.assign(this.listed(id), patch);
  }

  setSuperAdmin(id: string, isAdmin: boolean, at: Date): void {
    const user = this.listed(id);
    user.isAdmin = isAdmin;
    this.log(isAdmin ? 'GRANT_ADMIN_PRIVILEGE' : 'REVOKE_ADMIN_PRIVILEGE', at, user.primaryEmail as string);
  }

  /** Assign a role to a user or a group; logged as ASSIGN_ROLE for users. */
  assign(roleIndex: number, assignedTo: string, at: Date | null, options: { group?: boolean; orgUnit?: string } = {}): Json {
    const role = this.roles[roleIndex % this.roles.length]!;
    const assignment: Json = {
      kind: 'admin#directory#roleAssignment',
      roleAssignmentId: String(95_000 + this.next()),
      roleId: role.roleId,
      assignedTo,
      assigneeType: options.group ? 'group' : 'user',
      scopeType: options.orgUnit ? 'ORG_UNIT' : 'CUSTOMER',
      ...(options.orgUnit ? { orgUnitId: options.orgUnit } : {}),
    };
    this.assignments.set(assignment.roleAssignmentId as string, assignment);
    const user = this.users.get(assignedTo);
    if (at && user) {
      user.isDelegatedAdmin = true;
      this.log('ASSIGN_ROLE', at, user.primaryEmail as string, { role: role.roleName as string });
    }
    return assignment;
  }

  unassign(assignmentId: string, at: Date): void {
    const assignment = this.assignments.get(assignmentId);
    if (!assignment) throw new Error(`simulator: no role assignment ${assignmentId}`);
    this.assignments.delete(assignmentId);
    const user = this.users.get(assignment.assignedTo as string);
    if (!user) return;
    user.isDelegatedAdmin = [...this.assignments.values()].some((a) => a.assignedTo === user.id);
    const role = this.roles.find((r) => r.roleId === assignment.roleId)!;
    this.log('UNASSIGN_ROLE', at, user.primaryEmail as string, { role: role.roleName as string });
  }

  /** Google forgets a deleted user about 20 days after deletion. */
  forgetOldDeletions(now: Date): void {
    for (const [id, user] of this.deleted) if (now.getTime() - Date.parse(user.deletionTime as string) > DELETED_KEPT_MS) this.deleted.delete(id);
  }
}
