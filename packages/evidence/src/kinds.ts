/**
 * The built-in evidence record kinds. Each kind is a zod schema for the
 * record's `data`; TypeScript types are inferred from the schemas, and every
 * record is validated against its kind before it reaches the locker. A
 * connector may add kinds of its own under its own namespace
 * (kind-registry.ts).
 */
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });
const nullableTime = isoTime.nullable();

/** Who did something, as precisely as the source system tells it. */
export const Actor = z.object({
  login: z.string().nullable(),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  bot: z.boolean().optional(),
});
export type Actor = z.infer<typeof Actor>;

export const Credential = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['active', 'inactive']),
  createdAt: nullableTime,
  lastUsedAt: nullableTime,
  /** The last four characters of the key's own ID (an access key's), so an auditor can tell keys apart; never the whole ID. */
  lastFour: z.string().regex(/^[A-Za-z0-9]{4}$/).optional(),
});

export const AccessAccount = z.object({
  accountId: z.string(),
  /** The system's own id of the account that a rename keeps (GitHub's numeric user id, an IAM user id, a Google user id), when it has one besides `accountId`. */
  sourceId: z.string().optional(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  /** member, outside_collaborator, guest, service, root, bot, … */
  accountType: z.string(),
  status: z.enum(['active', 'suspended', 'deleted', 'invited']),
  privileged: z.boolean(),
  roles: z.array(z.string()),
  mfa: z.enum(['enabled', 'disabled', 'unknown']),
  createdAt: nullableTime,
  lastLoginAt: nullableTime,
  credentials: z.array(Credential),
  /** Identity at the organization's identity provider (e.g. SAML NameID), when the system links one. */
  ssoIdentity: z.string().nullable(),
  /** When the account reached its current status (deleted or suspended at), when the system says: a leaver stays visible with the time they left. */
  statusSince: nullableTime.optional(),
  /** Facts the system reports that have no common field (org unit, aliases, why suspended, 2-step verification enforced). */
  attributes: z.record(z.string(), z.json()).optional(),
});

/** A security-relevant setting observed at a time; `settings` holds the values as the source names them. */
export const ConfigSetting = z.object({
  /** What the setting applies to, e.g. `acme/api@main` or `aws:123456789012`. */
  target: z.string(),
  /** The family of setting, e.g. `branch_protection`, `password_policy`, `trail`. */
  setting: z.string(),
  /** False when the target has no such protection at all (an unprotected branch). */
  present: z.boolean(),
  settings: z.record(z.string(), z.json()),
});

export const Approval = z.object({
  reviewer: Actor,
  state: z.enum(['approved', 'changes_requested', 'commented', 'dismissed', 'pending']),
  at: nullableTime,
  /** The revision (commit SHA, ticket version) the approval was given on. */
  revision: z.string().nullable(),
});

export const ChangeRequest = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  author: Actor.nullable(),
  approvals: z.array(Approval),
  createdAt: nullableTime,
  mergedAt: nullableTime,
  mergedBy: Actor.nullable(),
  closedAt: nullableTime,
  /** Where the change went: base branch, environment, project. */
  target: z.string(),
  headRevision: z.string().nullable(),
  /** When the head revision was committed/pushed, to judge stale approvals. */
  headRevisionAt: nullableTime,
  linkedTickets: z.array(z.string()),
  emergency: z.boolean(),
  /** Where each linked ticket key was found (title, branch, body, a ticket's development links), for the traceability check and the population. */
  ticketSources: z.record(z.string(), z.array(z.string())).optional(),
  /** The changes (pull requests, `owner/repo#123`) a ticket says it is linked to, e.g. Jira's development links. */
  linkedChanges: z.array(z.string()).optional(),
  /** The ticket's workflow status and resolution as the source names them (e.g. `Awaiting approval`, `Done`). */
  status: z.string().nullable().optional(),
  resolution: z.string().nullable().optional(),
  /** The code host's own review verdict (GitHub reviewDecision): approved, changes_requested, review_required; null when no review is required. */
  reviewDecision: z.enum(['approved', 'changes_requested', 'review_required']).nullable().optional(),
  labels: z.array(z.string()).optional(),
  /** The head (source) branch of a pull request. */
  sourceBranch: z.string().nullable().optional(),
  /** The repository's default branch when the change was collected, so a check can tell changes into it from others. */
  defaultBranch: z.string().nullable().optional(),
});

export const PersonnelEvent = z.object({
  person: z.object({ email: z.string().nullable(), name: z.string().nullable(), id: z.string().nullable() }),
  type: z.enum(['joiner', 'mover', 'leaver']),
  effectiveAt: nullableTime,
  source: z.string(),
  ticket: z.string().nullable(),
  completedAt: nullableTime,
  /** Who carried the event out in the system (the admin who suspended or created the account), when the system says. */
  actor: Actor.nullable().optional(),
});

