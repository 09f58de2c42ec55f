/**
 * `evidentia status` and `evidentia coverage` over the same days of the same
 * locker list the same open gaps (one computation, one window): a stream
 * collected only from a few days ago, another with a hole of several days
 * and a failed run in it, in a time zone that is not UTC. Runs are written
 * into a real locker at times relative to now, through the locker's writer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSyntheticLocker, type SyntheticLocker, type SyntheticStream } from '../packages/audit/src/checks/synthetic-locker.js';
import { accountRecord, configRecord } from '../packages/audit/src/checks/synthetic-records.js';
import type { Gap, Ledger } from '../packages/audit/src/coverage/types.js';
import { runCli, TOKEN_ENV } from './cli.js';

const DAY_MS = 86_400_000;
const GH = 'github:acme-corp';
let synthetic: SyntheticLocker;
let config: string;

/** 02:00 UTC `days` days before today. */
const daysAgo = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS + 2 * 3_600_000).toISOString();

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  for (let day = 20; day >= 1; day--) {
    // members: daily, except a hole from 12 to 8 days ago with one failed run inside it.
    if (day <= 12 && day > 8) {
      if (day === 10) await synthetic.run(daysAgo(day), [{ stream: 'github/members', type: 'state', records: [], status: 'failed' }]);
      continue;
    }
    const streams: SyntheticStream[] = [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'alice')] }];
    // branch protection: only collected from 3 days ago.
    if (day <= 3) streams.push({ stream: 'github/branch_protection', type: 'state', records: [configRecord('change.config', GH, 'acme-corp/api@main', 'branch_protection', {})] });
    await synthetic.run(daysAgo(day), streams);
  }
  config = join(synthetic.dir, '..', 'evidentia.yaml');
  await writeFile(
    config,
    [
      `locker: ${JSON.stringify(synthetic.dir)}`,
      'daemon:',
      '  timezone: America/New_York',
      'connectors:',
      '  github:',
      '    config:',
      '      org: acme-corp',
      '      token: ${env:GITHUB_TOKEN}',
      '      baseUrl: http://127.0.0.1:9',
      '    streams:',
      '      pull_requests:',
      '        enabled: false',
      '',
    ].join('\n'),
  );
  await synthetic.locker.close();
}, 60_000);
afterAll(async () => synthetic.cleanup());

/** What must agree: the stream, where the gap starts and why; an ongoing gap ends at each command's own "now". */
const comparable = (gaps: Gap[]) => gaps.map((gap) => ({ stream: gap.stream, since: gap.since, until: gap.ongoing ? 'now' : gap.until, key: gap.key, causes: gap.causes.map((cause) => [cause.kind, cause.detail]) }));

describe('status and coverage', () => {
  it.each([20, 7, 1])('list the same open gaps over the last %i day(s)', async (days) => {
    const status = await runCli(['status', '--config', config, '--days', String(days), '--json'], { env: TOKEN_ENV });
    const report = JSON.parse(status.stdout) as { gaps: Gap[]; gapWindow: { first: string; last: string } };
    const coverage = await runCli(['coverage', '--config', config, '--period', `${report.gapWindow.first}..${report.gapWindow.last}`, '--json', '--no-notify'], { env: TOKEN_ENV });
    const ledger = JSON.parse(coverage.stdout) as Ledger;
    const open = ledger.streams.flatMap((stream) => stream.gaps).filter((gap) => gap.status === 'open');
    expect(comparable(report.gaps)).toEqual(comparable(open));
    expect(status.code).toBe(coverage.code);
    if (days === 20) {
      // The scenario has what it claims: a hole with its failure, and the time before branch protection was first collected.
      const kinds = (stream: string) => report.gaps.filter((gap) => gap.stream === stream).flatMap((gap) => gap.causes.map((cause) => cause.kind));
      expect(kinds('github/members')).toContain('stream-failed');
      expect(kinds('github/branch_protection')).toContain('not-configured');
      expect(status.code).toBe(1);
    }
  }, 60_000);

  it('refuses --days beyond a hundred years in one line: more ran into the limit of dates ("a bug in evidentia") or counted schedules for hours', async () => {
    for (const days of ['1000000000', '36526']) {
      const refused = await runCli(['status', '--config', config, '--days', days], { env: TOKEN_ENV });
      expect([refused.code, refused.stderr.trim()]).toEqual([2, `evidentia: --days expects a whole number of days from 1 to 36525 (a hundred years), got "${days}"`]);
    }
  });
  it('both say, and exit 1, when a per-event request cannot be judged for want of a stream of personnel events', async () => {
    const unwatched = join(synthetic.dir, '..', 'requests.yaml');
    await writeFile(unwatched, [`locker: ${JSON.stringify(synthetic.dir)}`, 'connectors: {}', 'requests:', '  items:', '    background-checks: {}', ''].join('\n'));
    const status = await runCli(['status', '--config', unwatched, '--days', '2']);
    const coverage = await runCli(['coverage', '--config', unwatched, '--period', `${daysAgo(1).slice(0, 10)}..${daysAgo(0).slice(0, 10)}`, '--no-notify']);
    for (const result of [status, coverage]) {
      expect(result.stdout).toContain('\nrequest background-checks NOT JUDGED: no configured stream collects personnel.event records: ');
      expect(result.code).toBe(1);
    }
  }, 60_000);
});
