/**
 * The portal's audit log end to end: while a (slow) `collect` holds the
 * locker, the portal keeps answering and its events wait for the writer
 * lock; the run completes, the events are then stored, `evidentia
 * portal-log` lists them (a failed sign-in named only when the name is a
 * user's, sign-in, page views, a download, sign-out, the signed-out cookie
 * tried again), and `evidentia verify` checks
 * their chain with the run's: neither corrupted the other.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { appendFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReplayServer } from '@evidentia/testing';
import { portalUrl, runCli, spawnCli } from './cli.js';
import { hashOf, PASSWORD } from './portal-demo.js';
import { collectUnderway, slowGithubLocker } from './slow-collect.js';

let replay: ReplayServer | undefined;
let server: ReturnType<typeof spawnCli> | undefined;
let dir: string | undefined;

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.done;
  await replay?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface LoggedEvent {
  sequence: number;
  action: string;
  user: string;
  role: string | null;
  target: string;
  outcome: string;
}

describe("the portal's audit log", () => {
  it('waits for a running collect, then is stored, listed and verified with the run', async () => {
    const slow = await slowGithubLocker();
    replay = slow.server;
    const { file } = slow;
    dir = dirname(file);
    await appendFile(file, ['portal:', '  users:', '    - name: tess', '      role: team', `      passwordHash: "${hashOf(PASSWORD)}"`, ''].join('\n'));
    server = spawnCli(['serve', '--config', file, '--listen', '127.0.0.1:0']);
    const base = await portalUrl(server);

    const collect = await collectUnderway(replay, file);
    let collectEnded = false;
    void collect.done.then(() => (collectEnded = true));

    // While the run holds the locker: a failed sign-in (a user's name, then a stranger's), a sign-in, pages, a download.
    const form = await fetch(`${base}sign-in`);
    const csrfCookie = form.headers.getSetCookie().map((line) => line.split(';')[0]!).join('; ');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const signIn = (name: string, password: string) =>
      fetch(`${base}sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie }, body: new URLSearchParams({ name, password, csrf }).toString() });
    expect((await signIn('tess', 'wrong')).status).toBe(401);
    expect((await signIn(PASSWORD, 'typed in the wrong box')).status).toBe(401);
    const signed = await signIn('tess', PASSWORD);
    expect(signed.status).toBe(303);
    const cookie = signed.headers.getSetCookie().find((line) => line.startsWith('evidentia_session='))!.split(';')[0]!;
    const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
    expect((await get('runs')).status).toBe(200);
    expect((await get('populations')).status).toBe(200);
    // Answered while the run still held the locker (each of its API answers comes 2 s late), not queued behind it.
    expect(collectEnded).toBe(false);
    expect((await runCli(['portal-log', '--config', file, '--json'])).stdout.trim()).toBe('[]');

    const collected = await collect.done;
    expect(collected.code).toBe(0);
    // Another period than the default one the pages judged before the run ended (the run changed the locker, so that one would be judged again anyway).
    const population = await get(`evidence/population.csv?kind=access.account&period=2020-01-01..${new Date().toISOString().slice(0, 10)}`);
    expect([population.status, population.headers.get('content-disposition')]).toEqual([200, expect.stringMatching(/^attachment; filename="population-access\.account-/)]);
    // Read whole before the next request: the download is logged once its last byte is sent, and the log keeps that order.
    await population.arrayBuffer();
    // Signing out with the session's CSRF token (the sign-out form on every page carries it).
    const sessionCsrf = /action="\/sign-out"><input type="hidden" name="csrf" value="([^"]+)"/.exec(await (await get('requests')).text())![1]!;
    const out = await fetch(`${base}sign-out`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ csrf: sessionCsrf }).toString() });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/sign-in']);
    expect((await get('runs')).status).toBe(303);

    let events: LoggedEvent[] = [];
    for (let tries = 0; tries < 60 && events.length < 9; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      events = JSON.parse((await runCli(['portal-log', '--config', file, '--json'])).stdout) as LoggedEvent[];
    }
    expect(events.map(({ sequence, action, user, role, target, outcome }) => [sequence, action, user, role, target.split('?')[0], outcome])).toEqual([
      [1, 'sign-in-failed', 'tess', 'team', '/sign-in', '401'],
      [2, 'sign-in-failed', '(unknown)', null, '/sign-in', '401'],
      [3, 'sign-in', 'tess', 'team', '/sign-in', '303'],
      [4, 'view', 'tess', 'team', '/runs', '200'],
      [5, 'view', 'tess', 'team', '/populations', '200'],
      [6, 'download', 'tess', 'team', '/evidence/population.csv', '200'],
      [7, 'view', 'tess', 'team', '/requests', '200'],
      [8, 'sign-out', 'tess', 'team', '/sign-out (password)', '303'],
      // The signed-out session's cookie, tried again: a denial.
      [9, 'view', '(unknown)', null, '/runs', '303 no live session'],
    ]);
    const listed = await runCli(['portal-log', '--config', file, '--since', '2000-01-01']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('tess (team)');
    expect(listed.stdout).not.toContain(PASSWORD);
    expect((await runCli(['portal-log', '--config', file, '--since', 'yesterday'])).code).toBe(2);

    const verified = await runCli(['verify', '--config', file]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/, 9 portal-log entries\n/);
    expect(verified.stdout).toContain('locker verified: no problems');

    server.child.kill('SIGTERM');
    const stopped = await server.done;
    server = undefined;
    expect(stopped.code).toBe(0);
  }, 120_000);
});
