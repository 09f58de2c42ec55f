/**
 * `pnpm evidentia …` from a subfolder: pnpm runs the script from the workspace root, yet the paths the
 * user typed must mean the folder they typed them in (a locker made with `init --locker ./x` from a
 * subfolder once appeared at the workspace root).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TEST_KEYS_DIR } from './cli.js';

// Inside the workspace (pnpm finds the root script from any folder below it) but in no package.
const typedIn = mkdtempSync(join(REPO_ROOT, 'test', '.cwd-'));
afterAll(() => rmSync(typedIn, { recursive: true, force: true }));

describe('the launcher under pnpm', () => {
  it('resolves --locker against the folder the command was typed in', () => {
    const name = `locker-${process.pid}`;
    const run = spawnSync('pnpm', ['-s', 'evidentia', 'init', '--locker', `./${name}`], {
      cwd: typedIn,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', EVIDENTIA_KEYS_DIR: TEST_KEYS_DIR },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(existsSync(join(typedIn, name, 'locker.db'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, name))).toBe(false);
  });
});
