/**
 * End to end: a `collect` that cannot finish, stopped by a signal or by
 * writes to the locker that fail (a file-size limit standing in for a full
 * disk). Either way it says what happened in one line and exits 1, never as
 * a bug; nothing of the run counts, `runs` lists it as interrupted, the
 * locker verifies, and the next collect completes. A locker.db the process
 * may not write, or not open, is refused before any work, naming it (exit 2). Tests run as
 * root, which ignores file modes, so that one runs without the capabilities
 * that allow it (setpriv), as read-only-locker.e2e.test.ts does.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayServer } from '@evidentia/testing';
import { runCli } from './cli.js';
import { collectUnderway, slowGithubLocker } from './slow-collect.js';
import { collectOk, initOk, witnessedConfig } from './witness/setup.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runStatuses(config: string): Promise<string[]> {
  return (JSON.parse((await runCli(['runs', '--config', config, '--json'])).stdout) as Array<{ status: string }>).map((run) => run.status);
}

/** A locker initialized for the example HR connector (a file, so a collect needs no server), its config and database. */
async function hrLocker(): Promise<{ file: string; database: string }> {
  const { unwitnessed: file, locker } = await witnessedConfig('');
  await initOk(file);
  return { file, database: join(locker, 'locker.db') };
}

/** The CLI as the files' owner meets their modes: root without its override when the tests run as root. */
const asOwner = (args: string[]) => runCli(args, { honourFileModes: process.getuid?.() === 0 });

describe('a collect that cannot finish', () => {
  it('stopped by SIGTERM says so, exits 1 and keeps nothing of the run', async () => {
    let file: string;
    ({ server, file } = await slowGithubLocker());
    const collect = await collectUnderway(server, file);
    collect.child.kill('SIGTERM');
    const result = await collect.done;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('evidentia: '))).toEqual([
      'evidentia: collection interrupted by SIGTERM: nothing of this run was kept (`evidentia runs` lists it as interrupted)',
    ]);
    expect(await runStatuses(file)).toEqual(['interrupted']);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  }, 90_000);

  it('whose writes to locker.db fail (a full disk) says so, exits 1, and the next collect completes', async () => {
    const { file, database } = await hrLocker();
    // locker.db holds its schema; the run's write-ahead log cannot grow past this, as on a full disk.
    const limit = statSync(database).size / 3;
    const result = await runCli(['collect', '--config', file, '--since', '2024-01-01'], { fileSizeLimit: Math.round(limit) });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/bug/);
    expect(result.stderr).toMatch(new RegExp(`^evidentia: cannot write ${database}: disk I/O error \\(a full disk, a file-size limit or a failing device\\); nothing of run \\S+ was kept \\(\`evidentia runs\` lists it as interrupted\\)$`, 'm'));
    expect(await runStatuses(file)).toEqual(['interrupted']);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);

    await collectOk(file);
    expect(await runStatuses(file)).toEqual(['interrupted', 'complete']);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  }, 90_000);

  it('refuses a locker.db it may not write before collecting anything, naming it', async () => {
    const { file, database } = await hrLocker();
    chmodSync(database, 0o444);
    const result = await asOwner(['collect', '--config', file, '--since', '2024-01-01']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').filter((line) => line.startsWith('evidentia: '))).toEqual([
      `evidentia: cannot write ${database}: attempt to write a readonly database: this process may not write the locker's database or the -wal and -shm files beside it (see their owner and mode); nothing was collected`,
    ]);
    chmodSync(database, 0o644);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  }, 90_000);

  it('names a locker.db it may not open, and why that may be, for collect and the reading commands', async () => {
    const { file, database } = await hrLocker();
    chmodSync(database, 0o000);
    for (const command of ['collect', 'verify', 'runs']) {
      const result = await asOwner([command, '--config', file]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`evidentia: cannot open ${database}: unable to open database file (this process may not read or write it, or the folder holding it: see their owner and mode)\n`);
    }
    chmodSync(database, 0o644);
  }, 90_000);
});
