/**
 * The user_lifecycle stream against recorded fixtures: joiners and leavers
 * (personnel.event) and privilege changes (audit.event) for CC1.4, CC6.2 and
 * CC6.3, one listing per event name with pagination, and the 180-day
 * retention declared as a gap when a backfill reaches further back.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { LIFECYCLE_EVENT_NAMES } from './collect-user-lifecycle.js';
import { googleWorkspaceConnector } from './index.js';
import { fixturePath, googleError, tokenConfig } from './test-support.js';

const run = (cassettes: Array<string | CassetteInput>, extra: { since?: Date; until?: Date; cursor?: string } = {}) =>
  runConnectorFixture({ connector: googleWorkspaceConnector, stream: 'user_lifecycle', cassettes: cassettes.map((c) => (typeof c === 'string' ? fixturePath(c) : c)), config: tokenConfig(), ...extra });

const listing = (eventName: string, since: string, until: string) =>
  `/admin/reports/v1/activity/users/all/applications/admin?endTime=${until}&eventName=${eventName}&maxResults=1000&startTime=${since}`;

/** Every event name answered with an empty page, for the given range. */
function emptyListings(since: string, until: string): CassetteInput {
  return {
    format: 'evidentia.cassette/1',
    description: `no admin events ${since}..${until}`,
    interactions: LIFECYCLE_EVENT_NAMES.map((name) => ({
      request: { method: 'GET', path: listing(name, since, until) },
      response: { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { kind: 'admin#reports#activities', etag: '"empty"' } },
    })),
  };
}

const byKey = (records: EvidenceRecord[], key: string) => {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record ${key}`);
  return record;
};

describe('user_lifecycle stream', () => {
  it('collects the last 90 days on the first run, one listing per event name, following pages', async () => {
    const { outcome, records, requests } = await run(['user-lifecycle.json']);
    expect(outcome).toMatchObject({ status: 'complete', requests: 10, gaps: [], cursorAfter: '2026-07-01T00:00:00.000Z', range: { since: new Date('2026-04-02T00:00:00Z') } });
    // Restored deletions are read too (a reinstatement, never a leaver).
    expect(requests.filter((r) => r.path.includes('eventName=UNDELETE_USER'))).toHaveLength(1);
    expect(requests.filter((r) => r.path.includes('eventName=SUSPEND_USER'))).toHaveLength(2);
    expect(records.filter((r) => r.kind === 'personnel.event').map((r) => `${r.data.type} ${(r.data.person as { email: string }).email}`).sort()).toEqual([
      'joiner carol@example.com',
      'joiner frank@example.com',
      'leaver bob@example.com',
      'leaver gina@example.com',
      'leaver gina@example.com',
    ]);
    expect(records.filter((r) => r.kind === 'audit.event')).toHaveLength(3);
    expect(records.every((r) => r.controls.join() === 'CC1.4,CC6.2,CC6.3')).toBe(true);
  });

  it('keys events by activity, time and name, and keeps the facts of a leaver with the admin who suspended them', async () => {
    const { records } = await run(['user-lifecycle.json']);
    const bob = byKey(records, '-8829915737620493112:2026-05-15T17:02:41.118Z:SUSPEND_USER');
    expect(bob).toMatchObject({ kind: 'personnel.event', occurredAt: '2026-05-15T17:02:41.118Z' });
    expect(bob.data).toEqual({
      person: { email: 'bob@example.com', name: null, id: null },
      type: 'leaver',
      effectiveAt: '2026-05-15T17:02:41.118Z',
      source: 'google-workspace admin audit log: SUSPEND_USER',
      ticket: null,
      completedAt: '2026-05-15T17:02:41.118Z',
      actor: { login: 'erin@example.com', email: 'erin@example.com' },
    });
  });

  it('records privilege changes as audit events with actor, role and source address', async () => {
    const { records } = await run(['user-lifecycle.json']);
    expect(byKey(records, '7761209384756102938:2026-05-15T16:58:09.774Z:UNASSIGN_ROLE').data).toEqual({
      actor: { login: 'erin@example.com', email: 'erin@example.com' },
      action: 'UNASSIGN_ROLE',
      target: 'bob@example.com (_HELP_DESK_ADMIN_ROLE)',
      at: '2026-05-15T16:58:09.774Z',
      sourceAddress: '2001:db8::24',
      outcome: null,
    });
    // Two roles assigned in one activity: two records, the second keyed #1.
    expect(byKey(records, '-2093847561029384756:2026-05-02T13:05:19.870Z:ASSIGN_ROLE').data.target).toBe('carol@example.com (_HELP_DESK_ADMIN_ROLE)');
    expect(byKey(records, '-2093847561029384756:2026-05-02T13:05:19.870Z:ASSIGN_ROLE#1').data.target).toBe('carol@example.com (_GROUPS_ADMIN_ROLE)');
  });

  it('declares the part of a backfill older than 180 days as a gap and collects the rest', async () => {
    const since = new Date('2025-12-01T00:00:00Z');
    const until = new Date('2026-02-01T00:00:00Z');
    const { outcome, records } = await run([emptyListings('2026-01-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z')], { since, until });
    expect(outcome.status).toBe('complete');
    expect(outcome.gaps).toEqual([{ since: '2025-12-01T00:00:00.000Z', until: '2026-01-02T00:00:00.000Z', reason: expect.stringContaining('180 days') }]);
    expect(outcome.range).toEqual({ since: new Date('2026-01-02T00:00:00Z'), until });
    expect(records).toHaveLength(0);
  });

  it('re-reads from the cursor minus the one-hour overlap', async () => {
    const { outcome } = await run([emptyListings('2026-06-30T22:00:00.000Z', '2026-07-01T00:00:00.000Z')], { cursor: '2026-06-30T23:00:00.000Z' });
    expect(outcome).toMatchObject({ status: 'complete', cursorAfter: '2026-07-01T00:00:00.000Z' });
  });

  it('fails naming the missing scope when the token may not read the audit log, and keeps the cursor', async () => {
    const denied = googleError(listing('CREATE_USER', '2026-06-30T22:00:00.000Z', '2026-07-01T00:00:00.000Z'), 403, 'Request had insufficient authentication scopes.', {
      reason: 'insufficientPermissions',
      detail: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    });
    const { outcome } = await run([{ format: 'evidentia.cassette/1', description: 'denied', interactions: [denied] }], { cursor: '2026-06-30T23:00:00.000Z' });
    expect(outcome).toMatchObject({ status: 'failed', cursorAfter: null });
    expect(outcome.error).toMatch(/^HTTP 403 on GET http:\/\/127\.0\.0\.1:\d+\/admin\/reports\/v1\/activity\/users\/all\/applications\/admin\?.*: Request had insufficient authentication scopes\. \[insufficientPermissions, ACCESS_TOKEN_SCOPE_INSUFFICIENT\]$/);
  });
});
