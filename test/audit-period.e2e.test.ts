/**
 * One audit time through the CLI: every command reads `--period` (and
 * collect its `--since/--until`) by the same grammar in the configured zone.
 * On the demo locker, a period ending in 2099 or 9999 judges exactly what a
 * period ending today judges; a backfill up to a date leaves no gap on that
 * date when the same dates are checked; date-time periods work everywhere.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type CassetteInput } from '@evidentia/testing';
import type { Ledger } from '../packages/audit/src/coverage/types.js';
import { DEMO_PERIOD, demoLocker, FIXTURES, githubConfig, runCli, TOKEN_ENV } from './cli.js';

const FAR = ['2026-04-02..2099-12-31', '2026-04-02..9999-12-31'];
let demo: { dir: string; locker: string };

beforeAll(async () => {
  demo = await demoLocker('period');
}, 120_000);

interface CheckResults {
  period: { since: string; until: string; requested?: string };
  checks: { id: string; counts: Record<string, number>; findings: unknown[] }[];
}

describe('a period ending after now is a period ending now', () => {
  it('check: the same findings and exit code as a period ending today, with the requested end kept', async () => {
    const today = await runCli(['check', '--locker', demo.locker, '--period', DEMO_PERIOD, '--json']);
    const expected = JSON.parse(today.stdout) as CheckResults;
    expect(expected.checks.find((check) => check.id === 'pull-request-approved')?.counts).toEqual({ pass: 3, exception: 3, 'not-assessable': 0, 'not-assessed': 0 });
    for (const period of FAR) {
      const result = await runCli(['check', '--locker', demo.locker, '--period', period, '--json']);
      expect(result.code).toBe(today.code);
      const json = JSON.parse(result.stdout) as CheckResults;
      expect(json.checks).toEqual(expected.checks);
      expect(json.period).toEqual({ since: '2026-04-02T00:00:00.000Z', until: expect.any(String), requested: period });
      expect(result.stderr).toContain(`note: --period ${period} ends after now; evidence is judged up to ${json.period.until}`);
    }
  }, 120_000);

  it('export population: the same items as a period ending today', async () => {
    const items = async (period: string) => {
      const out = join(demo.dir, `population-${period.replaceAll('.', '_')}.jsonl`);
      const result = await runCli(['export', 'population', '--locker', demo.locker, '--kind', 'change.request', '--period', period, '--out', out]);
      expect(result.code).toBe(0);
      return (await readFile(out, 'utf8')).trim().split('\n').slice(1);
    };
    const expected = await items(DEMO_PERIOD);
    expect(expected.length).toBeGreaterThan(5);
    for (const period of FAR) expect(await items(period)).toEqual(expected);
  }, 120_000);

  it('sample: the same picks from the same records as a period ending today', async () => {
    const draw = async (period: string) => {
      const result = await runCli(['sample', '--locker', demo.locker, '--kind', 'change.request', '--period', period, '--size', '3', '--seed', 'audit-2026', '--json']);
      expect(result.code).toBe(0);
      const sample = JSON.parse(result.stdout) as { population: { recordDigest: string; items: number }; picks: unknown[] };
      return { digest: sample.population.recordDigest, items: sample.population.items, picks: sample.picks };
    };
    const expected = await draw(DEMO_PERIOD);
    expect(expected.picks).toHaveLength(3);
    for (const period of FAR) expect(await draw(period)).toEqual(expected);
  }, 120_000);

  it('refuses a period that starts after now, with exit 2 and the reason', async () => {
    for (const args of [['check'], ['export', 'population', '--kind', 'change.request', '--out', join(demo.dir, 'never.csv')], ['sample', '--kind', 'change.request', '--size', '1']]) {
      const result = await runCli([...args, '--locker', demo.locker, '--period', '2999-01-01..2999-12-31']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--period 2999-01-01..2999-12-31: the start 2999-01-01T00:00:00.000Z is not before now');
    }
  }, 120_000);
});

/** The pull request cassette, with its search range rewritten to the instants a zone's dates stand for. */
async function pullRequestsCassette(range: string): Promise<CassetteInput> {
  const text = await readFile(join(FIXTURES, 'pull-requests.json'), 'utf8');
  return JSON.parse(text.replaceAll('merged:2026-04-02T00:00:00Z..2026-06-30T23:59:59Z', `merged:${range}`)) as CassetteInput;
}

