/**
 * A TypeScript custom connector, compiled once to JavaScript and kept in a
 * cache, so a start that loads it (`status` reads the config, and so loads its
 * connectors) needs neither tsx nor a module hooks thread: together they cost
 * a start about 190 ms (BENCHMARKS.md, CLI start time).
 *
 * esbuild bundles the connector's own files (its relative imports) into one
 * .mjs; every package it imports stays an import, rewritten to the file Node
 * resolves it to from the connector's folder (or, for @evidentia/sdk and zod
 * when that folder has none, from this CLI: as collector/bin/custom-modules.js
 * does), so the cached file loads from anywhere. A manifest beside it records
 * the SHA-256 of every file bundled and of the package.json nearest to the
 * connector: a changed byte in any of them, a package file gone, or another
 * CLI install compiles again; a changed connector is never served stale.
 *
 * Not cached (loaded through tsx as before): a file whose code depends on
 * where it lies (import.meta, require, __dirname, a dynamic import) or that
 * imports a package whose entry is TypeScript, which Node cannot import
 * without tsx (the manifest says so for those very files, so later starts do
 * not compile them again to find out), a compile that fails (tsx then reports the error as it
 * always has), a cache that cannot be written. The cache folder is
 * EVIDENTIA_CACHE_DIR, else $XDG_CACHE_HOME/evidentia/connectors, else
 * ~/.cache/evidentia/connectors.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;
const SHARED = /^(?:zod|@evidentia\/sdk)(?:\/|$)/;
/** Code whose meaning depends on the file's own location, which the cached copy does not share. */
const LOCATION_DEPENDENT = /\bimport\.meta\b|\bimport\s*\(|\brequire\s*\(|\b__dirname\b|\b__filename\b/;
const FORMAT = 1;
/** Where @evidentia/sdk and zod resolve from when the connector's folder has none: this CLI. */
const CLI_DIR = dirname(fileURLToPath(import.meta.url));

interface Manifest {
  format: number;
  cli: string;
  entry: string;
  /** Absolute path → SHA-256 of every file the output was made from. */
  inputs: Record<string, string>;
  /** Files the output imports (packages), which must still exist. */
  imports: string[];
  /** The compiled module's file name; null: these very files are not to be cached (LOCATION_DEPENDENT), load them through tsx. */
  output: string | null;
}

export function connectorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVIDENTIA_CACHE_DIR) return resolve(env.EVIDENTIA_CACHE_DIR);
  return join(env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache'), 'evidentia', 'connectors');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function hashOf(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** The package.json nearest to `file`, whose dependencies decide what its imports resolve to. */
function nearestManifest(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'package.json');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The cached output for `file` when every file it was made from is unchanged (null: known not cacheable), else undefined. */
function cached(cacheDir: string, manifestFile: string, file: string): string | null | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.cli !== CLI_DIR || manifest.entry !== file) return undefined;
  const packageJson = nearestManifest(file);
  if (packageJson !== undefined && !Object.hasOwn(manifest.inputs, packageJson)) return undefined;
  if (Object.entries(manifest.inputs).some(([input, hash]) => hashOf(input) !== hash)) return undefined;
  if (manifest.output === null) return null;
  const output = join(cacheDir, manifest.output);
  if (!manifest.imports.every((path) => existsSync(path))) return undefined;
  // The output is named by the hash of what it was made from and its code: a file altered or cut short in the cache compiles again.
  const code = readText(output);
  return code !== undefined && outputName(manifest.inputs, code) === manifest.output ? output : undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const outputName = (inputs: Record<string, string>, code: string) => `${sha256(JSON.stringify(inputs) + code).slice(0, 32)}.mjs`;

/** Write `text` to `file` whole or not at all (a start reading it meanwhile sees the old one or none). */
function writeWhole(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Compile `file` into the cache; the output's path, or null/undefined when it is not to be cached. */
async function compile(cacheDir: string, manifestFile: string, file: string): Promise<string | null | undefined> {
  const esbuild = await import('esbuild');
  const imports = new Set<string>();
  // A package whose entry is TypeScript (a monorepo's shared package exporting its source) only loads through tsx.
  let importsTypeScript = false;
  const result = await esbuild
    .build({
      entryPoints: [file],
      absWorkingDir: dirname(file),
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      // As Node resolves: the "import" and "node" conditions and "main", not esbuild's "module" additions.
      conditions: [],
      mainFields: ['main'],
      plugins: [
        {
          name: 'packages-as-files',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              if (args.kind === 'entry-point' || isAbsolute(args.path) || args.pluginData === 'inner') return undefined;
              if (isBuiltin(args.path)) return { path: args.path, external: true };
              let found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'inner' });
              if (found.errors.length > 0 && SHARED.test(args.path)) found = await build.resolve(args.path, { kind: args.kind, resolveDir: CLI_DIR, pluginData: 'inner' });
              if (found.errors.length > 0) return { errors: found.errors };
              if (TYPESCRIPT.test(found.path)) importsTypeScript = true;
              imports.add(found.path);
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
      ],
    })
    .catch(() => undefined);
  if (!result?.metafile || !result.outputFiles?.[0]) return undefined;
  const inputs: Record<string, string> = {};
  let cacheable = !importsTypeScript;
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = resolve(dirname(file), input);
    const text = readFileSync(path, 'utf8');
    if (LOCATION_DEPENDENT.test(text)) cacheable = false;
    inputs[path] = sha256(text);
  }
  const packageJson = nearestManifest(file);
  if (packageJson !== undefined) inputs[packageJson] = hashOf(packageJson) ?? '';
  const code = result.outputFiles[0].text;
  // Not cacheable: the manifest alone says so for these very files, so later starts skip the compile too.
  const output = cacheable ? outputName(inputs, code) : null;
  try {
    mkdirSync(cacheDir, { recursive: true });
    if (output !== null) writeWhole(join(cacheDir, output), code);
    const manifest: Manifest = { format: FORMAT, cli: CLI_DIR, entry: file, inputs, imports: [...imports].sort(), output };
    writeWhole(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  } catch {
    return undefined;
  }
  return output === null ? null : join(cacheDir, output);
}

/**
 * The compiled, cached form of the TypeScript connector at `target` (a file: URL), compiled now when the
 * cache has none for its current content; undefined for anything not to be loaded this way (see above).
 */
export async function compiledConnector(target: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!target.startsWith('file:') || env.EVIDENTIA_CONNECTOR_CACHE === '0') return undefined;
  const file = fileURLToPath(target);
  if (!TYPESCRIPT.test(file) || file.includes('/node_modules/')) return undefined;
  const cacheDir = connectorCacheDir(env);
  const manifestFile = join(cacheDir, `${sha256(file).slice(0, 32)}.json`);
  const known = cached(cacheDir, manifestFile, file);
  const output = known === undefined ? await compile(cacheDir, manifestFile, file) : known;
  return typeof output === 'string' ? pathToFileURL(output).href : undefined;
}
