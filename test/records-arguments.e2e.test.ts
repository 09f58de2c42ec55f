/**
 * End to end: `records` refuses arguments that cannot select anything (exit 2
 * naming the argument) instead of crashing or answering "no records match",
 * which an auditor could take for an empty population.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { demoLocker, runCli } from './cli.js';

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
});
