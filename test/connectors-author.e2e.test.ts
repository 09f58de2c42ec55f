/**
 * The connector author's loop end to end, through the real launcher:
 * `connectors new` scaffolds a package into a folder inside the workspace
 * (so it resolves the workspace's @evidentia/sdk, testing and zod as an
 * installed copy would), its generated test passes as generated, a config
 * loads it as a custom connector, `connectors` lists it, `connectors try`
 * replays its cassette (records, requests, verdict; partial and failed
 * streams said so) without touching the locker, and `collect` stores it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startReplayServer } from '@evidentia/testing';
import { REPO_ROOT, runCli } from './cli.js';

const ENV = { ACME_HR_TOKEN: 'e2e-placeholder-token' };
let work: string;
let connectorDir: string;
let config: string;
let cassette: string;

/** Every file under `dir` with the SHA-256 of its bytes. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return files;
}

/** Run jest on one test file in a child process, as a developer would. */
function runJest(testFile: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--experimental-vm-modules', join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--ci', testFile], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A copy of the generated cassette with `change` applied, written beside the config. */
async function variant(name: string, change: (interactions: Array<{ response: { body: { users: unknown[]; total: number } } }>) => void): Promise<string> {
  const file = JSON.parse(await readFile(cassette, 'utf8')) as { interactions: Array<{ response: { body: { users: unknown[]; total: number } } }> };
  change(file.interactions);
  const path = join(work, `${name}.json`);
  await writeFile(path, JSON.stringify(file));
  return path;
}

