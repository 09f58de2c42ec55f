/**
 * A custom connector as a security team keeps one: a single file next to its config in a folder outside
 * the workspace, with no package.json and no node_modules. The CLI loads it as an ES module and resolves
 * its @evidentia/sdk and zod from the CLI's own install (collector/bin/custom-modules.js): the example HR
 * connector (TypeScript) and the same in plain JavaScript. A package the folder lacks that is not one of
 * those two still fails, naming it.
 */
import { describe, expect, it } from '@jest/globals';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempDir } from './cli.js';

const EXAMPLE = join(REPO_ROOT, 'config/examples/hr-export');

/** A folder outside the workspace with people.json, `connectorFile` and a config naming it. */
async function teamFolder(connectorFile: string, code?: string): Promise<string> {
  const dir = await tempDir('outside');
  await copyFile(join(EXAMPLE, 'people.json'), join(dir, 'people.json'));
  if (code === undefined) await copyFile(join(EXAMPLE, 'connector.ts'), join(dir, connectorFile));
  else await writeFile(join(dir, connectorFile), code);
  await writeFile(join(dir, 'evidentia.yaml'), `locker: ./locker\nconnectors:\n  hr:\n    module: ./${connectorFile}\n    config:\n      exportFile: ./people.json\n`);
  return dir;
}

/** Joiners only, in plain JavaScript: what a team writes without a build step. */
const JAVASCRIPT_CONNECTOR = `import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineConnector } from '@evidentia/sdk';
const People = z.object({ people: z.array(z.object({ employeeId: z.string(), name: z.string(), workEmail: z.string().nullable(), startDate: z.string() })) });
export default defineConnector({
  id: 'hr-js', version: '0.1.0', title: 'HR export in JavaScript', credentials: [],
  configSchema: z.object({ exportFile: z.string() }).strict(),
  system: () => 'hr-js',
  streams: { lifecycle: { type: 'event', kind: 'personnel.event', description: 'joiners', controls: ['CC6.2'], async collect(ctx) {
    const file = ctx.resolvePath(ctx.config.exportFile);
    const raw = JSON.parse(await readFile(file, 'utf8'));
    const source = await ctx.snapshot({ method: 'READ', url: 'file://' + file, requestBody: null, status: 200, headers: {} }, raw);
    for (const person of People.parse(raw).people) {
      const at = person.startDate + 'T00:00:00Z';
      await ctx.emit({ key: person.employeeId, occurredAt: at, sources: [source],
        data: { person: { email: person.workEmail, name: person.name, id: person.employeeId }, type: 'joiner', effectiveAt: at, source: 'js', ticket: null, completedAt: null } });
    }
  } } },
});
`;

const tryLifecycle = (dir: string) =>
  runCli(['connectors', 'try', '--config', 'evidentia.yaml', '--connector', 'hr', '--stream', 'lifecycle', '--since', '2020-01-01', '--json'], { cwd: dir });

