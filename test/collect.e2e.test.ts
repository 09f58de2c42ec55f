/**
 * End to end: the CLI as a user runs it, against the GitHub fixtures on a
 * local replay server, into a real locker on disk.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, REPO_ROOT, runCli, spawnCli, TOKEN_ENV } from './cli.js';

// The README's backfill: both dates inclusive, so the range ends at 2026-07-01T00:00Z.
const PERIOD = ['--since', '2026-04-02', '--until', '2026-06-30'];
const HAPPY = ['members.json', 'branch-protection.json', 'pull-requests.json'].map((name) => join(FIXTURES, name));

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collectedLocker() {
  server = await startReplayServer(HAPPY);
  const setup = await githubConfig(server.baseUrl);
  expect((await runCli(['init', '--config', setup.file])).code).toBe(0);
  const collected = await runCli(['collect', '--config', setup.file, ...PERIOD], { env: TOKEN_ENV });
  expect(collected.stderr).not.toMatch(/FAILED/);
  expect(collected.code).toBe(0);
  return { ...setup, collected };
}

async function objectFiles(locker: string): Promise<string[]> {
  const files: string[] = [];
  for (const prefix of await readdir(join(locker, 'objects'))) {
    for (const name of await readdir(join(locker, 'objects', prefix))) if (!name.includes('.tmp')) files.push(join(locker, 'objects', prefix, name));
  }
  return files;
}

describe('evidentia CLI end to end', () => {
  it('lists the built-in connectors', async () => {
    const result = await runCli(['connectors', '--json']);
    expect(result.code).toBe(0);
    const connectors = JSON.parse(result.stdout) as Array<{ id: string; streams: Array<{ name: string; type: string }> }>;
    expect(connectors.find((c) => c.id === 'github')?.streams.map((s) => `${s.name}:${s.type}`)).toEqual(['members:state', 'branch_protection:state', 'pull_requests:event']);
  });

  it('collects, lists runs and records, and verifies a clean locker', async () => {
    const { file, collected } = await collectedLocker();
    expect(collected.stdout).toMatch(/run \S+: complete \(manifest #1\)/);
    server?.assertDone();

    const runs = JSON.parse((await runCli(['runs', '--config', file, '--json'])).stdout) as Array<{ status: string; streams: unknown[] }>;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'complete' });
    expect(runs[0]?.streams).toHaveLength(3);

    const changes = (await runCli(['records', '--config', file, '--control', 'CC8.1', '--kind', 'change.request', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; controls: string[]; sources: string[] });
    expect(changes.length).toBeGreaterThan(3);
    for (const record of changes) {
      expect(record.kind).toBe('change.request');
      expect(record.controls).toContain('CC8.1');
      expect(record.sources.length).toBeGreaterThan(0);
    }
    // --at reads a date as the end of that day in the audit zone: today holds this run's members, yesterday none.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const membersAt = async (at: string) => runCli(['records', '--config', file, '--kind', 'access.account', '--at', at, '--json']);
    expect((await membersAt(day(0))).stdout.trim().split('\n').length).toBeGreaterThan(3);
    expect((await membersAt(day(-1))).stdout).toBe('');
    // The table fits the terminal it is given and says what each opaque key is.
    const table = await runCli(['records', '--config', file, '--kind', 'change.request'], { env: { COLUMNS: '100' } });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^observed +kind +key +about +stream/);
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(100);
    expect(lines.at(-1)).toBe('(cells cut to fit 100 columns; --json has the full text)');
    const rolled = await membersAt('2026-02-30');
    expect(rolled.code).toBe(2);
    expect(rolled.stderr).toContain('--at: "2026-02-30" is not a date');

    const verified = await runCli(['verify', '--config', file]);
    expect(verified.stdout).toContain('no problems');
    expect(verified.code).toBe(0);
  });

  it('exits 2 before any work on a configuration error, naming file and path', async () => {
    const { file } = await githubConfig('http://127.0.0.1:9', '    streams:\n      nonsense: {}\n');
    const result = await runCli(['collect', '--config', file], { env: TOKEN_ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain('connectors.github.streams.nonsense');
  });

  it('exits 2 and writes no run when the flags or the config select no stream', async () => {
    const { file, dir } = await githubConfig('http://127.0.0.1:9');
    const hr = join(REPO_ROOT, 'config/examples/hr-export');
    const github = await readFile(file, 'utf8');
    await writeFile(file, `${github}  hr:\n    module: ${join(hr, 'connector.ts')}\n    config:\n      exportFile: ${join(hr, 'people.json')}\n`);
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    // lifecycle is the HR connector's stream: with --connector github it selects nothing of github's.
    const crossed = await runCli(['collect', '--config', file, '--connector', 'github', '--stream', 'members', 'lifecycle'], { env: TOKEN_ENV });
    expect(crossed.code).toBe(2);
    expect(crossed.stderr).toBe('evidentia: --stream lifecycle: not a stream of --connector github (github has members, branch_protection, pull_requests)\n');
    const allOff = join(dir, 'all-off.yaml');
    await writeFile(allOff, `${github}    streams:\n      members: { enabled: false }\n      branch_protection: { enabled: false }\n      pull_requests: { enabled: false }\n`);
    const nothing = await runCli(['collect', '--config', allOff], { env: TOKEN_ENV });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(`evidentia: ${allOff} enables no stream: nothing to collect\n`);
    const runs = await runCli(['runs', '--config', file, '--json']);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it('refuses a backfill of inventories only, which cannot be read as they were, and writes no run', async () => {
    const { file } = await githubConfig('http://127.0.0.1:9');
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const result = await runCli(['collect', '--config', file, '--stream', 'members', 'branch_protection', ...PERIOD], { env: TOKEN_ENV });
    expect([result.code, result.stderr]).toEqual([
      2,
      'evidentia: --since/--until backfill event streams only; github/members, github/branch_protection: inventories (state streams), read as they are now, never as on past days; collect them without --since/--until\n',
    ]);
    expect(JSON.parse((await runCli(['runs', '--config', file, '--json'])).stdout)).toEqual([]);
  });

  it('doctor with no connector enabled exits 2, never "all checks passed" over nothing checked', async () => {
    const { file, dir } = await githubConfig('http://127.0.0.1:9', '    enabled: false\n');
    const disabled = await runCli(['doctor', '--config', file], { env: TOKEN_ENV });
    expect([disabled.code, disabled.stdout, disabled.stderr]).toEqual([2, '', `evidentia: ${file} enables no connector: nothing to check\n`]);
    const none = join(dir, 'none.yaml');
    await writeFile(none, 'connectors: {}\n');
    expect((await runCli(['doctor', '--config', none])).stderr).toBe(`evidentia: ${none} enables no connector: nothing to check\n`);
  });

  it('records a stream that fails with 401 and exits 1 for a partial run', async () => {
    server = await startReplayServer([join(FIXTURES, 'members-401.json'), join(FIXTURES, 'branch-protection.json')]);
    const { file } = await githubConfig(server.baseUrl);
    await runCli(['init', '--config', file]);
    const result = await runCli(['collect', '--config', file, '--stream', 'members', 'branch_protection', '--json'], { env: TOKEN_ENV });
    expect(result.code).toBe(1);
    const manifest = JSON.parse(result.stdout) as { status: string; streams: Array<{ stream: string; status: string; error: string | null }> };
    expect(manifest.status).toBe('partial');
    expect(manifest.streams.find((s) => s.stream === 'members')).toMatchObject({ status: 'failed', error: expect.stringContaining('401') });
    expect(manifest.streams.find((s) => s.stream === 'branch_protection')?.status).toBe('complete');
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  });

  it('names a changed blob byte and a deleted record, and exits 1', async () => {
    const { file, locker } = await collectedLocker();
    const files = await objectFiles(locker);
    const manifestHash = (() => {
      const db = new Database(join(locker, 'locker.db'), { readonly: true });
      try {
        return (db.prepare('SELECT hash FROM manifests ORDER BY sequence LIMIT 1').get() as { hash: string }).hash;
      } finally {
        db.close();
      }
    })();
    const hashOf = (path: string) => path.split('/').slice(-2).join('');
    // The signed manifest's own object (the manifest check reads it before the object pass) and an ordinary one.
    const targets = [files.find((path) => hashOf(path) === manifestHash), files.find((path) => hashOf(path) !== manifestHash)];
    for (const object of targets) {
      if (!object) throw new Error('no objects written');
      const original = await readFile(object);
      const altered = Buffer.from(original);
      altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 0xff;
      await writeFile(object, altered);
      const tampered = await runCli(['verify', '--config', file]);
      expect(tampered.code).toBe(1);
      // Causes first: the first problem printed is the altered object itself.
      const first = tampered.stdout.split('\n').find((line) => line.startsWith('PROBLEM'));
      expect(first).toMatch(/^PROBLEM object-altered: /);
      expect(first).toContain(hashOf(object).slice(0, 12));
      await writeFile(object, original);
    }
    expect((await runCli(['verify', '--config', file])).code).toBe(0);

    const db = new Database(join(locker, 'locker.db'));
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>;
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
    const victim = db.prepare('SELECT rowid, hash FROM records LIMIT 1').get() as { rowid: number; hash: string };
    db.prepare('DELETE FROM records WHERE hash = ?').run(victim.hash);
    db.close();
    const deleted = await runCli(['verify', '--config', file, '--json']);
    expect(deleted.code).toBe(1);
    const report = JSON.parse(deleted.stdout) as { problems: Array<{ code: string; message: string }> };
    // A record set names its members by record row, so the deleted row is named by its rowid.
    expect(report.problems.some((p) => p.code === 'record-missing' && p.message.includes(`lists record row ${victim.rowid}, which is missing`))).toBe(true);
  });

  it('names an unreadable object and dropped tables as problems of a damaged locker, not as a bug, and exits 1', async () => {
    const { file, locker } = await collectedLocker();
    const [object] = await objectFiles(locker);
    if (!object) throw new Error('no objects written');
    await rm(object);
    await mkdir(object);
    const db = new Database(join(locker, 'locker.db'));
    // The portal log is read by the witness check after verify; records by verify's own record pass.
    db.exec('DROP TABLE portal_log_entries');
    db.exec('DROP TABLE records');
    db.close();
    const damaged = await runCli(['verify', '--config', file, '--json']);
    expect(damaged.stderr).toBe('');
    expect(damaged.code).toBe(1);
    const report = JSON.parse(damaged.stdout) as { problems: Array<{ code: string; message: string }> };
    const hash = object.split('/').slice(-2).join('');
    expect(report.problems.some((p) => p.code === 'object-missing' && p.message.includes(`object ${hash}`) && p.message.includes('cannot be read (EISDIR'))).toBe(true);
    for (const table of ['portal_log_entries', 'records']) {
      expect(report.problems).toContainEqual({ code: 'table-missing', message: expect.stringContaining(`table ${table} is missing from locker.db: the locker is damaged`) });
    }
    // The other checks still ran: the record sets name rows that are gone.
    expect(report.problems.some((p) => p.code === 'record-set-altered' && p.message.includes('cannot be rebuilt from its rows'))).toBe(true);
  });

  it('survives being killed mid-collection: the locker verifies, the run is interrupted, the next run works', async () => {
    const slow = JSON.parse(await readFile(join(FIXTURES, 'pull-requests.json'), 'utf8')) as { interactions: Array<{ response: { delayMs?: number } }> };
    for (const interaction of slow.interactions) interaction.response.delayMs = 400;
    server = await startReplayServer([...HAPPY.slice(0, 2), slow as never]);
    const { file } = await githubConfig(server.baseUrl);
    await runCli(['init', '--config', file]);
    const { child, done } = spawnCli(['collect', '--config', file, ...PERIOD], { env: TOKEN_ENV });
    const started = Date.now();
    while (!server.requests.some((request) => request.path.startsWith('/graphql') || request.method === 'POST')) {
      if (Date.now() - started > 20_000) throw new Error('collection never reached the pull request stream');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    const afterKill = await runCli(['verify', '--config', file]);
    expect(afterKill.code).toBe(0);
    await server.close();

    server = await startReplayServer(HAPPY);
    const rewritten = (await readFile(file, 'utf8')).replace(/baseUrl: .*/, `baseUrl: ${server.baseUrl}`);
    await writeFile(file, rewritten);
    const next = await runCli(['collect', '--config', file, ...PERIOD], { env: TOKEN_ENV });
    expect(next.code).toBe(0);
    const runs = JSON.parse((await runCli(['runs', '--config', file, '--json'])).stdout) as Array<{ status: string }>;
    expect(runs.map((run) => run.status)).toEqual(['interrupted', 'complete']);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  });

  it('runs the demo end to end and leaves a locker that verifies', async () => {
    const locker = join(await (await import('./cli.js')).tempDir('demo'), 'locker');
    const demo = await runCli(['demo', '--locker', locker]);
    expect(demo.stderr).not.toMatch(/FAILED/);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('locker verified: no problems');
    for (const kind of ['access.account', 'change.config', 'change.request', 'incident.record', 'personnel.event']) expect(demo.stdout).toMatch(new RegExp(`${kind.replace('.', '\\.')}\\s+[1-9]`));
    expect(demo.stdout).not.toMatch(/\bfailed\b/);
    expect((await runCli(['verify', '--locker', locker])).code).toBe(0);
  });
});
