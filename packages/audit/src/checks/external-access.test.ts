/**
 * outside-collaborator-access and sso-identity-linked over inventories shaped
 * the way the GitHub connector records them: outside collaborators with
 * their repositories and permissions, members' SAML linkage and the
 * organization's saml_sso fact. Neither passes on evidence that is not there.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import outsideCollaboratorAccess from './library/outside-collaborator-access.js';
import ssoIdentityLinked from './library/sso-identity-linked.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { accountRecord, configRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const PERIOD = '2026-02-01..2026-02-28';
const stream = 'github/members';
const collaborator = (login: string, attributes: Record<string, unknown> | undefined) =>
  accountRecord(GH, login, { accountType: 'outside_collaborator', roles: ['outside_collaborator'], ...(attributes ? { attributes: attributes as never } : {}) });
const member = (login: string, sso: string | undefined, extra: Record<string, unknown> = {}) =>
  accountRecord(GH, login, { ssoIdentity: sso === 'linked' ? `${login}@acme.example` : null, ...(sso ? { attributes: { sso } } : {}), ...extra });
const saml = (unlinkedIdentities: unknown[]) => configRecord('access.config', GH, 'acme', 'saml_sso', { provider: true, identities: 3, unlinkedIdentities });

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('outside-collaborator-access', () => {
  it('raises an exception for admin or write in any inventory, and passes read and triage', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [
      {
        stream,
        type: 'state',
        records: [
          member('alice', 'linked'),
          collaborator('olivia', { repositories: [{ repository: 'acme/web', permission: 'triage' }, { repository: 'acme/docs', permission: 'read' }] }),
          collaborator('quinn', { repositories: [{ repository: 'acme/infra', permission: 'read' }] }),
          collaborator('rita', { repositories: [] }),
        ],
      },
    ]);
    await synthetic.run('2026-02-12T02:00:00Z', [
      {
        stream,
        type: 'state',
        records: [
          member('alice', 'linked'),
          collaborator('olivia', { repositories: [{ repository: 'acme/web', permission: 'triage' }, { repository: 'acme/docs', permission: 'read' }] }),
          collaborator('quinn', { repositories: [{ repository: 'acme/infra', permission: 'admin' }, { repository: 'acme/api', permission: 'write', role: 'contractor' }] }),
          collaborator('rita', { repositories: [] }),
        ],
      },
    ]);
    const findings = await findingsOf(outsideCollaboratorAccess, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`olivia @ ${GH}`, 'pass'],
      [`quinn @ ${GH}`, 'exception'],
      [`rita @ ${GH}`, 'pass'],
    ]);
    const reason = (item: string) => findings.find((f) => f.item === item)!.reason;
    expect(reason('quinn')).toBe('outside collaborator with admin on acme/infra, write (role contractor) on acme/api in 1 of 2 inventories, first at 2026-02-12T02:00:00.000Z (allowed: read, triage)');
    expect(reason('rita')).toBe('outside collaborator with no repository access in all 2 inventories from 2026-02-02T02:00:00.000Z to 2026-02-12T02:00:00.000Z');
  });

  it('is not assessable where repositories were not recorded or a repository could not be read, and passes a system without outside collaborators saying so', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [
      { stream, type: 'state', records: [collaborator('olivia', undefined), collaborator('quinn', { repositories: [{ repository: 'acme/web', permission: 'read' }], repositoriesUnread: ['acme/infra'] })] },
      { stream: 'github-oss/members', type: 'state', records: [accountRecord('github:acme-oss', 'bob')] },
      { stream: 'slack/users', type: 'state', records: [accountRecord('slack:acme', 'U0001', { accountType: 'outside_collaborator' })] },
    ]);
    const findings = await findingsOf(outsideCollaboratorAccess, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`olivia @ ${GH}`, 'not-assessable'],
      ['outside collaborators @ github:acme-oss', 'pass'],
      [`quinn @ ${GH}`, 'not-assessable'],
    ]);
    expect(findings.find((f) => f.item === 'quinn')!.reason).toMatch(/collaborators of acme\/infra could not be read/);
    expect(findings.find((f) => f.item === 'outside collaborators')!.reason).toBe('no outside collaborator among 1 active account(s) in the inventory of 2026-02-02T02:00:00.000Z');
  });

  it('is not assessed, never a pass, when no account inventory of the period exists', async () => {
    const findings = await findingsOf(outsideCollaboratorAccess, synthetic.locker, PERIOD);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.status === 'not-assessed')).toBe(true);
  });
});

describe('sso-identity-linked', () => {
  it('raises exceptions for members with no identity and identities linked to no member, and exempts bots and outside collaborators', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [
      {
        stream,
        type: 'state',
        records: [
          member('alice', 'linked'),
          member('bob', 'unlinked'),
          member('deploy[bot]', 'unlinked', { accountType: 'bot' }),
          collaborator('olivia', { repositories: [] }),
          saml([{ nameId: 'henry@acme.example', email: 'henry@acme.example', displayName: 'Henry', login: null }, { nameId: 'ivy@acme.example', email: null, displayName: null, login: 'ivy-old' }]),
        ],
      },
    ]);
    const findings = await findingsOf(ssoIdentityLinked, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`alice @ ${GH}`, 'pass'],
      [`bob @ ${GH}`, 'exception'],
      [`deploy[bot] @ ${GH}`, 'not-assessable'],
      [`olivia @ ${GH}`, 'not-assessable'],
      [`SAML identity henry@acme.example @ ${GH}`, 'exception'],
      [`SAML identity ivy@acme.example @ ${GH}`, 'exception'],
    ]);
    const reason = (item: string) => findings.find((f) => f.item === item)!.reason;
    expect(reason('SAML identity henry@acme.example')).toBe('linked to no GitHub account in the inventory of 2026-02-02T02:00:00.000Z');
    expect(reason('SAML identity ivy@acme.example')).toBe('linked to ivy-old, who is not a member in the inventory of 2026-02-02T02:00:00.000Z');
    expect(reason('bob')).toBe('member with no SAML identity in the inventory of 2026-02-02T02:00:00.000Z: signs in around the identity provider');
  });

  it('reports an organization without SAML SSO once, as a recorded fact, and linkage not recorded as not assessable', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [
      { stream, type: 'state', records: [member('alice', 'no-provider'), member('bob', 'no-provider'), configRecord('access.config', GH, 'acme', 'saml_sso', { provider: false }, false)] },
      { stream: 'github-oss/members', type: 'state', records: [accountRecord('github:acme-oss', 'carol')] },
      // A system that records no SAML linkage (not in ssoSystems) is not judged at all.
      { stream: 'slack/users', type: 'state', records: [accountRecord('slack:acme', 'U0001')] },
    ]);
    const findings = await findingsOf(ssoIdentityLinked, synthetic.locker, PERIOD);
    // Nothing could be judged, so the check says so as a whole: it is not a pass.
    expect(verdicts(findings)).toEqual([
      ['(nothing assessed)', 'not-assessed'],
      ['carol @ github:acme-oss', 'not-assessable'],
      [`SAML SSO of acme @ ${GH}`, 'not-assessable'],
    ]);
    expect(findings.find((f) => f.item === 'SAML SSO of acme')!.reason).toMatch(/has no SAML identity provider in the inventory of 2026-02-02T02:00:00.000Z: SSO linkage does not apply/);
    expect(findings.find((f) => f.item === 'carol')!.reason).toMatch(/^SAML linkage was not recorded/);
  });
});
