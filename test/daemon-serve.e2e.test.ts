/**
 * `evidentia daemon --serve`: the portal in the daemon's process, on the
 * daemon's locker (GitHub fixtures on a local replay server). Its /health is
 * the daemon's: a probe without a session gets the status (and the code); a
 * signed-in team member the same snapshot, in the same shape, as the
 * daemon's own health endpoint; the portal's pages read what the daemon
 * collected; SIGTERM stops both with exit 0.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, REPO_ROOT, runCli, spawnCli, TOKEN_ENV } from './cli.js';

const DAEMON_SETTINGS = `    schedule: "0 0 1 1 *"\n    streams:\n      pull_requests:\n        enabled: false\ndaemon:\n  health:\n    enabled: true\n    port: 0\n`;
const STATE_FIXTURES = ['members.json', 'branch-protection.json'].map((name) => join(FIXTURES, name));
const PASSWORD = 'daemon portal pass';

let server: ReplayServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

const hashOf = (password: string) =>
  execFileSync(process.execPath, [join(REPO_ROOT, 'collector/bin/evidentia.js'), 'serve', 'hash-password'], { input: `${password}\n`, env: { ...process.env, NODE_OPTIONS: '' } }).toString().trim();

async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}sign-in`);
  const csrf = form.headers.getSetCookie().find((line) => line.startsWith('evidentia_csrf='))!.split(';')[0]!.split('=')[1]!;
  const signed = await fetch(`${base}sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `evidentia_csrf=${csrf}` }, body: new URLSearchParams({ csrf, name: 'tess', password: PASSWORD }).toString() });
  expect(signed.status).toBe(303);
  return signed.headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!.split(';')[0]!;
}

describe('evidentia daemon --serve', () => {
  it('serves the portal in the daemon process, with the daemon\'s health on its /health', async () => {
    server = await startReplayServer(STATE_FIXTURES);
    const { file } = await githubConfig(server.baseUrl, DAEMON_SETTINGS);
    await appendFile(file, ['portal:', '  users:', '    - name: tess', '      role: team', `      passwordHash: "${hashOf(PASSWORD)}"`, ''].join('\n'));
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const { child, done } = spawnCli(['daemon', '--config', file, '--serve', '127.0.0.1:0'], { env: TOKEN_ENV });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const logged = async (message: string) => {
      for (const started = Date.now(); Date.now() - started < 30_000 && child.exitCode === null; await new Promise((resolve) => setTimeout(resolve, 50))) {
        const line = output.split('\n').filter((text) => text.startsWith('{')).map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === message);
        if (line) return line;
      }
      throw new Error(`daemon never logged "${message}"; output:\n${output}${(await done).stderr}`);
    };
    const daemon = await logged('daemon started');
    const base = String((await logged('portal started')).url);
    await logged('collection run finished');

    const probe = await fetch(`${base}health`);
    expect([probe.status, await probe.json()]).toEqual([200, { status: 'ok' }]);

    const session = await signIn(base);
    const portalHealth = (await (await fetch(`${base}health`, { headers: { cookie: session } })).json()) as Record<string, unknown>;
    const daemonHealth = (await (await fetch(`${String(daemon.health)}/health`)).json()) as Record<string, unknown>;
    expect(Object.keys(portalHealth).sort()).toEqual(Object.keys(daemonHealth).sort());
    expect(portalHealth.pid).toBe(child.pid);
    expect({ ...portalHealth, now: null }).toEqual({ ...daemonHealth, now: null });
    expect((portalHealth.streams as Array<{ stream: string; lastStatus: string }>).map((stream) => [stream.stream, stream.lastStatus])).toEqual([
      ['github/members', 'complete'],
      ['github/branch_protection', 'complete'],
    ]);

    const runs = await fetch(`${base}runs`, { headers: { cookie: session } });
    expect(runs.status).toBe(200);
    expect(await runs.text()).toContain('complete');

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(output).toContain('"msg":"daemon stopped"');
  }, 120_000);

  it('stops the daemon and releases the locker (exit 2, one line) when the portal cannot start', async () => {
    server = await startReplayServer(STATE_FIXTURES);
    const { file } = await githubConfig(server.baseUrl, DAEMON_SETTINGS);
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const refused = await runCli(['daemon', '--config', file, '--serve', '127.0.0.1:0'], { env: TOKEN_ENV });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/portal\.users is empty and portal\.oidc is not set/)]);
    expect(refused.stdout).toContain('"msg":"daemon stopped"');
    // The daemon lock went with it: the next daemon starts.
    const { child, done } = spawnCli(['daemon', '--config', file], { env: TOKEN_ENV });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (const started = Date.now(); !output.includes('"msg":"daemon started"') && Date.now() - started < 30_000 && child.exitCode === null; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output).toContain('"msg":"daemon started"');
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  }, 120_000);
});
