/**
 * End to end: `evidentia daemon` in child processes against the GitHub
 * fixtures on a local replay server. One daemon per locker (a second one
 * refuses), the health endpoint, `status`, a one-off `collect` refused while
 * the daemon writes, status telling a config file edited since the daemon
 * started, and SIGTERM in the middle of a run: exit 0, the run
 * recorded as interrupted (and `status` says so), the locker still verifies. `daemon --serve`: the
 * portal in the daemon's process, its /health the daemon's (a probe gets the
 * status, a signed-in team member the same snapshot as the daemon's own
 * endpoint), a SIGTERM while the portal is still starting stops it cleanly,
 * and a portal that cannot start stops the daemon (exit 2) and frees the locker.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, runCli, spawnCli, TOKEN_ENV, type CliResult } from './cli.js';
import { hashOf } from './portal-demo.js';

// State streams only (pull requests are recorded for a fixed period), and no scheduled fire during the test.
const DAEMON_SETTINGS = `    schedule: "0 0 1 1 *"\n    streams:\n      pull_requests:\n        enabled: false\ndaemon:\n  health:\n    enabled: true\n    port: 0\n`;
const STATE_FIXTURES = ['members.json', 'branch-protection.json'].map((name) => join(FIXTURES, name));

let server: ReplayServer | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

interface Daemon {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Log lines (pino JSON) so far. */
  lines(): Array<Record<string, unknown>>;
  waitFor(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function startDaemon(file: string, extra: string[] = []): Daemon {
  const { child, done } = spawnCli(['daemon', '--config', file, ...extra], { env: TOKEN_ENV });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const lines = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    child,
    done,
    lines,
    async waitFor(message, timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const found = lines().find((line) => line.msg === message);
        if (found) return found;
        if (Date.now() - started > timeoutMs || child.exitCode !== null) throw new Error(`daemon never logged "${message}"; output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

describe('evidentia daemon end to end', () => {
  it('runs one daemon per locker, reports health and status, and stops cleanly on SIGTERM', async () => {
    server = await startReplayServer(STATE_FIXTURES);
    const { file, locker } = await githubConfig(server.baseUrl, DAEMON_SETTINGS);
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const first = startDaemon(file);
    const started = await first.waitFor('daemon started');
    const finished = await first.waitFor('collection run finished');
    expect(finished).toMatchObject({ status: 'complete', trigger: 'schedule' });
    server.assertDone();

    const second = await runCli(['daemon', '--config', file], { env: TOKEN_ENV });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`another evidentia daemon (pid ${first.child.pid}`);
    expect(second.stderr).toContain('one daemon per locker');

    const health = await fetch(`${String(started.health)}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; streams: Array<{ stream: string; lastStatus: string; nextRunAt: string }> };
    expect(body.status).toBe('ok');
    expect(body.streams.map((s) => [s.stream, s.lastStatus])).toEqual([
      ['github/members', 'complete'],
      ['github/branch_protection', 'complete'],
    ]);
    expect(body.streams[0]?.nextRunAt).toMatch(/-01-01T00:00:00\.000Z$/);
    const metrics = await (await fetch(`${String(started.health)}/metrics`)).text();
    expect(metrics).toContain('# TYPE evidentia_runs_total counter');
    expect(metrics).toContain('evidentia_runs_total{status="complete"} 1');
    expect(metrics).toContain('evidentia_stream_up{stream="github/members"} 1');

    const status = await runCli(['status', '--config', file, '--json'], { env: TOKEN_ENV });
    const report = JSON.parse(status.stdout) as {
      daemon: { pid: number };
      streams: Array<{ stream: string; lastRun: { status: string } }>;
      gaps: Array<{ stream: string; causes: Array<{ kind: string }> }>;
    };
    expect(report.daemon.pid).toBe(first.child.pid);
    expect(report.streams.map((s) => s.lastRun.status)).toEqual(['complete', 'complete']);
    // The days before the first collection are a gap, as `coverage` over the same days shows it, and said to be that.
    expect(report.gaps.map((gap) => [gap.stream, gap.causes.map((cause) => cause.kind)])).toEqual([
      ['github/members', ['not-configured']],
      ['github/branch_protection', ['not-configured']],
    ]);
    expect(status.code).toBe(1);
    expect(status.stdout).not.toContain('configuration');

    // The file edited while the daemon runs (it read it at start): status must not present the new file as what runs.
    await appendFile(file, '# edited while the daemon runs\n');
    const edited = await runCli(['status', '--config', file], { env: TOKEN_ENV });
    expect(edited.stdout).toContain(`daemon: running (pid ${first.child.pid}`);
    expect(edited.stdout).toContain(`its configuration file ${file} has changed since it started: restart it to apply the change (the schedules below are the file's)`);
    expect((JSON.parse((await runCli(['status', '--config', file, '--json'], { env: TOKEN_ENV })).stdout) as { daemon: unknown }).daemon).toMatchObject({ config: file, configChanged: true });

    first.child.kill('SIGTERM');
    const stopped = await first.done;
    expect(stopped.code).toBe(0);
    expect(first.lines().map((line) => line.msg)).toContain('daemon stopped');
    expect(existsSync(join(locker, 'daemon.lock'))).toBe(false);
    expect((await runCli(['status', '--config', file], { env: TOKEN_ENV })).stdout).toContain('daemon: not running');
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  });

  it('on SIGTERM in the middle of a run exits 0, records the run as interrupted and leaves a locker that verifies; a collect meanwhile is refused', async () => {
    const slow = JSON.parse(await readFile(join(FIXTURES, 'members.json'), 'utf8')) as { interactions: Array<{ response: { delayMs?: number } }> };
    // About 8.5 s of members requests (10 of them since the GraphQL reads are one overview), so the run is still going when SIGTERM comes.
    for (const interaction of slow.interactions) interaction.response.delayMs = 850;
    server = await startReplayServer([slow as never, join(FIXTURES, 'branch-protection.json')]);
    const { file } = await githubConfig(server.baseUrl, DAEMON_SETTINGS);
    await runCli(['init', '--config', file]);
    const daemon = startDaemon(file);
    await daemon.waitFor('collection run started');
    const waitStart = Date.now();
    while (server.requests.length < 2) {
      if (Date.now() - waitStart > 20_000) throw new Error('the daemon never reached the members stream');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const oneOff = await runCli(['collect', '--config', file], { env: TOKEN_ENV });
    expect(oneOff.code).toBe(2);
    expect(oneOff.stderr).toContain(`The evidentia daemon (pid ${daemon.child.pid}) runs on this locker and is collecting right now`);

    daemon.child.kill('SIGTERM');
    const result = await daemon.done;
    expect(result.code).toBe(0);
    expect(daemon.lines().find((line) => line.msg === 'daemon stopping')).toMatchObject({ runInProgress: true });
    const runs = JSON.parse((await runCli(['runs', '--config', file, '--json'])).stdout) as Array<{ status: string; trigger: string }>;
    expect(runs.map((run) => [run.status, run.trigger])).toEqual([['interrupted', 'schedule']]);
    // status names it too: its per-stream rows hold committed stream runs only, which an interrupted run has none of.
    const status = await runCli(['status', '--config', file], { env: TOKEN_ENV });
    expect(status.stdout).toMatch(/^last run: interrupted \(run \S+, schedule, started \S+, stopped \S+\): nothing it collected was kept/m);
    const statusJson = JSON.parse((await runCli(['status', '--config', file, '--json'], { env: TOKEN_ENV })).stdout) as { lastRun: unknown };
    expect(statusJson.lastRun).toMatchObject({ status: 'interrupted', trigger: 'schedule', finishedAt: expect.any(String) });
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  });
});

const PASSWORD = 'daemon portal pass';

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
    const running = startDaemon(file, ['--serve', '127.0.0.1:0']);
    const daemon = await running.waitFor('daemon started');
    const base = String((await running.waitFor('portal started')).url);
    await running.waitFor('collection run finished');

    const probe = await fetch(`${base}health`);
    expect([probe.status, await probe.json()]).toEqual([200, { status: 'ok' }]);

    const session = await signIn(base);
    const portalHealth = (await (await fetch(`${base}health`, { headers: { cookie: session } })).json()) as Record<string, unknown>;
    const daemonHealth = (await (await fetch(`${String(daemon.health)}/health`)).json()) as Record<string, unknown>;
    expect(Object.keys(portalHealth).sort()).toEqual(Object.keys(daemonHealth).sort());
    expect(portalHealth.pid).toBe(running.child.pid);
    expect({ ...portalHealth, now: null }).toEqual({ ...daemonHealth, now: null });
    expect((portalHealth.streams as Array<{ stream: string; lastStatus: string }>).map((stream) => [stream.stream, stream.lastStatus])).toEqual([
      ['github/members', 'complete'],
      ['github/branch_protection', 'complete'],
    ]);

    const runs = await fetch(`${base}runs`, { headers: { cookie: session } });
    expect(runs.status).toBe(200);
    expect(await runs.text()).toContain('complete');

    running.child.kill('SIGTERM');
    expect((await running.done).code).toBe(0);
    await running.waitFor('daemon stopped');
  }, 120_000);

  it('stops cleanly (exit 0, the locker verifies) on a SIGTERM that comes while the portal is still starting, the daemon already started', async () => {
    server = await startReplayServer(STATE_FIXTURES);
    const { file, locker } = await githubConfig(server.baseUrl, DAEMON_SETTINGS);
    // An OIDC issuer that answers discovery only once the test has sent SIGTERM: until then the portal is starting.
    let discoveryAsked!: () => void;
    const asked = new Promise<void>((resolve) => (discoveryAsked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const issuer = createServer((request, response) => {
      discoveryAsked();
      const base = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
      const document = { issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] };
      void released.then(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document)));
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    try {
      const port = (issuer.address() as AddressInfo).port;
      await appendFile(file, ['portal:', '  oidc:', `    issuer: http://127.0.0.1:${port}`, '    clientId: evidentia', '    redirectUrl: http://127.0.0.1:1/sign-in/oidc/callback', '    roles:', '      - group: security', '        role: team', ''].join('\n'));
      expect((await runCli(['init', '--config', file])).code).toBe(0);
      const running = startDaemon(file, ['--serve', '127.0.0.1:0']);
      await running.waitFor('daemon started');
      await asked;
      running.child.kill('SIGTERM');
      release();
      const result = await running.done;
      expect([result.code, running.child.signalCode]).toEqual([0, null]);
      expect(running.lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['daemon stopping', 'daemon stopped']));
      expect(existsSync(join(locker, 'daemon.lock'))).toBe(false);
      expect((await runCli(['verify', '--config', file])).code).toBe(0);
    } finally {
      issuer.closeAllConnections();
      await new Promise((resolve) => issuer.close(resolve));
    }
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
    const next = startDaemon(file);
    await next.waitFor('daemon started');
    next.child.kill('SIGTERM');
    expect((await next.done).code).toBe(0);
  }, 120_000);
});
