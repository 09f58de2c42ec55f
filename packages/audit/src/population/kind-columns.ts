/**
 * The columns an auditor tests an item by, per record kind, after the columns
 * every population has: for a change, its author, approvers and approval
 * times, merge time, tickets and review decision; for an account, its owner,
 * type, status, privilege and MFA; and so on. One population holds one kind,
 * so every row fills the same columns. Times are ISO 8601 (the XLSX writer
 * turns them into real dates).
 */
import type { RecordData, RecordKind } from '@evidentia/evidence';
import { beforeDone, coversHead, describeActor, independentApprovals, standingObjections } from '../checks/approvals.js';
import { PeopleDirectory } from '../checks/people.js';

export interface KindColumn {
  name: string;
  /** `time`: an ISO 8601 instant (or empty); `list`: several values joined by "; ". */
  type: 'text' | 'time' | 'list';
  value(data: unknown): string;
}

const text = (name: string, value: (data: never) => string | null | undefined | boolean): KindColumn => ({ name, type: 'text', value: (data) => String(value(data as never) ?? '') });
const time = (name: string, value: (data: never) => string | null | undefined): KindColumn => ({ name, type: 'time', value: (data) => value(data as never) ?? '' });
const list = (name: string, value: (data: never) => Array<string | null>): KindColumn => ({ name, type: 'list', value: (data) => value(data as never).filter((entry): entry is string => Boolean(entry)).join('; ') });

type Change = RecordData<'change.request'>;
const NO_ALIASES = new PeopleDirectory();

/**
 * The review state at merge by the approval rule of the change checks (no
 * aliases or bot settings: the check's result is the judgment). An approval
 * of an earlier commit is named as such, so the column never reads approved
 * where pull-request-approved found the merged code unreviewed.
 */
function decision(change: Change): string {
  if (standingObjections(change, NO_ALIASES).length > 0) return 'changes requested';
  const before = beforeDone(independentApprovals(change, NO_ALIASES, []), change);
  // A ticket names no commit: any approval before it was done is its approval.
  const revisions = change.headRevision !== null || change.headRevisionAt !== null;
  if (before.some((approval) => !revisions || coversHead(approval, change))) return 'approved';
  return before.length > 0 ? 'approved an earlier commit' : 'not approved';
}

const approved = (change: Change) => change.approvals.filter((approval) => approval.state === 'approved');

type Device = RecordData<'endpoint.device'>;
type Vulnerability = RecordData<'vulnerability.finding'>;
const personOf = (person: { email: string | null; name: string | null; id: string | null }) => person.email ?? person.name ?? person.id;

const CONFIG_COLUMNS = [text('target', (d: RecordData<'change.config'>) => d.target), text('setting', (d: RecordData<'change.config'>) => d.setting), text('present', (d: RecordData<'change.config'>) => d.present)];

