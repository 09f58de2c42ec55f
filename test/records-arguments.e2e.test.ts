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
});