describe('a custom connector in a folder of its own', () => {
  it('the example TypeScript connector runs from a folder with no package.json and no node_modules', async () => {
    const dir = await teamFolder('connector.ts');
    const result = await tryLifecycle(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { records: Array<{ kind: string }> };
    expect(output.records).toHaveLength(6);
    expect(new Set(output.records.map((record) => record.kind))).toEqual(new Set(['personnel.event']));
  }, 120_000);

  it('a JavaScript connector gets the CLI\'s zod and SDK the same way', async () => {
    const dir = await teamFolder('connector.js', JAVASCRIPT_CONNECTOR);
    const result = await tryLifecycle(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { records: Array<{ key: string }> };
    expect(output.records.map((record) => record.key).sort()).toEqual(['E-1001', 'E-1002', 'E-1003', 'E-1004']);
  }, 120_000);

  it('a JavaScript connector loads as an ES module also after a TypeScript custom check brought in tsx', async () => {
    const dir = await teamFolder('connector.js', JAVASCRIPT_CONNECTOR);
    // tsx, registered for the check before the connector loads, took a .js file outside any package for CommonJS.
    await writeFile(join(dir, 'check.ts'), 'export {};\n');
    await writeFile(join(dir, 'evidentia.yaml'), `${await readFile(join(dir, 'evidentia.yaml'), 'utf8')}checks:\n  custom: [./check.ts]\n`);
    const result = await tryLifecycle(dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { records: unknown[] }).records).toHaveLength(4);
  }, 120_000);

  it('a JavaScript connector in CommonJS still loads as CommonJS', async () => {
    const commonJs = `exports.connector = { id: 'hr-cjs', version: '0.1.0', title: 'CommonJS', credentials: [], system: () => 'hr-cjs',
  configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  streams: { staff: { type: 'state', kind: 'access.account', description: 'staff', controls: ['CC6.1'], async collect() {} } } };
`;
    const dir = await teamFolder('connector.js', commonJs);
    await writeFile(join(dir, 'check.ts'), 'export {};\n');
    await writeFile(join(dir, 'evidentia.yaml'), `${await readFile(join(dir, 'evidentia.yaml'), 'utf8')}checks:\n  custom: [./check.ts]\n`);
    const result = await runCli(['connectors', '--config', 'evidentia.yaml', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('"hr-cjs"');
  }, 120_000);

  it("a connector that leaves a promise rejected and unawaited fails its stream; the run and the other connector's evidence are kept", async () => {
    const dir = await teamFolder('connector.js', JAVASCRIPT_CONNECTOR);
    const careless = JAVASCRIPT_CONNECTOR.replace("id: 'hr-js'", "id: 'hr-careless'").replace("system: () => 'hr-js'", "system: () => 'hr-careless'").replace(
      'for (const person of People.parse(raw).people) {',
      "Promise.reject(new Error('prefetch of departments failed'));\n    await new Promise((resolve) => setImmediate(resolve));\n    for (const person of People.parse(raw).people) {",
    );
    await writeFile(join(dir, 'careless.js'), careless);
    await writeFile(join(dir, 'evidentia.yaml'), `${await readFile(join(dir, 'evidentia.yaml'), 'utf8')}  careless:\n    module: ./careless.js\n    config:\n      exportFile: ./people.json\n`);
    expect((await runCli(['init', '--config', 'evidentia.yaml'], { cwd: dir })).code).toBe(0);
    const collected = await runCli(['collect', '--config', 'evidentia.yaml', '--since', '2020-01-01'], { cwd: dir });
    expect(collected.stderr).not.toContain('at ');
    expect(collected.code).toBe(1);
    expect(collected.stdout).toMatch(/careless\/lifecycle\s+event\s+failed/);
    expect(collected.stdout).toContain('a promise of the stream was rejected and never awaited (prefetch of departments failed)');
    const runs = JSON.parse((await runCli(['runs', '--config', 'evidentia.yaml', '--json'], { cwd: dir })).stdout) as Array<{ status: string }>;
    expect(runs.map((run) => run.status)).toEqual(['partial']);
    const records = (await runCli(['records', '--config', 'evidentia.yaml', '--json'], { cwd: dir })).stdout.trim().split('\n').map((line) => JSON.parse(line) as { stream: string });
    expect(records.filter((record) => record.stream === 'hr/lifecycle')).toHaveLength(4);
    expect(records.filter((record) => record.stream === 'careless/lifecycle')).toHaveLength(4);
  }, 180_000);

  it("a connector whose apiBase.override throws is refused by try --cassette naming the connector and its module, not as a bug in evidentia", async () => {
    const pointless = JAVASCRIPT_CONNECTOR.replace(
      "system: () => 'hr-js',",
      "system: () => 'hr-js',\n  apiBase: { read: (config) => config.exportFile, override: (config, baseUrl) => ({ ...config, exportFile: new URL('people.json').href }) },",
    );
    const dir = await teamFolder('connector.js', pointless);
    await writeFile(join(dir, 'empty.json'), JSON.stringify({ format: 'evidentia.cassette/1', description: 'nothing', interactions: [] }));
    const tried = await runCli(['connectors', 'try', '--config', 'evidentia.yaml', '--connector', 'hr', '--stream', 'lifecycle', '--cassette', 'empty.json'], { cwd: dir });
    expect(tried.code).toBe(2);
    expect(tried.stderr.trim()).toBe('evidentia: connector hr-js (./connector.js): apiBase.override(config, baseUrl) failed: Invalid URL');
  }, 120_000);

  it('another package the folder lacks still fails, naming it', async () => {
    const dir = await teamFolder('connector.ts', "import 'left-pad';\nexport { connector } from 'nowhere';\n");
    const result = await tryLifecycle(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Cannot find package 'left-pad'");
  }, 120_000);
});
