import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledConnector } from './compiled-connectors.js';

/** A connector folder with an entry that imports a helper of its own and zod (from this CLI: the folder has none). */
function connectorFolder(): { dir: string; entry: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'evidentia-compiled-'));
  writeFileSync(join(dir, 'helper.ts'), "export const STREAM: string = 'users';\n");
  writeFileSync(join(dir, 'connector.ts'), "import { z } from 'zod';\nimport { STREAM } from './helper.js';\nexport const name: string = STREAM;\nexport const schema = z.string();\n");
  return { dir, entry: pathToFileURL(join(dir, 'connector.ts')).href, env: { EVIDENTIA_CACHE_DIR: join(dir, 'cache') } };
}

describe('compiledConnector', () => {
  it('compiles once, bundling its own files and importing packages by their resolved file', async () => {
    const { entry, env } = connectorFolder();
    const first = await compiledConnector(entry, env);
    expect(first).toBeDefined();
    const code = readFileSync(fileURLToPath(first!), 'utf8');
    expect(code).toContain('"users"');
    expect(code).toMatch(/from "file:\/\/\/[^"]*\/zod\/[^"]*"/);
    expect(await compiledConnector(entry, env)).toBe(first);
  });

  it('compiles again when any file it was made from changed, the entry or a file it imports', async () => {
    const { dir, entry, env } = connectorFolder();
    const first = await compiledConnector(entry, env);
    writeFileSync(join(dir, 'helper.ts'), "export const STREAM: string = 'groups';\n");
    const second = await compiledConnector(entry, env);
    expect(second).not.toBe(first);
    expect(readFileSync(fileURLToPath(second!), 'utf8')).toContain('"groups"');
    writeFileSync(join(dir, 'connector.ts'), `${readFileSync(join(dir, 'connector.ts'), 'utf8')}export const more = 1;\n`);
    const third = await compiledConnector(entry, env);
    expect(third).not.toBe(second);
    expect(readFileSync(fileURLToPath(third!), 'utf8')).toContain('more');
  });

  it('compiles again when the cached module was altered or cut short, never loading it', async () => {
    const { entry, env } = connectorFolder();
    const first = fileURLToPath((await compiledConnector(entry, env))!);
    const good = readFileSync(first, 'utf8');
    writeFileSync(first, good.replace('"users"', '"planted"'));
    expect(await compiledConnector(entry, env)).toBe(pathToFileURL(first).href);
    expect(readFileSync(first, 'utf8')).toBe(good);
    writeFileSync(first, good.slice(0, 10));
    await compiledConnector(entry, env);
    expect(readFileSync(first, 'utf8')).toBe(good);
  });

  it('leaves to tsx what it cannot cache faithfully: code that reads its own location, a compile error, a .js file, EVIDENTIA_CONNECTOR_CACHE=0', async () => {
    const { dir, entry, env } = connectorFolder();
    expect(await compiledConnector(entry, { ...env, EVIDENTIA_CONNECTOR_CACHE: '0' })).toBeUndefined();
    writeFileSync(join(dir, 'helper.ts'), "export const STREAM: string = new URL('./x', import.meta.url).href;\n");
    expect(await compiledConnector(entry, env)).toBeUndefined();
    // Said once in the manifest for these very files: the next start does not compile them again to find out.
    const manifests = readdirSync(env.EVIDENTIA_CACHE_DIR!).filter((name) => name.endsWith('.json'));
    expect(manifests.map((name) => JSON.parse(readFileSync(join(env.EVIDENTIA_CACHE_DIR!, name), 'utf8')).output)).toEqual([null]);
    expect(await compiledConnector(entry, env)).toBeUndefined();
    writeFileSync(join(dir, 'helper.ts'), 'export const STREAM: string = ;\n');
    expect(await compiledConnector(entry, env)).toBeUndefined();
    writeFileSync(join(dir, 'plain.js'), 'export const x = 1;\n');
    expect(await compiledConnector(pathToFileURL(join(dir, 'plain.js')).href, env)).toBeUndefined();
  });

  it('leaves to tsx a connector importing a package written in TypeScript, which Node cannot import from the cached module', async () => {
    const { dir, entry, env } = connectorFolder();
    // A team's own shared package in a monorepo, exporting its TypeScript source.
    const shared = join(dir, 'node_modules', '@acme', 'shared');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'package.json'), JSON.stringify({ name: '@acme/shared', type: 'module', exports: './index.ts' }));
    writeFileSync(join(shared, 'index.ts'), "export const host = (name: string): string => `acme:${name}`;\n");
    writeFileSync(join(dir, 'connector.ts'), "import { host } from '@acme/shared';\nexport const name: string = host('x');\n");
    expect(await compiledConnector(entry, env)).toBeUndefined();
    const manifests = readdirSync(env.EVIDENTIA_CACHE_DIR!).filter((file) => file.endsWith('.json'));
    expect(manifests.map((file) => JSON.parse(readFileSync(join(env.EVIDENTIA_CACHE_DIR!, file), 'utf8')).output)).toEqual([null]);
  });
});
