/**
 * `evidentia demo`: the real collector against recorded fixtures served on
 * 127.0.0.1, so a newcomer sees collection, verification and the resulting
 * evidence without credentials or network. Everything except the transport is
 * the production path: config loading, runner, locker, verify.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { openLocker } from '@evidentia/locker';
import { startReplayServer } from '@evidentia/cassettes';
import { loadConfig } from '../config/load.js';
import { initLockerAt } from '../context.js';
import { collect } from '../runner.js';
import { createProgress } from '../output/progress.js';
import { renderTable } from '@evidentia/audit';
import { renderRunSummary, abortOnSignals } from './collect.js';
import { renderVerifyReport } from './verify.js';
import type { Wrap } from './wrap.js';

/** The connectors folder: each connector keeps its demo cassettes in its own fixtures/. */
const CONNECTORS_DIR = fileURLToPath(new URL('../../../connectors/', import.meta.url));
/** The custom connector example, collected in the demo to show custom connectors at work. */
const EXAMPLE_CONNECTOR = fileURLToPath(new URL('../../../config/examples/hr-export/connector.ts', import.meta.url));
const EXAMPLE_EXPORT = fileURLToPath(new URL('../../../config/examples/hr-export/people.json', import.meta.url));

/** The period the bundled fixtures were recorded for. */
export const DEMO_PERIOD = { since: new Date('2026-04-02T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') };
const DEMO_TOKEN_VARIABLE = 'EVIDENTIA_DEMO_TOKEN';

/**
 * What the demo collects: each source names its cassettes (relative to
 * connectors/) and its config entry, written against the one replay server that
 * serves them all.
 */
interface DemoSource {
  cassettes: string[];
  config(baseUrl: string): string[];
}

const token = `\${env:${DEMO_TOKEN_VARIABLE}}`;

const DEMO_SOURCES: DemoSource[] = [
  {
    cassettes: ['github/fixtures/members.json', 'github/fixtures/branch-protection.json', 'github/fixtures/pull-requests.json'],
    config: (baseUrl) => ['  github:', '    config:', '      org: acme-corp', `      token: ${token}`, `      baseUrl: ${JSON.stringify(baseUrl)}`],
  },
  {
    cassettes: ['aws/fixtures/demo.json'],
    config: (baseUrl) => [
      '  aws:',
      '    config:',
      '      regions: [us-east-1]',
      '      accounts:',
      '        - alias: acme-prod',
      `      endpoint: ${JSON.stringify(baseUrl)}`,
      '      credentials:',
      `        accessKeyId: ${token}`,
      `        secretAccessKey: ${token}`,
    ],
  },
  {
    cassettes: ['jira/fixtures/demo.json'],
    config: (baseUrl) => [
      '  jira:',
      '    config:',
      '      host: https://acme.atlassian.net',
      `      baseUrl: ${JSON.stringify(baseUrl)}`,
      '      email: evidence-bot@example.com',
      `      apiToken: ${token}`,
      '      streams:',
      '        changes: { jql: "project = CHG AND issuetype = Change", approverField: Approvers, emergencyField: Emergency change }',
      '        incidents: { jql: "project = INC AND issuetype = Incident", severityField: Severity, postMortemField: Post-mortem }',
      '        personnel: { personField: Employee email, personNameField: Employee name, effectiveDateField: Effective date }',
    ],
  },
  {
    cassettes: ['google-workspace/fixtures/demo.json'],
    config: (baseUrl) => [
      '  google-workspace:',
      '    config:',
      '      domain: example.com',
      `      accessToken: ${token}`,
      '      tokenOwner: erin@example.com',
      `      rootUrl: ${JSON.stringify(baseUrl)}`,
    ],
  },
  {
    cassettes: ['slack/fixtures/demo.json'],
    config: (baseUrl) => ['  slack:', '    config:', '      workspace: acme-example', `      token: ${token}`, `      slackApiUrl: ${JSON.stringify(baseUrl)}`],
  },
  {
    cassettes: [],
    config: () => ['  hr:', `    module: ${JSON.stringify(EXAMPLE_CONNECTOR)}`, '    config:', `      exportFile: ${JSON.stringify(EXAMPLE_EXPORT)}`],
  },
];

