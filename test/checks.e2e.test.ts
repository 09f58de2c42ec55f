/**
 * `evidentia check` as a user runs it, on the demo locker: exit codes, the
 * terminal table, --json, check settings, people aliases and a custom check
 * from the configuration.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSlackEndpoint } from '../collector/src/notify/slack-endpoint.test-support.js';
import { DEMO_PERIOD, demoLocker, REPO_ROOT, runCli } from './cli.js';

const PERIOD = ['--period', DEMO_PERIOD];
let locker: string;
let dir: string;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('checks'));
}, 60_000);

interface Results {
  checks: { id: string; counts: Record<string, number>; findings: { item: string; status: string; reason: string; records: string[] }[] }[];
}

describe('evidentia check', () => {
  it('judges the demo evidence, lists the exceptions and exits 1', async () => {
    const result = await runCli(['check', '--locker', locker, ...PERIOD]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/pull-request-approved\s+CC8\.1\s+3\s+3\s+0\s+0\s+EXCEPTIONS/);
    expect(result.stdout).toContain('EXCEPTIONS');
    expect(result.stdout).toContain('acme-corp/web#88');
    expect(result.stdout).toContain('was on revision e822c52fed2563373b59a8e53c451217742dd059, not the merged head 909f0776efcb73b847b8ae7dc8ab93ba39e6bd0a');
    expect(result.stdout).toContain('alice-dev <alice@example.com>');
  });

  it('prints every finding with the records it rests on as JSON', async () => {
    const result = await runCli(['check', '--locker', locker, ...PERIOD, '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Results;
    expect(json.checks).toHaveLength(15);
    const approvals = json.checks.find((check) => check.id === 'pull-request-approved')!;
    expect(approvals.counts).toEqual({ pass: 3, exception: 3, 'not-assessable': 0, 'not-assessed': 0 });
    expect(approvals.findings.every((finding) => finding.records.every((hash) => /^[0-9a-f]{64}$/.test(hash)))).toBe(true);
  });

  it('says NOT ASSESSED, never ok, for inventories nobody took during the period: loudly, and exit 1 only with --strict', async () => {
    const args = ['check', '--locker', locker, '--period', '2026-04-02..2026-07-01', '--check', 'branch-protection', 'mfa-enabled'];
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/branch-protection\s+CC8\.1\s+0\s+0\s+0\s+1\s+NOT ASSESSED/);
    expect(result.stdout).not.toMatch(/branch-protection.*\bok\b/);
    expect(result.stdout).toContain('no inventory from github/branch_protection inside the period or within its staleness of 36 h before it (none before it either)');
    expect(result.stdout).toContain('2 check(s) NOT ASSESSED in whole or part');
    expect(result.stderr).toContain('NOT ASSESSED: branch-protection (1), mfa-enabled (5)');
    const strict = await runCli([...args, '--strict']);
    expect(strict.code).toBe(1);
    const json = JSON.parse((await runCli([...args, '--json'])).stdout) as { checks: { id: string; result: string; counts: Record<string, number> }[] };
    expect(json.checks.map((check) => [check.id, check.result, check.counts['not-assessed']])).toEqual([
      ['branch-protection', 'not-assessed', 1],
      ['mfa-enabled', 'not-assessed', 5],
    ]);
  });

  it('--strict exits 0 when everything selected was assessed and passed', async () => {
    const result = await runCli(['check', '--locker', locker, ...PERIOD, '--check', 'cloudtrail-logging', '--strict']);
    expect(result.stdout).toMatch(/cloudtrail-logging\s+CC7\.2\s+1\s+0\s+0\s+0\s+ok/);
    expect(result.code).toBe(0);
  });

  it('names the coverage gaps of the streams a check judged, with the configuration: loudly, and exit 1 only with --strict', async () => {
    // The demo collected once, just now: its streams were not collected for most of the demo period.
    const config = ['--config', join(dir, 'evidentia.yaml')];
    const args = ['check', ...config, ...PERIOD, '--check', 'cloudtrail-logging'];
    const result = await runCli(args);
    expect(result.stdout).toMatch(/cloudtrail-logging\s+CC7\.2\s+1\s+0\s+0\s+0\s+ok/);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/note: aws\/account_config has 1 open coverage gap in the period \(2026-04-02T00:00Z\.\.\S+\): cloudtrail-logging judged only what was collected, not that time \(see coverage\) \(--strict makes this exit 1\)/);
    expect(result.stderr).not.toContain('github/branch_protection');
    expect((await runCli([...args, '--strict'])).code).toBe(1);
    // From the demo's collection on, the stream is covered: no note, and --strict passes.
    const runs = JSON.parse((await runCli(['runs', '--locker', locker, '--json'])).stdout) as { finishedAt: string }[];
    const covered = await runCli(['check', ...config, '--period', `${runs.at(-1)!.finishedAt}..${new Date().toISOString()}`, '--check', 'cloudtrail-logging', '--strict']);
    expect(covered.stderr).not.toContain('coverage gap');
    expect(covered.code).toBe(0);
  });

  it('takes settings, aliases and custom checks from the configuration', async () => {
    const config = join(dir, 'evidentia.yaml');
    const custom = join(REPO_ROOT, 'config/examples/checks/privileged-accounts.ts');
    await writeFile(
      config,
      [
        `locker: ${JSON.stringify(locker)}`,
        'connectors: {}',
        'checks:',
        `  custom: [${JSON.stringify(custom)}]`,
        '  privileged-accounts-approved:',
        '    approved: [carol-lead]',
        '  branch-protection:',
        '    minApprovals: 2',
        'people:',
        '  aliases:',
        '    bob@acme-corp.example: [bob-dev]',
        '',
      ].join('\n'),
    );
    const result = await runCli(['check', '--config', config, ...PERIOD, '--json']);
    const json = JSON.parse(result.stdout) as Results;
    const verdict = (id: string, item: string) => json.checks.find((c) => c.id === id)!.findings.find((f) => f.item.startsWith(item));
    expect(verdict('privileged-accounts-approved', 'erin-sec')!.status).toBe('exception');
    expect(verdict('privileged-accounts-approved', 'carol-lead')!.status).toBe('pass');
    expect(verdict('branch-protection', 'acme-corp/web@main')!.status).toBe('exception');
    // Bob left on 15 May; through the alias his GitHub account is found still active.
    const bob = json.checks.find((c) => c.id === 'leavers-deprovisioned')!.findings.find((f) => f.item === 'bob@acme-corp.example' && f.reason.includes('bob-dev'));
    expect(bob?.status).toBe('exception');
  });

  it('sends the exception notice to Slack with only the notifications token, and without it still judges and says the notice was not sent', async () => {
    const slack = await startSlackEndpoint();
    try {
      const config = join(dir, 'notify.yaml');
      // The demo's own config (its connectors' token references stay unresolved: check never needs them) plus Slack.
      const demo = await readFile(join(dir, 'evidentia.yaml'), 'utf8');
      await writeFile(config, `${demo}\nnotifications:\n  slack:\n    token: \${env:NOTIFY_TEST_SLACK_TOKEN}\n    channel: C0ALERTS01\n    apiUrl: ${slack.apiUrl}\n`);
      const sent = await runCli(['check', '--config', config, ...PERIOD], { env: { NOTIFY_TEST_SLACK_TOKEN: 'xoxb-0000000000-check-notice' } });
      expect(sent.code).toBe(1);
      expect(sent.stderr).not.toContain('not sent');
      const texts = slack.posts.map((post) => post.fields.text ?? '');
      expect(texts.some((text) => text.includes('pull-request-approved') && text.includes('acme-corp/web#88'))).toBe(true);

      const before = slack.posts.length;
      const unsent = await runCli(['check', '--config', config, ...PERIOD]);
      expect(unsent.code).toBe(1);
      expect(unsent.stdout).toMatch(/pull-request-approved\s+CC8\.1\s+3\s+3\s+0\s+0\s+EXCEPTIONS/);
      expect(unsent.stderr).toContain('the exception notice was not sent: secret ${env:NOTIFY_TEST_SLACK_TOKEN} was not resolved');
      expect(slack.posts.length).toBe(before);
    } finally {
      await slack.close();
    }
  });

  it('refuses a bad period or an unknown check with exit 2 before any work', async () => {
    expect((await runCli(['check', '--locker', locker, '--period', '2026-07-01..2026-04-01'])).code).toBe(2);
    const unknown = await runCli(['check', '--locker', locker, ...PERIOD, '--check', 'no-such-check']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--check no-such-check: no such check');
  });
});
