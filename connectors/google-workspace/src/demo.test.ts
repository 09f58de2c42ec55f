/**
 * The demo cassette as `evidentia demo` uses it: one replay server for all
 * three streams over the demo period, and a directory that tells the same
 * story as the HR export (config/examples/hr-export/people.json): bob left on
 * 2026-05-15, carol joined on 2026-04-20, dan left on 2026-06-12.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runStream } from '@evidentia/sdk';
import { MemorySink, startReplayServer } from '@evidentia/testing';
import { googleWorkspaceConnector } from './index.js';
import { fixturePath, tokenConfig } from './test-support.js';

const PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };

async function collectDemo(): Promise<Map<string, EvidenceRecord[]>> {
  const server = await startReplayServer([fixturePath('demo.json')]);
  const byStream = new Map<string, EvidenceRecord[]>();
  try {
    for (const stream of ['users', 'admin_roles', 'user_lifecycle']) {
      const sink = new MemorySink();
      const outcome = await runStream({ connector: googleWorkspaceConnector, instance: 'google-workspace', config: tokenConfig()(server.baseUrl), stream, sink, cursor: null, ...PERIOD, now: () => PERIOD.until, collectorVersion: 'test' });
      expect(outcome).toMatchObject({ status: 'complete', gaps: [] });
      byStream.set(stream, [...sink.records]);
    }
  } finally {
    await server.close();
  }
  server.assertDone();
  return byStream;
}

describe('demo.json', () => {
  it('tells the HR export’s story in all three streams', async () => {
    const streams = await collectDemo();
    const users = new Map((streams.get('users') ?? []).map((r) => [r.data.email, r.data]));
    expect([...users.keys()].sort()).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com', 'erin@example.com']);
    expect(users.get('bob@example.com')).toMatchObject({ status: 'suspended', privileged: false });
    expect(users.get('dan@example.com')).toMatchObject({ status: 'deleted' });
    expect(users.get('carol@example.com')).toMatchObject({ status: 'active', mfa: 'disabled', createdAt: '2026-04-20T08:14:03.000Z' });
    expect(users.get('erin@example.com')).toMatchObject({ privileged: true, roles: ['super_admin'] });

    expect((streams.get('admin_roles') ?? []).map((r) => `${r.data.accountId} ${(r.data.roles as string[]).join()}`)).toEqual(['erin@example.com _SEED_ADMIN_ROLE']);

    const events = (streams.get('user_lifecycle') ?? []).map((r) => `${r.occurredAt?.slice(0, 10)} ${r.kind} ${r.kind === 'personnel.event' ? `${r.data.type} ${(r.data.person as { email: string }).email}` : `${r.data.action} ${r.data.target}`}`);
    expect(events.sort()).toEqual([
      '2026-04-20 personnel.event joiner carol@example.com',
      '2026-05-15 audit.event UNASSIGN_ROLE bob@example.com (_HELP_DESK_ADMIN_ROLE)',
      '2026-05-15 personnel.event leaver bob@example.com',
      '2026-06-12 personnel.event leaver dan@example.com',
    ]);
  });
});
