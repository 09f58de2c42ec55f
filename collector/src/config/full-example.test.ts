/**
 * config/examples/full.yaml, the complete configuration example, loaded by
 * the real config loader (every connector's own schema, the checks'
 * settings, requests, witnesses) without credentials or network: it must
 * stay valid as the schemas change, name every section of the config and
 * every built-in connector, and hold its secrets only as references.
 */
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Secret } from '@evidentia/sdk';
import { configuredChecks } from '@evidentia/audit';
import { BUILT_IN_CONNECTOR_IDS } from '../built-in-connectors.js';
import { loadConfig, type LoadedConfig } from './load.js';
import { ConfigFile } from './schema.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/examples/full.yaml', import.meta.url));

/** Every Secret in a loaded value, with its path. */
function secretsIn(value: unknown, path: string): Array<[string, Secret]> {
  if (value instanceof Secret) return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => secretsIn(item, `${path}.${index}`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => secretsIn(item, `${path}.${key}`));
  return [];
}

const load = (): Promise<LoadedConfig> => loadConfig(EXAMPLE, {}, { credentials: false });

describe('config/examples/full.yaml', () => {
  it('names every section of the config file', async () => {
    const document = parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(document).sort()).toEqual(Object.keys(ConfigFile.shape).sort());
  });

  it('loads with the real loader: all five built-in connectors, with their streams and schedules', async () => {
    const config = await load();
    expect(config.instances.map((instance) => instance.id)).toEqual(['github', 'aws', 'jira', 'google-workspace', 'slack']);
    expect([...BUILT_IN_CONNECTOR_IDS].sort()).toEqual(config.instances.map((instance) => instance.id).sort());
    const github = config.instances[0]!;
    expect(github.requestBudget).toBe(20_000);
    expect(Object.fromEntries(github.streams.map((stream) => [stream.name, [stream.schedule, stream.maxStalenessHours, stream.controls]]))).toEqual({
      members: ['0 */6 * * *', 12, expect.any(Array)],
      branch_protection: ['0 * * * *', 36, expect.any(Array)],
      pull_requests: ['0 * * * *', 36, ['CC8.1']],
    });
    // Without a schedule of their own, state streams run daily at 02:00 and event streams hourly.
    expect(config.instances[1]!.streams.map((stream) => [stream.name, stream.schedule])).toEqual([
      ['iam_users', '0 2 * * *'],
      ['account_config', '0 2 * * *'],
      ['cloudtrail_events', '0 * * * *'],
    ]);
    expect(config).toMatchObject({ timezone: 'Europe/Berlin', frameworks: ['soc2', 'iso27001'], soc2: { categories: ['security', 'availability'] }, daemon: { health: { enabled: true, port: 9464 } } });
    expect(config.signing).toMatchObject({ type: 'file', dir: '/var/lib/evidentia-keys' });
  });

  it('holds every credential as a reference, never as a value', async () => {
    const config = await load();
    const secrets = secretsIn({ connectors: Object.fromEntries(config.instances.map((instance) => [instance.id, instance.config])), notifications: config.notifications }, '');
    expect(secrets.map(([path, secret]) => [path, secret.reference])).toEqual([
      ['.connectors.github.token', '${env:GITHUB_TOKEN}'],
      ['.connectors.aws.credentials.accessKeyId', '${env:AWS_ACCESS_KEY_ID}'],
      ['.connectors.aws.credentials.secretAccessKey', '${env:AWS_SECRET_ACCESS_KEY}'],
      ['.connectors.jira.apiToken', '${env:JIRA_API_TOKEN}'],
      ['.connectors.google-workspace.serviceAccount.key', '${file:/run/secrets/gws-service-account.json}'],
      ['.connectors.slack.token', '${env:SLACK_EVIDENCE_TOKEN}'],
      ['.notifications.slack.token', '${env:SLACK_BOT_TOKEN}'],
    ]);
    // Loaded with credentials, each reference is resolved from where it points (here: the environment named).
    const missing = await loadConfig(EXAMPLE, {}).catch((error: Error) => error.message);
    expect(missing).toContain('environment variable GITHUB_TOKEN (referenced as ${env:GITHUB_TOKEN}) is not set');
  });

  it('configures people, checks, notifications, witnesses, requests and access reviews as the commands read them', async () => {
    const config = await load();
    expect(config.people.aliases).toEqual({ 'ada@acme.example': ['ada-l', 'ada.lovelace@acme-old.example'] });
    const checks = new Map((await configuredChecks(config)).map((check) => [check.definition.id, check.settings as Record<string, unknown>]));
    expect(checks.get('change-ticket-linked')).toMatchObject({ projects: ['CHG'], exemptLabels: ['no-ticket'] });
    expect(checks.get('incident-handled')).toMatchObject({ postMortemSeverities: ['sev1', 'sev2'] });
    expect(checks.get('cloudtrail-logging')).toMatchObject({ requireLogFileValidation: true });
    expect(checks.get('access-review-performed')).toMatchObject({ systems: ['github:acme-corp', 'aws:acme-prod+acme-staging'], frequency: 'quarterly', revokeSlaDays: 14 });
    expect(config.notifications.slack?.channel).toBe('C0SECURITY');
    expect(config.witnesses?.map((witness) => witness.type)).toEqual(['file', 's3', 'git', 'slack']);
    const requests = new Map(config.requests?.map((request) => [request.id, request]));
    expect(requests.get('pen-test')).toMatchObject({ frequency: 'yearly', criteria: ['CC4.1', 'CC7.1'] });
    expect(requests.get('onboarding-training')).toMatchObject({ frequency: 'per-event', event: 'joiner', dueDays: 30 });
    expect(requests.get('risk-assessment')).toMatchObject({ owner: 'ciso@acme.example', graceDays: 30 });
    expect(requests.has('background-checks')).toBe(false);
    expect(config.exceptions?.approver).toBe('ciso@acme.example');
    expect(config.portal?.users.map((user) => [user.name, user.role])).toEqual([['auditor@cpa.example', 'auditor']]);
    expect(config.portal?.auditPeriods).toEqual(['2026-01-01..2026-12-31']);
    expect(config.portal?.trustProxy).toBe(false);
    expect(config.portal?.oidc?.roles.map((rule) => [rule.group ?? rule.email, rule.role])).toEqual([
      ['security-team', 'team'],
      ['lead-auditor@cpa.example', 'auditor'],
    ]);
    expect(config.portal?.oidc?.clientSecret?.reference).toBe('${env:EVIDENTIA_OIDC_CLIENT_SECRET}');
  });
});
