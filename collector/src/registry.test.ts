import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordKindRegistry } from '@evidentia/evidence';
import { definitionProblems } from '@evidentia/sdk';
import { builtInConnectors } from './all-built-in-connectors.js';
import { loadConnector } from './registry.js';

const connectorsDir = fileURLToPath(new URL('../../connectors/', import.meta.url));

describe('connector registry', () => {
  it('lists exactly the connector folders, each under its own id', async () => {
    const folders = (await readdir(connectorsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(Object.keys(builtInConnectors).sort()).toEqual(folders.sort());
    for (const [id, connector] of Object.entries(builtInConnectors)) {
      expect(connector.id).toBe(id);
      expect(definitionProblems(connector)).toEqual([]);
    }
  });

  it('takes each built-in connector\'s demo cassettes from its own fixtures/ folder', async () => {
    for (const [id, connector] of Object.entries(builtInConnectors)) {
      expect(connector.demo?.cassettes.length).toBeGreaterThan(0);
      for (const cassette of connector.demo!.cassettes) {
        expect(cassette.startsWith(join(connectorsDir, id, 'fixtures'))).toBe(true);
        expect(existsSync(cassette)).toBe(true);
      }
    }
  });

  it('names the built-in types when asked for an unknown one', async () => {
    await expect(loadConnector('gitlab', { baseDir: '.', custom: false })).rejects.toThrow(`unknown connector type "gitlab"; built-in types are ${Object.keys(builtInConnectors).join(', ')}`);
    expect(Object.keys(builtInConnectors).sort()).toEqual(['aws', 'github', 'google-workspace', 'jira', 'slack']);
  });

  it('refuses a custom module that is not a connector definition', async () => {
    const notAConnector = fileURLToPath(new URL('./context.ts', import.meta.url));
    await expect(loadConnector(notAConnector, { baseDir: '.', custom: true })).rejects.toThrow(/is not a valid connector/);
  });

  it('refuses a custom module whose stream is not an object, or whose criteria are not names, saying which stream and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-shapes-'));
    const head = "export default { id: 'people', version: '1.0.0', title: 'People', credentials: [], system: () => 'people:x', configSchema: { safeParse: (value) => ({ success: true, data: value }) },";
    const collect = 'async collect() {}';
    const shapes = {
      'null-stream.mjs': `${head} streams: { staff: null } };`,
      'number-control.mjs': `${head} streams: { staff: { type: 'state', kind: 'access.account', description: 'staff', controls: ['CC6.1', 61], ${collect} } } };`,
    };
    for (const [file, code] of Object.entries(shapes)) await writeFile(join(dir, file), code);
    await expect(loadConnector('./null-stream.mjs', { baseDir: dir, custom: true })).rejects.toThrow(
      'custom connector ./null-stream.mjs is not a valid connector: stream staff: must be an object with type, kind, controls and collect(), got null',
    );
    await expect(loadConnector('./number-control.mjs', { baseDir: dir, custom: true })).rejects.toThrow(
      'custom connector ./number-control.mjs is not a valid connector: stream staff: controls must be a list of criteria such as CC6.1, got 61',
    );
  });

  it('refuses a second module with the same connector id declaring the same kind, naming both modules; the first keeps its schema', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-same-id-'));
    // Duck-typed zod objects: these modules live outside the workspace, where zod cannot be imported.
    const connector = (field: string) =>
      `const schema = { def: { type: 'object' }, safeParse: (value) => ({ success: true, data: { ${field}: value.${field} } }) };
export default { id: 'twin-mdm', version: '1.0.0', title: 'MDM', credentials: [], system: () => 'mdm:x', configSchema: { safeParse: (value) => ({ success: true, data: value }) },
  kinds: { 'twin.device': schema }, streams: { devices: { type: 'state', kind: 'twin.device', description: 'devices', controls: ['CC6.8'], async collect() {} } } };`;
    await mkdir(join(dir, 'a'));
    await mkdir(join(dir, 'b'));
    await writeFile(join(dir, 'a', 'connector.mjs'), connector('serial'));
    await writeFile(join(dir, 'b', 'connector.mjs'), connector('owner'));
    const first = await loadConnector('./a/connector.mjs', { baseDir: dir, custom: true });
    await expect(loadConnector('./a/connector.mjs', { baseDir: dir, custom: true })).resolves.toBe(first);
    await expect(loadConnector('./b/connector.mjs', { baseDir: dir, custom: true })).rejects.toThrow(
      `custom connector ./b/connector.mjs: connector twin-mdm: kind twin.device is declared by module ${join(dir, 'a', 'connector.mjs')} and again by module ${join(dir, 'b', 'connector.mjs')} of the same connector id`,
    );
    expect(recordKindRegistry.schemaOf('twin.device')).toBe(first.kinds!['twin.device']);
  });

  it("loads a custom connector by package name from the config's directory", async () => {
    const project = await mkdtemp(join(tmpdir(), 'evidentia-project-'));
    const pkg = join(project, 'node_modules', 'evidentia-connector-people');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'evidentia-connector-people', version: '1.0.0', main: 'index.js' }));
    await writeFile(
      join(pkg, 'index.js'),
      `exports.connector = { id: 'people', version: '1.0.0', title: 'People', credentials: [], system: () => 'people:x',
        configSchema: { safeParse: (value) => ({ success: true, data: value }) },
        streams: { staff: { type: 'state', kind: 'access.account', description: 'staff', controls: ['CC6.1'], collect: async () => {} } } };`,
    );
    const connector = await loadConnector('evidentia-connector-people', { baseDir: project, custom: true });
    expect(connector.id).toBe('people');
    // A package that exports an ES module entry only (an "import" condition), as many are written now.
    const esm = join(project, 'node_modules', 'evidentia-connector-staff');
    await mkdir(esm, { recursive: true });
    await writeFile(join(esm, 'package.json'), JSON.stringify({ name: 'evidentia-connector-staff', version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }));
    await writeFile(
      join(esm, 'index.js'),
      `export const connector = { id: 'staff', version: '1.0.0', title: 'Staff', credentials: [], system: () => 'staff:x',
        configSchema: { safeParse: (value) => ({ success: true, data: value }) },
        streams: { staff: { type: 'state', kind: 'access.account', description: 'staff', controls: ['CC6.1'], collect: async () => {} } } };`,
    );
    expect((await loadConnector('evidentia-connector-staff', { baseDir: project, custom: true })).id).toBe('staff');
    await expect(loadConnector('evidentia-connector-missing', { baseDir: project, custom: true })).rejects.toThrow(/cannot load custom connector evidentia-connector-missing/);
  });
});