function demoConfig(lockerDir: string, baseUrl: string): string {
  return [
    '# Written by `evidentia demo`: the collector pointed at the bundled fixtures.',
    `locker: ${JSON.stringify(lockerDir)}`,
    'connectors:',
    ...DEMO_SOURCES.flatMap((source) => source.config(baseUrl)),
    '',
  ].join('\n');
}

export function registerDemo(program: Command, wrap: Wrap): void {
  program
    .command('demo')
    .description('collect from bundled fixtures on 127.0.0.1 into a locker, verify it and show the evidence')
    .option('--locker <dir>', 'keep the demo locker here for inspection (default: a temporary directory)')
    .action(
      wrap(async (flags: { locker?: string }) => {
        const lockerDir = flags.locker ? resolve(flags.locker) : join(await mkdtemp(join(tmpdir(), 'evidentia-demo-')), 'locker');
        const server = await startReplayServer(DEMO_SOURCES.flatMap((source) => source.cassettes.map((name) => join(CONNECTORS_DIR, name))));
        const interruption = abortOnSignals();
        try {
          const configFile = join(await mkdtemp(join(tmpdir(), 'evidentia-demo-config-')), 'evidentia.yaml');
          await writeFile(configFile, demoConfig(lockerDir, server.baseUrl));
          // The fixtures accept any token; this placeholder only exercises the ${env:…} reference path.
          const config = await loadConfig(configFile, { ...process.env, [DEMO_TOKEN_VARIABLE]: 'demo-placeholder' });
          const key = await initLockerAt(lockerDir);
          const locker = await openLocker(lockerDir);
          try {
            const progress = createProgress(process.stderr, process.stderr.isTTY ? 'bar' : 'lines');
            const result = await collect({
              config,
              locker,
              since: DEMO_PERIOD.since,
              until: DEMO_PERIOD.until,
              // Replayed as of the day the fixtures were recorded, so retention limits (Google keeps 180 days) fall where they did.
              now: () => DEMO_PERIOD.until,
              trigger: 'demo',
              signal: interruption.signal,
              onStreamStart: (p) => progress.start(p),
              onStreamEnd: (p) => progress.end(p),
            });
            progress.stop();
            const report = await locker.verify();
            const perKind = new Map<string, number>();
            const perControl = new Map<string, number>();
            for await (const record of locker.records({})) {
              perKind.set(record.kind, (perKind.get(record.kind) ?? 0) + 1);
              for (const control of record.controls) perControl.set(control, (perControl.get(control) ?? 0) + 1);
            }
            const out = process.stdout;
            out.write(`\nevidentia demo: fixtures served on ${server.baseUrl}\n\n`);
            out.write(renderRunSummary(result));
            out.write(`\nrecords per kind\n${renderTable(['kind', 'records'], [...perKind].sort())}`);
            out.write(`\nrecords per criterion\n${renderTable(['criterion', 'records'], [...perControl].sort())}`);
            out.write(`\n${renderVerifyReport(report)}`);
            out.write(`\nlocker: ${lockerDir} (signing key ${key.keyId.slice(0, 16)}…)\n`);
            // The inventories were observed today, so the audit period runs from the fixtures' start to today.
            const period = `${DEMO_PERIOD.since.toISOString().slice(0, 10)}..${new Date().toISOString().slice(0, 10)}`;
            out.write(
              [
                `try: pnpm evidentia records --locker ${lockerDir} --control CC8.1`,
                `     pnpm evidentia verify --locker ${lockerDir}`,
                `     pnpm evidentia check --locker ${lockerDir} --period ${period}`,
                `     pnpm evidentia report --locker ${lockerDir} --period ${period} --out report.html`,
                `     pnpm evidentia export bundle --locker ${lockerDir} --period ${period} --out bundle.zip`,
                '',
              ].join('\n'),
            );
            return result.manifest.status === 'complete' && report.ok ? 0 : 1;
          } finally {
            await locker.close();
          }
        } finally {
          interruption.dispose();
          await server.close();
        }
      }),
    );
}
