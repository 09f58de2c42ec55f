/** Builders for valid synthetic records of each kind, with overridable fields, for tests and benchmarks. */
import type { RecordData, RecordKind } from '@evidentia/evidence';
import type { SyntheticRecord } from './synthetic-locker.js';

type Data<K extends RecordKind> = Partial<RecordData<K>>;

function build<K extends RecordKind>(kind: K, key: string, system: string, data: RecordData<K>, occurredAt: string | null = null): SyntheticRecord {
  return { kind, key, system, occurredAt, data: data as Record<string, unknown> };
}

export function accountRecord(system: string, login: string, data: Data<'access.account'> = {}): SyntheticRecord {
  return build('access.account', `user:${login}`, system, {
    accountId: login,
    displayName: null,
    email: null,
    accountType: 'member',
    status: 'active',
    privileged: false,
    roles: ['member'],
    mfa: 'enabled',
    createdAt: null,
    lastLoginAt: null,
    credentials: [],
    ssoIdentity: null,
    ...data,
  });
}

export function pullRequestRecord(system: string, id: string, data: Data<'change.request'> = {}): SyntheticRecord {
  const full: RecordData<'change.request'> = {
    id,
    title: `Change ${id}`,
    url: null,
    author: { login: 'alice' },
    approvals: [],
    createdAt: '2026-02-01T09:00:00Z',
    mergedAt: '2026-02-02T12:00:00Z',
    mergedBy: { login: 'alice' },
    closedAt: '2026-02-02T12:00:00Z',
    target: 'acme/api:main',
    headRevision: 'head',
    headRevisionAt: '2026-02-01T10:00:00Z',
    linkedTickets: [],
    emergency: false,
    ...data,
  };
  return build('change.request', id, system, full, full.mergedAt ?? full.createdAt);
}

export function configRecord(kind: 'change.config' | 'access.config', system: string, target: string, setting: string, settings: Record<string, unknown>, present = true): SyntheticRecord {
  return build(kind, `${target}:${setting}`, system, { target, setting, present, settings: settings as RecordData<'change.config'>['settings'] });
}

export function personnelRecord(system: string, key: string, data: Data<'personnel.event'> = {}): SyntheticRecord {
  const full: RecordData<'personnel.event'> = {
    person: { email: null, name: null, id: null },
    type: 'leaver',
    effectiveAt: '2026-02-10T00:00:00Z',
    source: 'HR export',
    ticket: null,
    completedAt: null,
    ...data,
  };
  return build('personnel.event', key, system, full, full.effectiveAt);
}

export function incidentRecord(system: string, id: string, data: Data<'incident.record'> = {}): SyntheticRecord {
  const full: RecordData<'incident.record'> = {
    id,
    title: `Incident ${id}`,
    severity: 'SEV2',
    status: 'Resolved',
    openedAt: '2026-02-01T08:00:00Z',
    resolvedAt: '2026-02-01T12:00:00Z',
    postMortem: `https://wiki.example.invalid/${id}`,
    timeline: [],
    ...data,
  };
  return build('incident.record', id, system, full, full.openedAt);
}

export function auditEventRecord(system: string, id: string, data: Data<'audit.event'> = {}): SyntheticRecord {
  const full: RecordData<'audit.event'> = {
    actor: { login: 'arn:aws:iam::123456789012:user/alice', name: 'alice', bot: false },
    action: 'ConsoleLogin',
    target: null,
    at: '2026-02-10T09:00:00Z',
    sourceAddress: '203.0.113.10',
    outcome: 'success',
    ...data,
  };
  return build('audit.event', id, system, full, full.at);
}
