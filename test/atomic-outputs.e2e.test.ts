/**
 * End to end: an export killed in the middle of writing (SIGKILL, nothing
 * cleans up) leaves no truncated file under --out: the previous bundle is
 * still there, whole, and the half-written one sits under its temporary name.
 * One whose writes fail (the file grows past a limit, as on a full disk)
 * says so and leaves nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { watch } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_PERIOD, demoLocker, runCli, spawnCli } from './cli.js';

describe('atomic outputs', () => {
  it('a bundle export killed mid-write leaves the previous file under --out', async () => {
    const { dir, locker } = await demoLocker('atomic');
    const out = join(dir, 'bundle.zip');
    await writeFile(out, 'the previous bundle');
    let sawPartial = false;
    const { child, done } = spawnCli(['export', 'bundle', '--locker', locker, '--period', DEMO_PERIOD, '--out', out]);
    const watcher = watch(dir, (_event, name) => {
      if (!sawPartial && name?.endsWith('.partial')) {
        sawPartial = true;
        child.kill('SIGKILL');
      }
    });
    const result = await done;
    watcher.close();
    expect(sawPartial).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(await readFile(out, 'utf8')).toBe('the previous bundle');
    expect((await readdir(dir)).filter((name) => name.includes('bundle.zip'))).toEqual(expect.arrayContaining(['bundle.zip', expect.stringMatching(/^\.bundle\.zip\.\d+\.[0-9a-f]+\.partial$/)]));
  }, 60_000);

  it('a bundle export whose file cannot be written says so, naming it, and leaves nothing beside it', async () => {
    const { dir, locker } = await demoLocker('atomic-full');
    const out = join(dir, 'bundle.zip');
    // The demo's bundle is some 200 KB: its writes fail past 64 KB, with EFBIG, as they would with ENOSPC on a full disk.
    const result = await runCli(['export', 'bundle', '--locker', locker, '--period', DEMO_PERIOD, '--out', out], { fileSizeLimit: 65_536 });
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: `evidentia: cannot write ${out}: file too large, write\n` });
    expect((await readdir(dir)).filter((name) => name.includes('bundle.zip'))).toEqual([]);
  }, 60_000);
});