beforeAll(async () => {
  // Inside the workspace, like a package installed beside evidentia: its imports resolve from the root node_modules.
  work = await mkdtemp(join(REPO_ROOT, 'scaffold-e2e-'));
  connectorDir = join(work, 'acme-hr');
  cassette = join(connectorDir, 'fixtures/users.json');
  config = join(work, 'evidentia.yaml');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('writing a connector with connectors new and connectors try', () => {
  it('scaffolds a package whose generated test passes as generated', async () => {
    const created = await runCli(['connectors', 'new', 'acme-hr', '--dir', connectorDir]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('src/index.test.ts');
    const tested = await runJest(join(connectorDir, 'src/index.test.ts'));
    expect(tested.output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(tested.code).toBe(0);
  }, 180_000);

  it('refuses a bad name and a folder that is not empty with one line and exit 2', async () => {
    const badName = await runCli(['connectors', 'new', 'Acme_HR', '--dir', join(work, 'bad')]);
    expect(badName.code).toBe(2);
    expect(badName.stderr.trim().split('\n')).toEqual([expect.stringContaining('connector name "Acme_HR": use lower-case letters')]);
    const taken = await runCli(['connectors', 'new', 'acme-hr', '--dir', connectorDir]);
    expect(taken.code).toBe(2);
    expect(taken.stderr.trim().split('\n')).toEqual([expect.stringContaining('the folder is not empty; nothing was written')]);
  });

  it('loads it from a config: listed beside the built-ins, tried against its cassette, the locker untouched byte for byte', async () => {
    await writeFile(config, 'locker: ./locker\nconnectors:\n  acme-hr:\n    module: ./acme-hr/src/index.ts\n    config:\n      baseUrl: https://acme-hr.example.com/api\n      token: ${env:ACME_HR_TOKEN}\n');
    expect((await runCli(['init', '--config', config])).code).toBe(0);
    const locker = join(work, 'locker');
    const before = await fingerprint(locker);
    expect(Object.keys(before).length).toBeGreaterThan(0);

    const listed = JSON.parse((await runCli(['connectors', '--config', config, '--json'])).stdout) as Array<{ id: string; source: string; module?: string; streams: Array<{ name: string }> }>;
    expect(listed.filter((entry) => entry.source === 'custom')).toEqual([expect.objectContaining({ id: 'acme-hr', module: join(connectorDir, 'src/index.ts'), streams: [expect.objectContaining({ name: 'users' })] })]);

    const tried = await runCli(['connectors', 'try', '--config', config, '--connector', 'acme-hr', '--stream', 'users', '--cassette', cassette], { env: { ...ENV, COLUMNS: '100' } });
    expect(tried.stderr).toBe('');
    expect(tried.code).toBe(0);
    for (const key of ['user:u-1001', 'user:u-1002', 'user:u-1003']) expect(tried.stdout).toContain(key);
    expect(tried.stdout).toMatch(/requests: 2\n[\s\S]*GET\s+200\s+http:\/\/127\.0\.0\.1:\d+\/users\?limit=100&cursor=page-2/);
    expect(tried.stdout).toContain('complete: 3 records (the source reported 3), 2 requests');
    expect(Math.max(...tried.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(tried.stdout).not.toContain(ENV.ACME_HR_TOKEN);

    const json = JSON.parse((await runCli(['connectors', 'try', '--config', config, '--connector', 'acme-hr', '--stream', 'users', '--cassette', cassette, '--limit', '2', '--json'], { env: ENV })).stdout) as {
      outcome: { status: string; records: number; apiTotal: number };
      records: Array<{ key: string }>;
      requests: Array<{ method: string; status: number }>;
    };
    expect(json.outcome).toMatchObject({ status: 'complete', records: 3, apiTotal: 3 });
    expect(json.records.map((record) => record.key)).toEqual(['user:u-1001', 'user:u-1002']);
    expect(json.requests.map((request) => `${request.method} ${request.status}`)).toEqual(['GET 200', 'GET 200']);

    // A total the API reports that the listing does not reach is partial, never complete.
    const short = await variant('short', (interactions) => interactions.forEach((interaction) => (interaction.response.body.total = 4)));
    const partial = await runCli(['connectors', 'try', '--config', config, '--connector', 'acme-hr', '--stream', 'users', '--cassette', short], { env: ENV });
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('partial: received 3 of 4 users the source reports');
    expect(partial.stdout).not.toMatch(/^complete/m);

    // A response that drifted from the schema fails the stream: one line naming the field.
    const drifted = await variant('drifted', (interactions) => (interactions[1]!.response.body.users = [{ id: 1003 }]));
    const failed = await runCli(['connectors', 'try', '--config', config, '--connector', 'acme-hr', '--stream', 'users', '--cassette', drifted], { env: ENV });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^evidentia: acme-hr\/users failed: .*users\.0\.id/)]);
    expect(failed.stderr).not.toMatch(/\n\s+at /);

    const missing = await runCli(['connectors', 'try', '--config', config, '--connector', 'acme-hr', '--stream', 'nope', '--cassette', cassette], { env: ENV });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('evidentia: --stream nope: connector acme-hr has no enabled stream of that name; it has users');

    expect(await fingerprint(locker)).toEqual(before);
  }, 180_000);

  it('resolves the paths a connector config names against the config file, as collect does', async () => {
    const folder = await mkdtemp(join(work, 'hr-'));
    await copyFile(join(REPO_ROOT, 'config/examples/hr-export/people.json'), join(folder, 'people.json'));
    const file = join(folder, 'evidentia.yaml');
    await writeFile(file, `locker: ./locker\nconnectors:\n  hr:\n    module: ${join(REPO_ROOT, 'config/examples/hr-export/connector.ts')}\n    config:\n      exportFile: ./people.json\n`);
    const tried = await runCli(['connectors', 'try', '--config', file, '--connector', 'hr', '--stream', 'lifecycle', '--since', '2026-04-01', '--until', '2026-06-30', '--json'], { cwd: tmpdir() });
    expect(tried.stderr).toBe('');
    const report = JSON.parse(tried.stdout) as { outcome: { status: string; records: number; apiTotal: number | null } };
    expect(report.outcome).toEqual(expect.objectContaining({ status: 'complete', records: 3, apiTotal: null }));
    // A source that reports no total is complete on what it holds, and says it reported none.
    expect((await runCli(['connectors', 'try', '--config', file, '--connector', 'hr', '--stream', 'lifecycle', '--since', '2026-04-01', '--until', '2026-06-30'], { cwd: tmpdir() })).stdout).toContain('complete: 3 records (the source reported no total)');
  }, 180_000);

  it('collects from its cassette into the locker like any connector', async () => {
    const server = await startReplayServer([cassette]);
    try {
      await writeFile(config, (await readFile(config, 'utf8')).replace('https://acme-hr.example.com/api', server.baseUrl));
      const collected = await runCli(['collect', '--config', config], { env: ENV });
      expect(collected.code).toBe(0);
      expect(collected.stdout).toMatch(/complete/);
      server.assertDone();
      const records = (await runCli(['records', '--config', config, '--kind', 'access.account', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as { key: string; stream: string });
      expect(records.map((record) => `${record.stream} ${record.key}`).sort()).toEqual(['acme-hr/users user:u-1001', 'acme-hr/users user:u-1002', 'acme-hr/users user:u-1003']);
    } finally {
      await server.close();
    }
  }, 180_000);
});
