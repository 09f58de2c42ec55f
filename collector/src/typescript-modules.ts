/**
 * Custom connectors and custom checks may be TypeScript files (`module:
 * ./connector.ts`, `checks.custom: [./checks/x.ts]`, relative to the config).
 * The compiled CLI runs no TypeScript of its own, so before one is imported
 * it registers tsx's module hooks, once: the loader connectors/README.md
 * names. The CLI running from its sources has them registered already.
 */
import { register } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;
let tsxRegistered = import.meta.url.endsWith('.ts');
let customHooksRegistered = false;

/**
 * Make `target` (a file: URL or a package name) importable: tsx's hooks for a TypeScript file, and for any
 * file of the user's the hooks of collector/bin/custom-modules.js (registered after tsx's, so they run
 * first): the file is an ES module, and @evidentia/sdk and zod resolve from this CLI when its folder has none.
 */
export async function allowTypeScript(target: string): Promise<void> {
  if (!target.startsWith('file:')) return;
  if (!tsxRegistered && TYPESCRIPT.test(new URL(target).pathname)) {
    (await import('tsx/esm/api')).register();
    tsxRegistered = true;
  }
  if (customHooksRegistered) return;
  customHooksRegistered = true;
  try {
    register('../bin/custom-modules.js', { parentURL: import.meta.url, data: { fallbackParent: import.meta.url } });
  } catch {
    // A host that refuses module hooks (jest's sandbox, which resolves modules itself): the import below then
    // resolves as that host does, and a package it cannot find fails the load naming it.
  }
}

/** The same for the custom checks a config lists (`checks.custom`), which the audit package imports. */
export async function allowTypeScriptChecks(checks: unknown, baseDir: string): Promise<void> {
  const custom = typeof checks === 'object' && checks !== null ? (checks as { custom?: unknown }).custom : undefined;
  for (const specifier of Array.isArray(custom) ? custom : []) {
    if (typeof specifier === 'string' && (specifier.startsWith('.') || isAbsolute(specifier))) await allowTypeScript(pathToFileURL(resolve(baseDir, specifier)).href);
  }
}
