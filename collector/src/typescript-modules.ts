/**
 * Custom connectors and custom checks may be TypeScript files (`module:
 * ./connector.ts`, `checks.custom: [./checks/x.ts]`, relative to the config).
 * The compiled CLI runs no TypeScript of its own, so before one is imported
 * it registers tsx's module hooks, once: the loader connectors/README.md
 * names. The CLI running from its sources has them registered already.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;
let registered = import.meta.url.endsWith('.ts');

/** Make `target` (a file: URL or a package name) importable when it is a TypeScript file. */
export async function allowTypeScript(target: string): Promise<void> {
  if (registered || !target.startsWith('file:') || !TYPESCRIPT.test(new URL(target).pathname)) return;
  (await import('tsx/esm/api')).register();
  registered = true;
}

/** The same for the custom checks a config lists (`checks.custom`), which the audit package imports. */
export async function allowTypeScriptChecks(checks: unknown, baseDir: string): Promise<void> {
  const custom = typeof checks === 'object' && checks !== null ? (checks as { custom?: unknown }).custom : undefined;
  for (const specifier of Array.isArray(custom) ? custom : []) {
    if (typeof specifier === 'string' && (specifier.startsWith('.') || isAbsolute(specifier))) await allowTypeScript(pathToFileURL(resolve(baseDir, specifier)).href);
  }
}
