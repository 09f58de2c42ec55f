/**
 * Collect Acme: the five simulators on 127.0.0.1 (each driven by the real
 * SDK client of its connector), the config Acme would write, and the runs of
 * roster.ts RUN_DAYS through the real config loader and runner into one
 * locker, with the timeline's changes applied before each run. The first run
 * backfills events from BACKFILL_SINCE; the others collect from where the
 * previous one stopped. Lists are paged small so every list has several pages.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocker, openLocker, type Locker } from '@evidentia/locker';
import { loadConfig, type LoadedConfig } from '../../collector/src/config/load.js';
import { collect } from '../../collector/src/runner.js';
import { SimulatedAccount } from '../../connectors/aws/src/simulator.js';
import { SIMULATOR_TOKEN, startGitHubSimulator } from '../../connectors/github/src/simulator.js';
import { AdminSdkSimulator } from '../../connectors/google-workspace/src/simulator.js';
import { JiraSimulator } from '../../connectors/jira/src/simulator.js';
import { startSlackSimulator } from '../../connectors/slack/src/simulator.js';
import { SlackWorkspace } from '../../connectors/slack/src/simulator-workspace.js';
import './changes.js';
import { AWS_ACCOUNT, BACKFILL_SINCE, configuredAliases, DOMAIN, ORG, RUN_DAYS, SLACK_WORKSPACE } from './roster.js';
import { COMPANY_SETTINGS } from './expected-findings.js';
import { awsState, fillGoogle, IDENTITY_STORE, fillSlack, githubOrg, timelineChanges, type Simulators } from './systems.js';

const SLACK_TOKEN = 'xoxb-company-not-real';

export interface Company {
  locker: Locker;
  config: LoadedConfig;
  /** Each run's manifest status per stream, for the test to require complete runs. */
  runs: Array<{ day: string; streams: Array<{ stream: string; status: string; error: string | null }> }>;
  close(): Promise<void>;
}

function configYaml(locker: string, urls: { aws: string; github: string; google: string; jira: string; slack: string }): string {
  const aliases = Object.entries(configuredAliases()).map(([primary, others]) => `    ${JSON.stringify(primary)}: ${JSON.stringify(others)}`);
  const checks = Object.entries(COMPANY_SETTINGS).map(([id, settings]) => `  ${id}: ${JSON.stringify(settings)}`);
  return [
    `locker: ${JSON.stringify(locker)}`,
    'connectors:',
    '  aws:',
    '    config:',
    `      endpoint: ${urls.aws}`,
    '      regions: [us-east-1]',
    '      accounts:',
    `        - alias: ${AWS_ACCOUNT}`,
    `      identityCenter: { identityStoreId: ${IDENTITY_STORE}, region: us-east-1 }`,
    '      credentials:',
    '        accessKeyId: ${env:AWS_ACCESS_KEY_ID}',
    '        secretAccessKey: ${env:AWS_SECRET_ACCESS_KEY}',
    '  github:',
    '    config:',
    `      org: ${ORG}`,
    '      token: ${env:GITHUB_TOKEN}',
    `      baseUrl: ${urls.github}`,
    '  google-workspace:',
    '    config:',
    `      domain: ${DOMAIN}`,
    '      accessToken: ${env:GWS_TOKEN}',
    `      tokenOwner: admin@${DOMAIN}`,
    `      rootUrl: ${urls.google}`,
    "      serviceIdentities: { patterns: ['^svc-'] }",
    '  jira:',
    '    config:',
    '      host: https://acme.atlassian.net',
    `      baseUrl: ${urls.jira}`,
    '      email: evidence-bot@example.com',
    '      apiToken: ${env:JIRA_API_TOKEN}',
    '      streams:',
    '        changes: { jql: "project = CHG AND issuetype = Change", approverField: Approvers, developmentLinks: true }',
    '        incidents: { jql: "project = INC AND issuetype = Incident", severityField: Severity, postMortemField: Post-mortem }',
    '        personnel: { jql: "project = HR", personField: Employee email, effectiveDateField: Effective date }',
    '  slack:',
    '    config:',
    `      workspace: ${SLACK_WORKSPACE}`,
    '      token: ${env:SLACK_TOKEN}',
    `      slackApiUrl: ${urls.slack}`,
    'checks:',
    ...checks,
    'people:',
    '  aliases:',
    ...aliases,
    '',
  ].join('\n');
}

/** Start the simulators, collect every run day, and hand back the locker (open) for judging. */
export async function collectCompany(): Promise<Company> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-company-'));
  const lockerDir = join(dir, 'locker');
  const aws = await SimulatedAccount.start(awsState(), { iamPageSize: 8, eventPageSize: 3 });
  const github = await startGitHubSimulator(githubOrg());
  const google = new AdminSdkSimulator({ pageSize: 10 });
  fillGoogle(google);
  await google.start();
  const jira = new JiraSimulator({ searchPageSize: 4, embeddedHistories: 2, changelogPageSize: 2 });
  await jira.start();
  const workspace = new SlackWorkspace({ id: 'T0ACME0001', name: 'Acme', domain: SLACK_WORKSPACE }, { userId: 'U0EVIDBOT1', name: 'evidentia' });
  fillSlack(workspace);
  const slack = await startSlackSimulator({ workspace, token: SLACK_TOKEN, pageCaps: { 'users.list': 10, 'conversations.list': 2 } });
  const sims: Simulators = { aws: aws.state, github: github.org, google, jira: jira.site, slack: workspace };
  const close = async () => {
    await Promise.all([aws.close(), github.close(), google.close(), jira.close(), slack.close()]);
  };

  const configFile = join(dir, 'evidentia.yaml');
  await writeFile(configFile, configYaml(lockerDir, { aws: aws.baseUrl, github: github.baseUrl, google: google.baseUrl, jira: jira.baseUrl, slack: slack.url }));
  await initLocker(lockerDir);
  let now = new Date(`${RUN_DAYS[0]}T06:00:00Z`);
  const locker = await openLocker(lockerDir, { now: () => now });
  const env = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', GITHUB_TOKEN: SIMULATOR_TOKEN, GWS_TOKEN: 'company-token-not-real', JIRA_API_TOKEN: 'company-token-not-real', SLACK_TOKEN };
  const config = await loadConfig(configFile, env);
  const pending = [...timelineChanges].sort((a, b) => a.at - b.at);
  const runs: Company['runs'] = [];
  try {
    for (const [i, day] of RUN_DAYS.entries()) {
      now = new Date(`${day}T06:00:00Z`);
      while (pending.length > 0 && pending[0]!.at <= now.getTime()) pending.shift()!.apply(sims);
      aws.now = now;
      google.now = now;
      const { manifest } = await collect({ config, locker, trigger: 'schedule', now: () => now, sleep: async () => undefined, ...(i === 0 ? { since: new Date(BACKFILL_SINCE) } : {}) });
      runs.push({ day, streams: manifest.streams.map((s) => ({ stream: `${s.instance}/${s.stream}`, status: s.status, error: s.error })) });
    }
    const report = await locker.verify();
    if (!report.ok) throw new Error(`the locker does not verify: ${report.problems.map((p) => p.message).join('; ')}`);
  } catch (error) {
    await locker.close();
    await close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    locker,
    config,
    runs,
    close: async () => {
      await locker.close();
      await close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