export const KIND_COLUMNS: Record<RecordKind, KindColumn[]> = {
  'change.request': [
    text('change_id', (d: Change) => d.id),
    text('title', (d: Change) => d.title),
    text('target', (d: Change) => d.target),
    text('author', (d: Change) => (d.author ? describeActor(d.author) : '')),
    list('approvers', (d: Change) => approved(d).map((approval) => describeActor(approval.reviewer))),
    list('approved_at', (d: Change) => approved(d).map((approval) => approval.at)),
    time('merged_at', (d: Change) => d.mergedAt),
    text('merged_by', (d: Change) => (d.mergedBy ? describeActor(d.mergedBy) : '')),
    list('tickets', (d: Change) => d.linkedTickets),
    text('emergency', (d: Change) => d.emergency),
    text('review_decision', decision),
    text('url', (d: Change) => d.url),
  ],
  'access.account': [
    text('account_id', (d: RecordData<'access.account'>) => d.accountId),
    text('display_name', (d: RecordData<'access.account'>) => d.displayName),
    text('email', (d: RecordData<'access.account'>) => d.email),
    text('account_type', (d: RecordData<'access.account'>) => d.accountType),
    text('status', (d: RecordData<'access.account'>) => d.status),
    text('privileged', (d: RecordData<'access.account'>) => d.privileged),
    list('roles', (d: RecordData<'access.account'>) => d.roles),
    text('mfa', (d: RecordData<'access.account'>) => d.mfa),
    time('created_at', (d: RecordData<'access.account'>) => d.createdAt),
    time('last_login_at', (d: RecordData<'access.account'>) => d.lastLoginAt),
  ],
  'personnel.event': [
    text('type', (d: RecordData<'personnel.event'>) => d.type),
    text('person', (d: RecordData<'personnel.event'>) => personOf(d.person)),
    time('effective_at', (d: RecordData<'personnel.event'>) => d.effectiveAt),
    time('completed_at', (d: RecordData<'personnel.event'>) => d.completedAt),
    text('ticket', (d: RecordData<'personnel.event'>) => d.ticket),
    text('actor', (d: RecordData<'personnel.event'>) => d.actor?.email ?? d.actor?.login ?? null),
  ],
  'incident.record': [
    text('incident_id', (d: RecordData<'incident.record'>) => d.id),
    text('title', (d: RecordData<'incident.record'>) => d.title),
    text('severity', (d: RecordData<'incident.record'>) => d.severity),
    text('status', (d: RecordData<'incident.record'>) => d.status),
    time('opened_at', (d: RecordData<'incident.record'>) => d.openedAt),
    time('resolved_at', (d: RecordData<'incident.record'>) => d.resolvedAt),
    text('post_mortem', (d: RecordData<'incident.record'>) => d.postMortem),
    list('tickets', (d: RecordData<'incident.record'>) => d.linkedTickets ?? []),
  ],
  'audit.event': [
    text('action', (d: RecordData<'audit.event'>) => d.action),
    text('actor', (d: RecordData<'audit.event'>) => (d.actor ? describeActor(d.actor) : '')),
    text('target', (d: RecordData<'audit.event'>) => d.target),
    time('at', (d: RecordData<'audit.event'>) => d.at),
    text('outcome', (d: RecordData<'audit.event'>) => d.outcome),
  ],
  'change.config': CONFIG_COLUMNS,
  'access.config': CONFIG_COLUMNS,
  'endpoint.device': [
    text('device_id', (d: Device) => d.deviceId),
    text('name', (d: Device) => d.name),
    text('owner', (d: Device) => d.owner),
    text('os', (d: Device) => d.os),
    text('os_version', (d: Device) => d.osVersion),
    text('disk_encryption', (d: Device) => d.diskEncryption),
    text('screen_lock', (d: Device) => d.screenLock),
    text('malware_protection', (d: Device) => d.malwareProtection),
    text('status', (d: Device) => d.status),
    time('last_check_in_at', (d: Device) => d.lastCheckInAt),
  ],
  'vulnerability.finding': [
    text('finding_id', (d: Vulnerability) => d.id),
    text('title', (d: Vulnerability) => d.title),
    text('severity', (d: Vulnerability) => d.severity),
    list('identifiers', (d: Vulnerability) => d.identifiers),
    text('asset', (d: Vulnerability) => d.asset),
    text('status', (d: Vulnerability) => d.status),
    time('found_at', (d: Vulnerability) => d.foundAt),
    time('fixed_at', (d: Vulnerability) => d.fixedAt),
    time('due_at', (d: Vulnerability) => d.dueAt),
    text('exception', (d: Vulnerability) => d.exception),
    text('url', (d: Vulnerability) => d.url),
  ],
  'training.record': [
    text('person', (d: RecordData<'training.record'>) => personOf(d.person)),
    text('course', (d: RecordData<'training.record'>) => d.course),
    text('status', (d: RecordData<'training.record'>) => d.status),
    time('completed_at', (d: RecordData<'training.record'>) => d.completedAt),
    time('expires_at', (d: RecordData<'training.record'>) => d.expiresAt),
  ],
  'background.check': [
    text('person', (d: RecordData<'background.check'>) => personOf(d.person)),
    text('provider', (d: RecordData<'background.check'>) => d.provider),
    text('status', (d: RecordData<'background.check'>) => d.status),
    text('cleared', (d: RecordData<'background.check'>) => d.cleared),
    time('completed_at', (d: RecordData<'background.check'>) => d.completedAt),
  ],
};

/** The kind's own columns; none for a kind evidentia does not know (a custom kind keeps the common columns). */
export function kindColumns(kind: string): KindColumn[] {
  return Object.hasOwn(KIND_COLUMNS, kind) ? KIND_COLUMNS[kind as RecordKind] : [];
}

/**
 * Which kind a criterion's population holds when several kinds serve it: the items an auditor samples
 * (changes before the settings that govern them, people events before accounts). The others are
 * populations of their own, exported with --kind.
 */
export const POPULATION_KIND_ORDER: readonly string[] = [
  'change.request',
  'personnel.event',
  'incident.record',
  'vulnerability.finding',
  'training.record',
  'background.check',
  'access.account',
  'endpoint.device',
  'audit.event',
  'change.config',
  'access.config',
];