export const IncidentRecord = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.string().nullable(),
  status: z.string(),
  openedAt: nullableTime,
  resolvedAt: nullableTime,
  postMortem: z.string().nullable(),
  timeline: z.array(z.object({ at: isoTime, actor: Actor.nullable(), event: z.string() })),
  /** Who took part (channel members, assignees), as the source identifies them. */
  participants: z.array(z.string()).optional(),
  /** Tickets the incident refers to (e.g. OPS-42). */
  linkedTickets: z.array(z.string()).optional(),
});

export const AuditEvent = z.object({
  actor: Actor.nullable(),
  action: z.string(),
  target: z.string().nullable(),
  at: isoTime,
  sourceAddress: z.string().nullable(),
  outcome: z.string().nullable(),
});

/** A laptop or desktop as the device management (MDM) system last saw it. */
export const EndpointDevice = z.object({
  deviceId: z.string(),
  name: z.string().nullable(),
  /** Who the device is assigned to (email or person id), as the MDM names them. */
  owner: z.string().nullable(),
  /** macOS, Windows, Linux, iOS, … */
  os: z.string(),
  osVersion: z.string().nullable(),
  /** Full-disk encryption (FileVault, BitLocker, LUKS). */
  diskEncryption: z.enum(['enabled', 'disabled', 'unknown']),
  /** Whether a screen lock (with a timeout) is enforced. */
  screenLock: z.enum(['enabled', 'disabled', 'unknown']),
  /** Anti-malware / EDR protection. */
  malwareProtection: z.enum(['enabled', 'disabled', 'unknown']).optional(),
  /** managed, unmanaged, retired, lost, … as the source says. */
  status: z.string(),
  lastCheckInAt: nullableTime,
  attributes: z.record(z.string(), z.json()).optional(),
});

/** A vulnerability a scanner found on an asset, and what became of it. */
export const VulnerabilityFinding = z.object({
  id: z.string(),
  title: z.string(),
  /** critical, high, medium, low, informational (the scanner's scale, lower-cased). */
  severity: z.string(),
  /** CVE or scanner rule ids. */
  identifiers: z.array(z.string()),
  /** What is affected: host, image, repository, package. */
  asset: z.string(),
  status: z.enum(['open', 'fixed', 'accepted', 'false_positive']),
  foundAt: isoTime,
  fixedAt: nullableTime,
  /** When the organization's SLA says it must be fixed by, when the source knows. */
  dueAt: nullableTime,
  /** A risk acceptance or exception reference, when the finding is accepted. */
  exception: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
});

/** One person's completion of a course (security awareness, secure coding, …). */
export const TrainingRecord = z.object({
  person: z.object({ email: z.string().nullable(), name: z.string().nullable(), id: z.string().nullable() }),
  course: z.string(),
  status: z.enum(['assigned', 'in_progress', 'completed', 'overdue']),
  assignedAt: nullableTime.optional(),
  completedAt: nullableTime,
  /** When the completion stops counting (annual refresher). */
  expiresAt: nullableTime,
});

/** A background (pre-employment) check of a person, never its findings: only that it was done. */
export const BackgroundCheck = z.object({
  person: z.object({ email: z.string().nullable(), name: z.string().nullable(), id: z.string().nullable() }),
  provider: z.string(),
  status: z.enum(['pending', 'completed', 'cancelled', 'not_required']),
  /** Whether the outcome cleared the person for hire, when the provider says so (never the details). */
  cleared: z.boolean().nullable().optional(),
  requestedAt: nullableTime.optional(),
  completedAt: nullableTime,
});

/** Every record kind and the schema its `data` must satisfy. */
export const recordKinds = {
  'access.account': AccessAccount,
  'access.config': ConfigSetting,
  'change.config': ConfigSetting,
  'change.request': ChangeRequest,
  'personnel.event': PersonnelEvent,
  'incident.record': IncidentRecord,
  'audit.event': AuditEvent,
  'endpoint.device': EndpointDevice,
  'vulnerability.finding': VulnerabilityFinding,
  'training.record': TrainingRecord,
  'background.check': BackgroundCheck,
} as const;

export type RecordKind = keyof typeof recordKinds;
export const RECORD_KINDS = Object.keys(recordKinds) as RecordKind[];
export type RecordData<K extends RecordKind> = z.infer<(typeof recordKinds)[K]>;

export function isRecordKind(value: string): value is RecordKind {
  return Object.hasOwn(recordKinds, value);
}
