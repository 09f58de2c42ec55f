/**
 * The admin_roles stream against recorded fixtures: who holds which admin
 * role (CC6.1, CC6.3), with roles named from the role list, org-unit scope
 * kept, groups and holders missing from the directory still visible.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture, type CassetteInput } from '@evidentia/testing';
import { googleWorkspaceConnector } from './index.js';
import { fixturePath, loadFixture, TEST_TOKEN, tokenConfig } from './test-support.js';

const run = () => runConnectorFixture({ connector: googleWorkspaceConnector, stream: 'admin_roles', cassettes: [fixturePath('admin-roles.json')], config: tokenConfig() });

function holder(records: EvidenceRecord[], key: string): Record<string, unknown> {
  const record = records.find((r) => r.key === key);
  if (!record) throw new Error(`no record for ${key}`);
  return record.data;
}

describe('admin_roles stream', () => {
  it('records one access.account per role holder, over paginated roles and assignments', async () => {
    const { outcome, records } = await run();
    expect(outcome).toMatchObject({ status: 'complete', requests: 5, apiTotal: null, records: 4, itemGaps: [] });
    expect(records.map((r) => r.key).sort()).toEqual([
      'role-holder:group:04f1mdlm0ki64aw',
      'role-holder:user:104938271650392840099',
      'role-holder:user:104938271650392847563',
      'role-holder:user:104938271650392847565',
    ]);
    expect(records.every((r) => r.kind === 'access.account' && r.controls.join() === 'CC6.1,CC6.3' && r.data.privileged === true)).toBe(true);
  });

  it('names the roles, keeps an org-unit scope, and joins the holder to the directory', async () => {
    const { records } = await run();
    expect(holder(records, 'role-holder:user:104938271650392847565')).toMatchObject({
      accountId: 'erin@example.com',
      sourceId: '104938271650392847565',
      email: 'erin@example.com',
      displayName: 'Erin Security',
      accountType: 'admin_role_holder',
      roles: ['_SEED_ADMIN_ROLE'],
      mfa: 'enabled',
      status: 'active',
    });
    expect(holder(records, 'role-holder:user:104938271650392847563')).toMatchObject({
      accountId: 'carol@example.com',
      roles: ['_GROUPS_ADMIN_ROLE', '_HELP_DESK_ADMIN_ROLE (org unit 03ph8a2z1k4l9m)'],
      mfa: 'disabled',
    });
    expect(holder(records, 'role-holder:group:04f1mdlm0ki64aw')).toMatchObject({ accountType: 'admin_role_group', accountId: '04f1mdlm0ki64aw', email: null, roles: ['Security Auditor'], mfa: 'unknown' });
  });

  it('keeps a holder the directory listing does not show, by id and with MFA unknown', async () => {
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const { records } = await runConnectorFixture({ connector: googleWorkspaceConnector, stream: 'admin_roles', cassettes: [fixturePath('admin-roles.json')], config: tokenConfig(), log });
    expect(holder(records, 'role-holder:user:104938271650392840099')).toMatchObject({ accountId: '104938271650392840099', email: null, status: 'active', mfa: 'unknown', roles: ['_GROUPS_ADMIN_ROLE'] });
    expect(warnings).toContain('an admin role holder is not in the directory listing; recorded by id');
  });

  it('rests each holder on the role pages, its assignment pages and its user page', async () => {
    const { records, snapshots } = await run();
    const hashOf = (fragment: string) => snapshots.filter((s) => s.provenance.url.includes(fragment)).map((s) => s.hash);
    const carol = records.find((r) => r.key === 'role-holder:user:104938271650392847563')!;
    expect(carol.sources).toEqual([...hashOf('/roles'), ...hashOf('/roleassignments'), ...hashOf('fields=')].sort());
    expect(snapshots.find((s) => s.provenance.url.includes('fields='))?.provenance.url).toMatch(/projection=basic/);
    expect(JSON.stringify(snapshots)).not.toContain(TEST_TOKEN);
  });

  it('ends partial, naming the role, when an assignment holds a role the role listing lacks (a short role listing)', async () => {
    const cassette = loadFixture('admin-roles.json');
    const roles = cassette.interactions.find((i) => i.request.path.includes('/roles') && !i.request.path.includes('pageToken'))!;
    const body = roles.response.body as { items: Array<{ roleId: string; roleName: string }> };
    const dropped = body.items.find((role) => role.roleName === '_SEED_ADMIN_ROLE')!;
    roles.response = { ...roles.response, body: { ...body, items: body.items.filter((role) => role !== dropped) } };
    const { outcome, records } = await runConnectorFixture({ connector: googleWorkspaceConnector, stream: 'admin_roles', cassettes: [cassette as CassetteInput], config: tokenConfig() });
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([expect.objectContaining({ item: `role ${dropped.roleId}`, inScope: true })]);
    expect(outcome.error).toContain(`role ${dropped.roleId} (held through assignment`);
    expect(records).toHaveLength(4);
  });
});
