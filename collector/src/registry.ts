/**
 * The connector registry: built-in connectors (listed in built-in-connectors.ts,
 * checked by a test against the connectors/ folder), and custom connectors
 * loaded from a path or package named in the config. A custom connector is
 * checked with the same rules as a built-in one before it is used, and the
 * record kinds it declares are registered for validation.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { declareConnectorKinds, definitionProblems, type ConnectorDefinition } from '@evidentia/sdk';
import { BUILT_IN_CONNECTOR_IDS, builtInConnector } from './built-in-connectors.js';
import { compiledConnector } from './compiled-connectors.js';
import { allowTypeScript } from './typescript-modules.js';

/** The CLI running from its TypeScript sources (tsx, jest) loads connectors through tsx; the compiled CLI from its cache. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** A module specifier that names a file (relative or absolute) rather than a package. */
export function looksLikePath(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier);
}

/**
 * Where `import(name)` from `baseDir` leads, by Node's ES module rules (the "import" condition), which
 * require.resolve does not apply: esbuild's resolver, asked from that folder. Undefined when it finds none.
 */
async function resolveAsImport(name: string, baseDir: string): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  let found: string | undefined;
  await esbuild
    .build({
      stdin: { contents: `import ${JSON.stringify(name)};`, resolveDir: baseDir },
      bundle: true,
      write: false,
      platform: 'node',
      logLevel: 'silent',
      // As Node resolves: the "import" and "node" conditions and "main", not esbuild's "module" additions.
      conditions: [],
      mainFields: ['main'],
      plugins: [
        {
          name: 'find-package',
          setup(build) {
            build.onResolve({ filter: /.*/ }, async (args) => {
              if (args.kind === 'entry-point' || args.pluginData === 'inner') return undefined;
              const result = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
              if (result.errors.length === 0) found = result.path;
              return { path: args.path, external: true };
            });
          },
        },
      ],
    })
    .catch(() => undefined);
  return found;
}

/**
 * A package named in the config resolves from the config file's directory
 * (the user's project), not from evidentia's own install: as require.resolve
 * finds it, else (a package that exports an ES module entry only) as an
 * import from there would. One found in neither way falls back to
 * evidentia's own resolution.
 */
async function resolvePackage(name: string, baseDir: string): Promise<string> {
  try {
    return pathToFileURL(createRequire(join(baseDir, 'evidentia.config.js')).resolve(name)).href;
  } catch {
    const found = await resolveAsImport(name, baseDir);
    return found === undefined ? name : pathToFileURL(found).href;
  }
}

/**
 * A connector definition by built-in id, or (custom) by module path relative
 * to `baseDir` or package name. The module's default export, or its export
 * named `connector`, must be a definition made with defineConnector.
 */
export async function loadConnector(specifier: string, options: { baseDir: string; custom: boolean }): Promise<ConnectorDefinition<unknown>> {
  if (!options.custom) {
    const builtIn = await builtInConnector(specifier);
    if (!builtIn) throw new Error(`unknown connector type "${specifier}"; built-in types are ${BUILT_IN_CONNECTOR_IDS.join(', ')} (use module: for a custom connector)`);
    return builtIn;
  }
  let target = specifier;
  if (looksLikePath(specifier)) {
    const file = resolve(options.baseDir, specifier);
    if (!existsSync(file)) throw new Error(`custom connector module ${file} does not exist`);
    target = pathToFileURL(file).href;
  } else {
    target = await resolvePackage(specifier, options.baseDir);
  }
  let loaded: { default?: unknown; connector?: unknown };
  try {
    const compiled = FROM_SOURCES ? undefined : await compiledConnector(target);
    if (compiled === undefined) await allowTypeScript(target);
    loaded = (await import(compiled ?? target)) as { default?: unknown; connector?: unknown };
  } catch (error) {
    throw new Error(`cannot load custom connector ${specifier}: ${(error as Error).message}`);
  }
  const definition = (loaded.connector ?? loaded.default) as ConnectorDefinition<unknown> | undefined;
  const problems = definition ? definitionProblems(definition) : ['it has no default export or export named "connector"'];
  if (problems.length > 0) throw new Error(`custom connector ${specifier} is not a valid connector: ${problems.join('; ')}`);
  // Its own kinds are declared before anything is collected, so a clash with another connector's stops the load.
  try {
    declareConnectorKinds(definition as ConnectorDefinition<unknown>, target.startsWith('file:') ? fileURLToPath(target) : target);
  } catch (error) {
    throw new Error(`custom connector ${specifier}: ${(error as Error).message}`);
  }
  return definition as ConnectorDefinition<unknown>;
}
