// Module hooks for custom connectors and checks (registered by collector/src/typescript-modules.ts before
// one is imported). A connector may be a single file next to the config, in a folder with no package.json
// and no node_modules of its own:
// - it is an ES module: tsx would take a .ts file outside any package for CommonJS, and its import lines
//   then fail ("Cannot require() ES Module … in a cycle"); so would a .js file written as an ES module once
//   tsx is registered (the CLI run from its sources, or a TypeScript custom check or connector loaded first),
//   so one whose code does not compile as CommonJS is an ES module, as Node itself detects without tsx;
// - @evidentia/sdk and zod resolve from the CLI's own location when the connector's folder has none, so a
//   connector uses the very SDK and zod the CLI validates its records with.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const SHARED = /^(?:zod|@evidentia\/sdk)(?:\/|$)/;
const TYPESCRIPT = /\.[cm]?ts$/;
let fallbackParent;

export function initialize(data) {
  fallbackParent = data.fallbackParent;
}

/** The "type" of the package.json nearest to `file`, or undefined when there is none or it names none. */
function packageType(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Whether the code of `file` fails to compile as CommonJS (import or export statements, import.meta, top-level await). */
function hasModuleSyntax(file) {
  try {
    new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
    return false;
  } catch (error) {
    return error instanceof SyntaxError;
  }
}

/** A file of the user's own (not from an installed package) that no package.json says the type of, to load as an ES module. */
function untypedModule(url) {
  if (!url.startsWith('file:') || url.includes('/node_modules/')) return false;
  const file = fileURLToPath(url);
  if (packageType(file) !== undefined) return false;
  if (TYPESCRIPT.test(file)) return !file.endsWith('.cts');
  return file.endsWith('.js') && hasModuleSyntax(file);
}

export async function resolve(specifier, context, nextResolve) {
  let result;
  try {
    result = await nextResolve(specifier, context);
  } catch (error) {
    const fromUserFile = context.parentURL?.startsWith('file:') && !context.parentURL.includes('/node_modules/');
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !SHARED.test(specifier) || !fromUserFile) throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParent });
  }
  return result.format === 'commonjs' && untypedModule(result.url) ? { ...result, format: 'module' } : result;
}
