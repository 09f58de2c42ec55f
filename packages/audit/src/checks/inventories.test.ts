/** Inventory checks judged over every inventory of the period (branch protection, MFA, access keys, CloudTrail) and the incident check. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import accessKeys from './library/access-keys.js';
import branchProtection from './library/branch-protection.js';
import cloudtrailLogging from './library/cloudtrail-logging.js';
import incidentHandled from './library/incident-handled.js';
import mfaEnabled from './library/mfa-enabled.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { accountRecord, configRecord, incidentRecord } from './synthetic-records.js';
import { coveredCriteria } from '../frameworks/status.js';
import { findingsOf, outcomeOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const AWS = 'aws:123456789012';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const protection = (target: string, settings: Record<string, unknown> = {}, present = true) =>
  configRecord('change.config', GH, target, 'branch_protection', { requiresPullRequest: true, requiredApprovals: 1, enforceAdmins: true, allowForcePushes: false, ...settings }, present);

describe('branch-protection', () => {
  it('examines every inventory in effect during the period, not only the latest', async () => {
    const stream = 'github/branch_protection';
    // In effect at the start of the period.
    await synthetic.run('2026-01-20T02:00:00Z', [{ stream, type: 'state', records: [protection('acme/api@main'), protection('acme/web@main'), protection('acme/ops@main')] }]);
    // Mid-period: web loses admin enforcement for a while, ops allows force-pushes.
    await synthetic.run('2026-02-10T02:00:00Z', [
      { stream, type: 'state', records: [protection('acme/api@main'), protection('acme/web@main', { enforceAdmins: false }), protection('acme/ops@main', { allowForcePushes: true, requiredApprovals: 0 })] },
    ]);
    // Today everything is fine again; docs is new and unprotected.
    await synthetic.run('2026-02-20T02:00:00Z', [{ stream, type: 'state', records: [protection('acme/api@main'), protection('acme/web@main'), protection('acme/ops@main'), protection('acme/docs@main', {}, false)] }]);
    // After the period: does not count.
    await synthetic.run('2026-03-05T02:00:00Z', [{ stream, type: 'state', records: [protection('acme/api@main', { requiredApprovals: 0 })] }]);
    const findings = await findingsOf(branchProtection, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`acme/api@main:branch_protection @ ${GH}`, 'pass'],
      [`acme/docs@main:branch_protection @ ${GH}`, 'exception'],
      [`acme/ops@main:branch_protection @ ${GH}`, 'exception'],
      [`acme/web@main:branch_protection @ ${GH}`, 'exception'],
    ]);
    const reason = (prefix: string) => findings.find((f) => f.item.startsWith(prefix))!.reason;
    expect(reason('acme/web')).toBe('not enforced for administrators in 1 of 3 inventories, first at 2026-02-10T02:00:00.000Z');
    expect(reason('acme/ops')).toContain('0 required approval(s), fewer than 1, force-pushes allowed');
    expect(reason('acme/docs')).toBe('no protection in the inventory of 2026-02-20T02:00:00.000Z');
    expect(reason('acme/api')).toBe('protected as required in all 3 inventories from 2026-01-20T02:00:00.000Z to 2026-02-20T02:00:00.000Z');
    const stricter = await findingsOf(branchProtection, synthetic.locker, PERIOD, { settings: { minApprovals: 2 } });
    expect(stricter.filter((f) => f.status === 'pass')).toEqual([]);
  });

  it('says the period was not assessed when no inventory was in effect', async () => {
    await synthetic.run('2026-03-05T02:00:00Z', [{ stream: 'github/branch_protection', type: 'state', records: [protection('acme/api@main')] }]);
    const findings = await findingsOf(branchProtection, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([[`(all change.config records from github/branch_protection) @ ${GH}`, 'not-assessed']]);
    expect(findings[0]!.reason).toBe('no inventory from github/branch_protection inside the period or within its staleness of 36 h before it (none before it either)');
  });
});

describe('an inventory in effect at the start and none inside the period', () => {
  it('stands for the period only while it is fresh: six months on one inventory from before them is not assessed, never a pass', async () => {
    await synthetic.run('2025-12-31T20:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'alice')] }]);
    const findings = await findingsOf(mfaEnabled, synthetic.locker, '2026-01-01..2026-06-30');
    // Alice's MFA, seen only before the period, is not judged for it either.
    expect(verdicts(findings)).toEqual([
      [`(all access.account records from github/members) @ ${GH}`, 'not-assessed'],
      [`alice @ ${GH}`, 'not-assessed'],
    ]);
    expect(findings.find((f) => f.item.startsWith('(all'))!.reason).toBe('no inventory from github/members inside the period: the one in effect at its start (2025-12-31T20:00:00.000Z) is stale from 2026-01-02T08:00:00.000Z (staleness 36 h), before the period ends');
    // A one-day period it still covers, fresh to its end, is judged on it.
    expect(verdicts(await findingsOf(mfaEnabled, synthetic.locker, '2026-01-01..2026-01-01'))).toEqual([[`alice @ ${GH}`, 'pass']]);
  });
});

describe('mfa-enabled and access-keys', () => {
  it('fails disabled MFA, never passes unknown MFA, and lists bots as not assessable', async () => {
    await synthetic.run('2026-02-05T02:00:00Z', [
      {
        stream: 'github/members',
        type: 'state',
        records: [
          accountRecord(GH, 'alice'),
          accountRecord(GH, 'bob', { mfa: 'disabled' }),
          accountRecord(GH, 'carol', { mfa: 'unknown' }),
          accountRecord(GH, 'deploy[bot]', { accountType: 'bot', mfa: 'unknown' }),
          accountRecord(GH, 'gone', { status: 'suspended', mfa: 'disabled' }),
        ],
      },
    ]);
    await synthetic.run('2026-02-06T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'alice', { mfa: 'disabled' }), accountRecord(GH, 'bob')] }]);
    expect(verdicts(await findingsOf(mfaEnabled, synthetic.locker, PERIOD))).toEqual([
      [`alice @ ${GH}`, 'exception'],
      [`bob @ ${GH}`, 'exception'],
      [`carol @ ${GH}`, 'not-assessable'],
      [`deploy[bot] @ ${GH}`, 'not-assessable'],
    ]);
  });

  it('is not assessed, never a pass, when every account it read is not assessable (a token that cannot see MFA)', async () => {
    const SLACK = 'slack:acme';
    await synthetic.run('2026-02-05T02:00:00Z', [{ stream: 'slack/users', type: 'state', records: [accountRecord(SLACK, 'alice', { mfa: 'unknown' }), accountRecord(SLACK, 'bob', { mfa: 'unknown' })] }]);
    const outcome = await outcomeOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(outcome.result).toBe('not-assessed');
    expect(outcome.counts).toEqual({ pass: 0, exception: 0, 'not-assessable': 2, 'not-assessed': 1 });
    expect(outcome.findings.find((f) => f.status === 'not-assessed')!.reason).toBe('nothing judged in the period: all 2 item(s) from slack/users are not assessable (see each)');
    // Nor does the criterion count as covered for the other frameworks.
    expect(coveredCriteria([outcome]).size).toBe(0);
    // Once anything is judged (another system's account) the check stands on that; the unknown ones stay not assessable beside it.
    await synthetic.run('2026-02-06T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'dave')] }]);
    const later = await outcomeOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(later.counts).toEqual({ pass: 1, exception: 0, 'not-assessable': 2, 'not-assessed': 0 });
    expect(later.result).toBe('pass');
  });

  it('measures key age and disuse at each inventory', async () => {
    const key = (id: string, createdAt: string | null, lastUsedAt: string | null, status: 'active' | 'inactive' = 'active') => ({ id, type: 'access_key', status, createdAt, lastUsedAt });
    await synthetic.run('2026-02-15T02:00:00Z', [
      {
        stream: 'aws/iam_users',
        type: 'state',
        records: [
          accountRecord(AWS, 'fresh', { credentials: [key('access_key_1', '2026-01-10T00:00:00Z', '2026-02-14T00:00:00Z')] }),
          accountRecord(AWS, 'old', { credentials: [{ ...key('access_key_1', '2025-10-01T00:00:00Z', '2026-02-14T00:00:00Z'), lastFour: 'Q7XZ' }] }),
          accountRecord(AWS, 'idle', { credentials: [key('access_key_1', '2026-01-01T00:00:00Z', null), key('access_key_2', '2025-06-01T00:00:00Z', null, 'inactive')] }),
          accountRecord(AWS, 'mystery', { credentials: [key('access_key_1', null, null)] }),
        ],
      },
    ]);
    expect(verdicts(await findingsOf(accessKeys, synthetic.locker, PERIOD, { settings: { maxUnusedDays: 30 } }))).toEqual([
      [`fresh access_key_1 @ ${AWS}`, 'pass'],
      [`idle access_key_1 @ ${AWS}`, 'exception'],
      [`mystery access_key_1 @ ${AWS}`, 'not-assessable'],
      // The key's last four, when the system gives them, name it in the finding.
      [`old access_key_1 (…Q7XZ) @ ${AWS}`, 'exception'],
    ]);
  });
});

describe('cloudtrail-logging', () => {
  const trail = (name: string, settings: Record<string, unknown>) =>
    configRecord('change.config', AWS, `arn:aws:cloudtrail:eu-west-1:123456789012:trail/${name}`, 'trail', { name, isLogging: true, isMultiRegionTrail: true, logFileValidationEnabled: true, ...settings });

  it('needs a logging multi-region trail in every inventory of the period', async () => {
    const stream = 'aws/account_config';
    await synthetic.run('2026-02-01T02:00:00Z', [{ stream, type: 'state', records: [trail('main', {}), trail('regional', { isMultiRegionTrail: false })] }]);
    await synthetic.run('2026-02-12T02:00:00Z', [{ stream, type: 'state', records: [trail('main', { isLogging: false }), trail('regional', { isMultiRegionTrail: false })] }]);
    await synthetic.run('2026-02-13T02:00:00Z', [{ stream, type: 'state', records: [trail('main', {})] }]);
    const findings = await findingsOf(cloudtrailLogging, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([[`${AWS} @ ${AWS}`, 'exception']]);
    expect(findings[0]!.reason).toBe('no logging multi-region trail in 1 of 3 inventories, first at 2026-02-12T02:00:00.000Z');
    const before = await findingsOf(cloudtrailLogging, synthetic.locker, '2026-02-01..2026-02-11');
    expect(verdicts(before)).toEqual([[`${AWS} @ ${AWS}`, 'pass']]);
  });
});

describe('incident-handled', () => {
  it('needs severity, resolution and a post-mortem within their deadlines, judged when last collected', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'jira/incidents',
        type: 'event',
        records: [
          incidentRecord('jira:acme', 'INC-1'),
          incidentRecord('jira:acme', 'INC-2', { severity: null }),
          incidentRecord('jira:acme', 'INC-3', { resolvedAt: null, postMortem: null, openedAt: '2026-02-25T00:00:00Z' }),
          incidentRecord('jira:acme', 'INC-4', { resolvedAt: null, postMortem: null, openedAt: '2026-02-01T00:00:00Z' }),
          incidentRecord('jira:acme', 'INC-5', { postMortem: null, resolvedAt: '2026-02-02T00:00:00Z' }),
          incidentRecord('jira:acme', 'INC-6', { postMortem: null, severity: 'SEV4', resolvedAt: '2026-02-02T00:00:00Z' }),
          // Resolved, but 20 days after opening: late, though it is resolved now.
          incidentRecord('jira:acme', 'INC-7', { openedAt: '2026-02-02T00:00:00Z', resolvedAt: '2026-02-22T00:00:00Z' }),
        ],
      },
    ]);
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD, { settings: { resolveWithinDays: 14, postMortemSeverities: ['SEV1', 'SEV2'] } });
    expect(findings.find((f) => f.item.startsWith('INC-7 '))!.reason).toBe('resolved 20 days after opening, beyond 14 (as collected at 2026-03-01T02:00:00.000Z)');
    expect(findings.map((f) => [f.item.split(' ')[0], f.status]).sort()).toEqual([
      ['INC-1', 'pass'],
      ['INC-2', 'exception'],
      ['INC-3', 'not-assessable'],
      ['INC-4', 'exception'],
      ['INC-5', 'exception'],
      ['INC-6', 'pass'],
      ['INC-7', 'exception'],
    ]);
  });

  it('judges one incident told by a ticket and the Slack channel naming it once, on what either holds', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'jira/incidents',
        type: 'event',
        records: [incidentRecord('jira:acme', 'INC-7', { postMortem: null, resolvedAt: '2026-02-02T00:00:00Z' }), incidentRecord('jira:acme', 'INC-8', { postMortem: null, resolvedAt: '2026-02-02T00:00:00Z' })],
      },
      {
        stream: 'slack/incident_channels',
        type: 'event',
        records: [
          // The channel has the post-mortem link the ticket lacks; its severity and resolution are unknown.
          incidentRecord('slack:acme', 'C07', { linkedTickets: ['inc-7'], severity: null, resolvedAt: null, postMortem: 'https://wiki.example.invalid/pm-7' }),
          // A channel naming no ticket stays an incident of its own.
          incidentRecord('slack:acme', 'C09', { linkedTickets: [] }),
        ],
      },
    ]);
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item.split(' ').slice(0, 3).join(' '), f.status]).sort()).toEqual([
      ['C09 Incident C09', 'pass'],
      ['INC-7 + C07', 'pass'],
      ['INC-8 Incident INC-8', 'exception'],
    ]);
    const merged = findings.find((f) => f.item.startsWith('INC-7 + C07'))!;
    expect(merged.records).toHaveLength(2);
    expect(merged.system).toBeNull();
    expect(merged.reason).toBe('severity SEV2, resolved at 2026-02-02T00:00:00Z, post-mortem https://wiki.example.invalid/pm-7, judged on 2 sources of one incident');
  });
});
