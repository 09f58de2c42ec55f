/**
 * Identities judged end to end: the real runner, config loader and official
 * clients (AWS SDK, @googleapis/admin) collect from the simulated AWS account
 * and Google Workspace on 127.0.0.1 for three days, then the built-in checks
 * judge the locker. An IAM user with access keys and no console password is a
 * service identity, not an MFA exception; a Google suspension undone 17
 * minutes later is listed, not a leaver in either system; IAM users are
 * matched to people by an email-like name and by an owner tag, and the one
 * that matches nobody is listed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locker } from '@evidentia/locker';
import { SimulatedAccount, TYPICAL_GROUPS, TYPICAL_POLICIES, type SimUser } from '../connectors/aws/src/simulator.js';
import { AdminSdkSimulator } from '../connectors/google-workspace/src/simulator.js';
import { builtInChecks, PeopleDirectory, runChecks, type Finding } from '../packages/audit/src/index.js';
import { parsePeriod } from '@evidentia/time';
import { soak } from './soak/harness.js';

const START = new Date('2026-03-02T06:00:00Z');
const CREATED = '2025-01-10T09:00:00.000Z';
const signIn = { changedAt: CREATED, lastUsedAt: '2026-03-01T08:00:00.000Z' };
const key = { active: true, rotatedAt: '2026-02-01T09:00:00.000Z', lastUsedAt: '2026-03-01T10:00:00.000Z' };
const user = (name: string, facts: Partial<SimUser>): SimUser => ({ name, createdAt: CREATED, groups: [], managed: ['ReadOnlyAccess'], inline: [], mfa: true, password: signIn, accessKey: null, ...facts });

const aws = await SimulatedAccount.start(
  {
    accountId: '123456789012',
    users: [
      user('deploy-pipeline', { mfa: false, password: null, accessKey: key }),
      user('dana@example.com', {}),
      user('erin.admin', { mfa: false, tags: { Owner: 'erin@example.com' } }),
      user('mystery', {}),
    ],
    groups: structuredClone(TYPICAL_GROUPS),
    policies: structuredClone(TYPICAL_POLICIES),
    passwordPolicy: { minimumLength: 14 },
    trails: [],
    events: [],
  },
  { iamPageSize: 100, eventPageSize: 100 },
);
const google = new AdminSdkSimulator({ pageSize: 100 });
const dana = google.directory.addUser(new Date(CREATED), { local: 'dana' });
google.directory.addUser(new Date(CREATED), { local: 'erin' });

/** Every finding of the checks over March, by check id. */
async function judge(locker: Locker): Promise<Map<string, Finding[]>> {
  const checks = builtInChecks.filter((check) => ['mfa-enabled', 'leavers-deprovisioned', 'accounts-have-owner'].includes(check.id));
  const run = await runChecks({
    locker,
    period: parsePeriod('2026-03-01..2026-03-31'),
    checks: checks.map((definition) => ({ definition, settings: definition.settings.parse({}) })),
    people: new PeopleDirectory(),
    keep: 10_000,
  });
  for (const outcome of run.checks) if (outcome.error) throw new Error(`${outcome.id}: ${outcome.error}`);
  return new Map(run.checks.map((outcome) => [outcome.id, outcome.findings]));
}

const statuses = (findings: Finding[]) => findings.map((f) => [`${f.item} @ ${f.system}`, f.status]).sort((a, b) => a[0]!.localeCompare(b[0]!));

describe('identities judged over collected evidence', () => {
  beforeAll(async () => google.start());
  afterAll(async () => Promise.all([aws.close(), google.close()]));

  it('does not judge the service user for MFA, lists the 17-minute suspension, and matches IAM users by name and tag', async () => {
    let findings = new Map<string, Finding[]>();
    await soak({
      connectorsYaml: [
        '  aws:',
        '    config:',
        `      endpoint: ${aws.baseUrl}`,
        '      regions: [us-east-1]',
        '      accounts:',
        '        - alias: acme-prod',
        '      credentials:',
        '        accessKeyId: ${env:AWS_ACCESS_KEY_ID}',
        '        secretAccessKey: ${env:AWS_SECRET_ACCESS_KEY}',
        '  google-workspace:',
        '    config:',
        '      domain: example.com',
        '      accessToken: ${env:GWS_TOKEN}',
        '      tokenOwner: admin@example.com',
        `      rootUrl: ${google.baseUrl}`,
        '',
      ].join('\n'),
      env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', GWS_TOKEN: 'identities-token-not-real' },
      runs: 3,
      start: START,
      beforeRun(run, now) {
        aws.now = now;
        google.now = now;
        if (run !== 2) return;
        // Suspended by mistake the morning after the first run, and reinstated 17 minutes later.
        const at = new Date(START.getTime() + 3 * 3_600_000);
        google.directory.suspend(dana.id as string, at);
        google.directory.unsuspend(dana.id as string, new Date(at.getTime() + 17 * 60_000));
      },
      async afterRun({ run, locker }) {
        if (run === 3) findings = await judge(locker);
      },
    });
    const AWS = 'aws:acme-prod';
    const GW = 'google-workspace:example.com';
    expect(statuses(findings.get('mfa-enabled')!.filter((f) => f.system === AWS))).toEqual([
      [`dana@example.com <dana@example.com> @ ${AWS}`, 'pass'],
      [`deploy-pipeline @ ${AWS}`, 'not-assessable'],
      [`erin.admin <erin@example.com> @ ${AWS}`, 'exception'],
      [`mystery @ ${AWS}`, 'pass'],
      [`root @ ${AWS}`, 'pass'],
    ]);
    expect(findings.get('mfa-enabled')!.find((f) => f.item === 'deploy-pipeline')!.reason).toBe('service account (access keys and no console password): MFA does not apply (setting exemptAccountTypes)');
    const leavers = findings.get('leavers-deprovisioned')!;
    expect(leavers.filter((f) => f.status === 'exception')).toEqual([]);
    expect(statuses(leavers)).toEqual([
      [`(no leaver) @ ${AWS}`, 'not-assessed'],
      [`(no leaver) @ ${GW}`, 'not-assessed'],
      [`dana@example.com @ ${GW}`, 'not-assessable'],
    ]);
    expect(leavers.find((f) => f.item === 'dana@example.com')!.reason).toMatch(/SUSPEND_USER at 2026-03-02T09:00:00.000Z was undone 17 minutes later at 2026-03-02T09:17:00.000Z by .*, within the 24 h grace: not a leaver$/);
    expect(statuses(findings.get('accounts-have-owner')!.filter((f) => f.system === AWS))).toEqual([
      [`dana@example.com <dana@example.com> @ ${AWS}`, 'pass'],
      [`deploy-pipeline @ ${AWS}`, 'not-assessable'],
      [`erin.admin <erin@example.com> @ ${AWS}`, 'pass'],
      [`mystery @ ${AWS}`, 'exception'],
      [`root @ ${AWS}`, 'not-assessable'],
    ]);
  });
});
