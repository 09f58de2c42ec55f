/**
 * The demo leaves a locker a newcomer can keep working on: its config is
 * written beside the locker (and nowhere else), and every command it suggests
 * runs as printed from where the demo ran, finding the config by itself when
 * it is the folder's evidentia.yaml. A config of the user's in that place is
 * never overwritten, and a locker holding the user's own collections never
 * gets the fixtures' evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { portalUrl, REPO_ROOT, runCli, spawnCli, tempDir, type CliResult } from './cli.js';
import { collectOk, initOk, witnessedConfig } from './witness/setup.js';

let dir: string;
let demo: CliResult;

beforeAll(async () => {
  dir = await tempDir('demo');
  demo = await runCli(['demo', '--locker', 'locker'], { cwd: dir, env: { npm_lifecycle_event: '' } });
}, 300_000);

afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('evidentia demo --locker DIR', () => {
  it('writes its config beside the locker, naming it, and says where', async () => {
    expect(demo.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['evidentia.yaml', 'locker']);
    const config = await readFile(join(dir, 'evidentia.yaml'), 'utf8');
    expect(config).toMatch(/^# Written by `evidentia demo`/);
    expect(config).toContain(`locker: ${join(dir, 'locker')}\n`);
    expect(demo.stdout).toContain(`config: ${join(dir, 'evidentia.yaml')} (names the locker`);
  });

  it('suggests commands as evidentia was started, each of which runs there on the demo locker', async () => {
    const launcher = `node ${join(REPO_ROOT, 'collector/bin/evidentia.js')} `;
    const suggested = demo.stdout.split('\n').filter((line) => /^(try: | {5})\S/.test(line)).map((line) => line.slice(5));
    expect(suggested.map((line) => line.split(' --')[0])).toEqual(
      ['records', 'verify', 'status', 'coverage', 'check', 'report', 'export bundle'].map((command) => `${launcher}${command}`),
    );
    for (const line of suggested) {
      expect(line.startsWith(launcher)).toBe(true);
      expect(line).not.toContain('--config');
      const result = await runCli(line.slice(launcher.length).split(' '), { cwd: dir });
      // 1 is a finding (an open gap, an exception); 2 would be a command that cannot run here.
      // The only things a hint may say on stderr are what stays unjudged (the demo configures no access reviews) and that the demo's one collection leaves the rest of the period uncovered.
      const uncovered = /^evidentia: note: \d+ streams the checks judged have open coverage gaps in the period \(.+\): \d+ check\(s\) judged only what was collected, not that time \(see coverage\)/;
      const stderr = result.stderr.split('\n').filter((text) => text !== '' && !text.startsWith('evidentia: NOT ASSESSED: access-review-performed') && !uncovered.test(text));
      expect([line, result.code, stderr]).toEqual([line, expect.any(Number), []]);
      expect(result.code).toBeLessThan(2);
    }
    expect(existsSync(join(dir, 'report.html')) && existsSync(join(dir, 'bundle.zip'))).toBe(true);
  }, 300_000);

  it('says how to open the portal: its commented user example is refused until a hash from serve hash-password replaces the placeholder', async () => {
    const launcher = `node ${join(REPO_ROOT, 'collector/bin/evidentia.js')} `;
    const hint = demo.stdout.split('\n').filter((line) => /^(portal: | {8})\S/.test(line));
    expect(hint).toHaveLength(3);
    expect(hint[0]).toBe(`portal: read -rs PW; printf %s "$PW" | ${launcher}serve hash-password`);
    expect(hint[1]).toContain(`portal: example at the end of ${join(dir, 'evidentia.yaml')}`);
    expect(hint[2]!.startsWith(`        ${launcher}serve   (then open http://127.0.0.1:8080/`)).toBe(true);
    const configFile = join(dir, 'evidentia.yaml');
    const written = await readFile(configFile, 'utf8');
    // As written, and uncommented with its placeholder, the portal refuses to start: no password works.
    const uncommented = written.replace(/^# (portal:| {2}.*)$/gm, '$1');
    expect(uncommented).not.toBe(written);
    const refusals: string[] = [];
    for (const text of [written, uncommented]) {
      await writeFile(configFile, text);
      const refused = await runCli(['serve', '--listen', '127.0.0.1:0'], { cwd: dir });
      expect(refused.code).toBe(2);
      refusals.push(refused.stderr);
    }
    expect(refusals[0]).toContain('portal.users is empty');
    expect(refusals[1]).toContain('expected a hash printed by `evidentia serve hash-password`');
    const hash = execFileSync(process.execPath, [join(REPO_ROOT, 'collector/bin/evidentia.js'), 'serve', 'hash-password'], { input: 'demo pass phrase\n', env: { ...process.env, NODE_OPTIONS: '' } }).toString().trim();
    await writeFile(configFile, uncommented.replace('REPLACE WITH THE HASH FROM serve hash-password', hash));
    const server = spawnCli(['serve', '--listen', '127.0.0.1:0'], { cwd: dir });
    try {
      const base = await portalUrl(server);
      expect((await fetch(`${base}health`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
      await writeFile(configFile, written);
    }
  }, 120_000);

  it('refuses to run where a config of the user\'s would be overwritten, before creating anything', async () => {
    const other = await tempDir('demo-refused');
    try {
      await writeFile(join(other, 'evidentia.yaml'), 'locker: ./mine\n');
      const refused = await runCli(['demo', '--locker', join(other, 'locker')], { cwd: REPO_ROOT });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(`evidentia: --locker ${join(other, 'locker')}: the demo writes its configuration beside the locker, but ${join(other, 'evidentia.yaml')} exists and is not the demo's; choose a locker in another folder\n`);
      expect(await readdir(other)).toEqual(['evidentia.yaml']);
      expect(await readFile(join(other, 'evidentia.yaml'), 'utf8')).toBe('locker: ./mine\n');
      // Where the locker cannot be made (a file in its place), no config is written beside it either.
      await rm(join(other, 'evidentia.yaml'));
      await writeFile(join(other, 'locker'), 'a file\n');
      expect((await runCli(['demo', '--locker', join(other, 'locker')], { cwd: REPO_ROOT })).code).toBe(2);
      expect(await readdir(other)).toEqual(['locker']);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a locker holding collections of the user\'s, which would keep the fixtures\' evidence for good', async () => {
    const { unwitnessed: file, locker: collected } = await witnessedConfig('');
    await initOk(file);
    await collectOk(file);
    // The user's config is elsewhere (none beside the locker to stop the demo).
    const locker = join(await tempDir('demo-own-locker'), 'locker');
    await rename(collected, locker);
    const runs = async () => (await runCli(['runs', '--locker', locker, '--json'])).stdout;
    const before = await runs();
    const refused = await runCli(['demo', '--locker', locker], { cwd: REPO_ROOT });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `evidentia: --locker ${locker}: this locker holds 1 collection run(s) of its own (not the demo's); the demo would add the bundled fixtures' evidence to it for good: choose a new folder for the demo\n`,
    );
    expect(await runs()).toBe(before);
    // Refused before anything is written: no demo config is left beside the user's locker.
    expect(await readdir(dirname(locker))).toEqual(['locker']);
  }, 60_000);
});