const ONLY_PULL_REQUESTS = '    streams:\n      members:\n        enabled: false\n      branch_protection:\n        enabled: false\n';

/** A locker backfilled as the README says, in `timezone`; the replay server answers only the search for exactly `range`. */
async function backfilled(timezone: string, range: string) {
  const server = await startReplayServer([await pullRequestsCassette(range)]);
  try {
    const setup = await githubConfig(server.baseUrl, `${ONLY_PULL_REQUESTS}timezone: ${timezone}\n`);
    expect((await runCli(['init', '--config', setup.file])).code).toBe(0);
    const collected = await runCli(['collect', '--config', setup.file, '--since', '2026-04-02', '--until', '2026-06-30', '--json'], { env: TOKEN_ENV });
    expect(collected.stderr).toBe('');
    expect(collected.code).toBe(0);
    server.assertDone();
    const manifest = JSON.parse(collected.stdout) as { streams: { stream: string; rangeSince: string; rangeUntil: string }[] };
    return { ...setup, stream: manifest.streams[0]! };
  } finally {
    await server.close();
  }
}

async function coverage(file: string, period: string) {
  const result = await runCli(['coverage', '--config', file, '--period', period, '--json', '--no-notify'], { env: TOKEN_ENV });
  return { code: result.code, stderr: result.stderr, ledger: result.stdout ? (JSON.parse(result.stdout) as Ledger) : null };
}

describe('collect --since X --until Y, then the period X..Y', () => {
  let utc: Awaited<ReturnType<typeof backfilled>>;
  beforeAll(async () => {
    utc = await backfilled('UTC', '2026-04-02T00:00:00Z..2026-06-30T23:59:59Z');
  }, 120_000);

  it('collects through the last day, so coverage and check of X..Y cover day Y', async () => {
    expect([utc.stream.rangeSince, utc.stream.rangeUntil]).toEqual(['2026-04-02T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    const dates = await coverage(utc.file, '2026-04-02..2026-06-30');
    expect(dates.code).toBe(0);
    expect(dates.ledger!.streams.map((s) => [s.stream, s.gaps])).toEqual([['github/pull_requests', []]]);
    const check = JSON.parse((await runCli(['check', '--config', utc.file, '--period', '2026-04-02..2026-06-30', '--check', 'pull-request-approved', '--json'])).stdout) as CheckResults;
    expect(check.period).toEqual({ since: '2026-04-02T00:00:00.000Z', until: '2026-07-01T00:00:00.000Z' });
    expect(check.checks[0]!.findings).toHaveLength(6);
  }, 120_000);

  it('coverage reads date-times (it used to refuse them) and a far-future end like check does', async () => {
    const dates = await coverage(utc.file, '2026-04-02..2026-06-30');
    const instants = await coverage(utc.file, '2026-04-02T00:00:00Z..2026-07-01T00:00:00Z');
    expect(instants.code).toBe(0);
    expect(instants.ledger!.period).toEqual(dates.ledger!.period);
    expect(instants.ledger!.streams).toEqual(dates.ledger!.streams);
    const far = await coverage(utc.file, '2026-04-02..9999-12-31');
    expect(far.ledger!.period.since).toBe('2026-04-02T00:00:00.000Z');
    expect(Date.parse(far.ledger!.period.until)).toBeLessThanOrEqual(Date.now());
    expect(far.stderr).toContain('note: --period 2026-04-02..9999-12-31 ends after now');
    const bad = await coverage(utc.file, '2026-04-02..2026-06-31');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period: "2026-06-31" is not a date such as 2026-06-30');
  }, 120_000);

  it('reads the dates in the configured time zone, for collect and coverage alike', async () => {
    const berlin = await backfilled('Europe/Berlin', '2026-04-01T22:00:00Z..2026-06-30T21:59:59Z');
    expect([berlin.stream.rangeSince, berlin.stream.rangeUntil]).toEqual(['2026-04-01T22:00:00.000Z', '2026-06-30T22:00:00.000Z']);
    const { code, ledger } = await coverage(berlin.file, '2026-04-02..2026-06-30');
    expect(code).toBe(0);
    expect(ledger!.period).toEqual({ since: '2026-04-01T22:00:00.000Z', until: '2026-06-30T22:00:00.000Z' });
    expect(ledger!.streams.map((s) => [s.stream, s.gaps])).toEqual([['github/pull_requests', []]]);
  }, 120_000);
});
