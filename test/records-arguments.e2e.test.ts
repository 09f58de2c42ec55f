/**
 * End to end: `records` refuses arguments that cannot select anything (exit 2
 * naming the argument) instead of crashing or answering "no records match",
 * which an auditor could take for an empty population, and says which
 * inventories it lists from an older run, or leaves out, and why.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { EvidenceRecord } from '@evidentia/evidence';
import { initLocker, KeyDirectory, openLocker } from '@evidentia/locker';
import { demoLocker, runCli, tempDir } from './cli.js';

let locker: string;

beforeAll(async () => {
  ({ locker } = await demoLocker('records-arguments'));
}, 180_000);

describe('records arguments', () => {
  it('refuses a --limit too large to be exact, and one that is not written as a whole number', async () => {
    const huge = await runCli(['records', '--locker', locker, '--limit', '99999999999999999999']);
    expect(huge).toMatchObject({ code: 2, stdout: '', stderr: 'evidentia: --limit expects a positive whole number up to 9007199254740991, got "99999999999999999999"\n' });
    const exponent = await runCli(['records', '--locker', locker, '--limit', '1e3']);
    expect(exponent).toMatchObject({ code: 2, stderr: 'evidentia: --limit expects a positive whole number up to 9007199254740991, got "1e3"\n' });
    const largest = await runCli(['records', '--locker', locker, '--limit', String(Number.MAX_SAFE_INTEGER), '--json']);
    expect(largest.code).toBe(0);
    expect(largest.stdout.trim().split('\n').length).toBeGreaterThan(10);
  }, 180_000);

  it('refuses a --stream the locker never held and a --kind that is no kind name, and lists a stream it holds', async () => {
    const typo = await runCli(['records', '--locker', locker, '--stream', 'github/member']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toMatch(/^evidentia: --stream github\/member: the locker holds no stream of that name; it holds aws\/account_config, .*github\/members, .*\n$/);
    const kind = await runCli(['records', '--locker', locker, '--kind', 'accounts']);
    expect(kind).toMatchObject({ code: 2, stdout: '' });
    expect(kind.stderr).toMatch(/^evidentia: --kind accounts is not a record kind: the built-in ones are access\.account, /);
    const held = await runCli(['records', '--locker', locker, '--stream', 'github/members', '--kind', 'access.account', '--json']);
    expect(held.code).toBe(0);
    const records = held.stdout.trim().split('\n').map((line) => JSON.parse(line) as { stream: string; kind: string });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((record) => record.stream === 'github/members' && record.kind === 'access.account')).toBe(true);
  }, 180_000);

  it('says which state streams are listed from an older complete run, or not at all, because their last run was not complete', async () => {
    // 1 March: members complete, admins partial; 2 March: members failed (admins not run).
    const locker = await stateLocker([
      { at: '2026-03-01T09:00:00.000Z', runs: [{ stream: 'members', status: 'complete', logins: ['alice', 'bob'] }, { stream: 'admins', status: 'partial', logins: ['carol'] }] },
      { at: '2026-03-02T09:00:00.000Z', runs: [{ stream: 'members', status: 'failed', logins: [] }] },
    ]);
    const result = await runCli(['records', '--locker', locker, '--json']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { key: string }).key)).toEqual(['alice', 'bob']);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'note: github/admins: its last run (2026-03-01T09:00:00.000Z) was partial and none before it was complete: none of its records are listed',
      'note: github/members: its last run (2026-03-02T09:00:00.000Z) was failed; its records listed are those of its last complete run, started 2026-03-01T09:00:00.000Z',
    ]);
    const before = await runCli(['records', '--locker', locker, '--stream', 'github/members', '--at', '2026-03-01', '--json']);
    expect(before).toMatchObject({ code: 0, stderr: '' });
  }, 180_000);

  it('--at a date lists what was collected that day, not a run started at the midnight after it', async () => {
    const locker = await stateLocker([
      { at: '2026-03-01T09:00:00.000Z', runs: [{ stream: 'members', status: 'complete', logins: ['alice', 'bob'] }] },
      { at: '2026-03-02T00:00:00.000Z', runs: [{ stream: 'members', status: 'complete', logins: ['carol'] }] },
    ]);
    const keys = async (at: string) => (await runCli(['records', '--locker', locker, '--at', at, '--json'])).stdout.trim().split('\n').map((line) => (JSON.parse(line) as { key: string }).key);
    expect(await keys('2026-03-01')).toEqual(['alice', 'bob']);
    expect(await keys('2026-03-01T23:59:59.999Z')).toEqual(['alice', 'bob']);
    // An instant is "as observed at this moment": a run started then is included, as before.
    expect(await keys('2026-03-02T00:00:00.000Z')).toEqual(['carol']);
    expect(await keys('2026-03-02')).toEqual(['carol']);
  }, 180_000);
});

/** A locker written directly: each day one run of the github state streams named, each with its status and logins; every time in a day is the day's `at`. */
async function stateLocker(days: Array<{ at: string; runs: Array<{ stream: string; status: 'complete' | 'partial' | 'failed'; logins: string[] }> }>): Promise<string> {
  const dir = await tempDir('records-state');
  const keys = new KeyDirectory(join(dir, 'keys'));
  const path = join(dir, 'locker');
  await initLocker(path, { custody: keys });
  let clock = new Date(days[0]!.at);
  const written = await openLocker(path, { custody: keys, now: () => clock });
  for (const day of days) {
    clock = new Date(day.at);
    const run = await written.beginRun({ trigger: 'manual', collectorVersion: '0.1.0', parameters: {} });
    for (const { stream, status, logins } of day.runs) {
      const writer = await run.beginStream({ instance: 'github', connector: 'github', connectorVersion: '1.0.0', stream, type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null });
      const body = await writer.putSnapshot(
        { method: 'GET', url: `https://api.github.com/${stream}`, requestBody: null, status: 200, headers: {}, collectedAt: day.at, connector: 'github', connectorVersion: '1.0.0', collectorVersion: '0.1.0', identity: 'bot' },
        logins,
      );
      for (const login of logins) await writer.putRecord(account(login, stream, body));
      await writer.finish({ status, error: status === 'complete' ? null : 'denied', requests: 1, apiTotal: null, cursorAfter: null });
    }
    await run.commit();
  }
  await written.close();
  return path;
}

function account(login: string, stream: string, body: string): EvidenceRecord {
  return {
    kind: 'access.account',
    key: login,
    system: 'github:acme',
    stream: `github/${stream}`,
    occurredAt: null,
    data: { accountId: login, displayName: login, email: null, accountType: 'member', status: 'active', privileged: false, roles: ['member'], mfa: 'enabled', createdAt: null, lastLoginAt: null, credentials: [], ssoIdentity: null },
    sources: [body],
    controls: ['CC6.1'],
  };
}
