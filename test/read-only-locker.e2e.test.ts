/**
 * End to end: the reading commands on a locker nobody may write (an
 * auditor's WORM copy, a read-only mount), a copy made read-only with chmod:
 * SQLite then cannot create its WAL index, and the locker must be read
 * immutable. Tests run as root, and root ignores file modes, so the commands
 * run without the capabilities that allow it (setpriv): as the copy's owner
 * they meet its modes. (Running them as another user instead failed when the
 * checkout sat under a directory only root may enter, such as one made by
 * mktemp -d.) Run as anyone else, the chmod alone is the read-only copy.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, cp, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { demoLocker, runCli } from './cli.js';

const asRoot = process.getuid?.() === 0;
let copy: string;

/** The CLI as a user who cannot write the copy: root without its file-mode override when the tests run as root. */
const runReader = (args: string[]) => runCli(args, { env: { HOME: '/tmp' }, honourFileModes: asRoot });

beforeAll(async () => {
  const { dir, locker } = await demoLocker('read-only');
  copy = join(dir, 'worm-copy');
  await cp(locker, copy, { recursive: true });
  // Readable by everyone (the public key too), writable by no one.
  await chmod(dir, 0o755);
  for (const entry of await readdir(copy, { recursive: true })) {
    const path = join(copy, entry);
    await chmod(path, (await stat(path)).isDirectory() ? 0o555 : 0o444);
  }
  // A locker from before key custody keeps its private key inside: readable by no one here, as reading needs none.
  if (existsSync(join(copy, 'keys', 'signing.key'))) await chmod(join(copy, 'keys', 'signing.key'), 0o000);
  await chmod(copy, 0o555);
}, 60_000);

describe('a locker that cannot be written', () => {
  it('verifies, lists runs and records, quietly and without writing a byte', async () => {
    const before = await readFile(join(copy, 'locker.db'));
    const verify = await runReader(['verify', '--locker', copy]);
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(verify.stdout).toContain('locker verified: no problems');
    const runs = await runReader(['runs', '--locker', copy, '--json']);
    expect(runs).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(runs.stdout)).toEqual([expect.objectContaining({ status: 'complete', trigger: 'demo' })]);
    const records = await runReader(['records', '--locker', copy, '--kind', 'access.account', '--json']);
    expect(records).toMatchObject({ code: 0, stderr: '' });
    expect(records.stdout.trim().split('\n').length).toBeGreaterThan(5);
    expect(await readdir(copy)).toEqual(['keys', 'locker.db', 'objects']);
    expect((await readFile(join(copy, 'locker.db'))).equals(before)).toBe(true);
  }, 60_000);
});
