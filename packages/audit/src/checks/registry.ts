/**
 * Which checks run, with which settings. The built-in library always runs;
 * custom checks load from the paths (relative to the config file) or package
 * names listed under `checks.custom`, like custom connectors, and are held to
 * the same rules. Every other key under `checks` is a check id whose value is
 * that check's settings, validated by the check's own schema. Every problem
 * is reported at once with its path in the config, before anything runs.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { AuditConfig } from '../audit-config.js';
import { checkProblems, type CheckDefinition } from './define.js';
import { builtInChecks } from './library/index.js';

export interface ConfiguredCheck {
  definition: CheckDefinition<unknown>;
  settings: unknown;
  /** The audit time zone (the config's `timezone`) the check counts days in; UTC when absent. */
  timezone?: string;
}

const CustomList = z.array(z.string().min(1));

async function importChecks(specifier: string, baseDir: string): Promise<CheckDefinition<unknown>[]> {
  let target = specifier;
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const file = resolve(baseDir, specifier);
    if (!existsSync(file)) throw new Error(`custom check module ${file} does not exist`);
    target = pathToFileURL(file).href;
  }
  let loaded: { default?: unknown; check?: unknown; checks?: unknown };
  try {
    loaded = (await import(target)) as typeof loaded;
  } catch (error) {
    throw new Error(`cannot load custom check ${specifier}: ${(error as Error).message}`);
  }
  const exported = loaded.checks ?? loaded.check ?? loaded.default;
  const list = Array.isArray(exported) ? exported : [exported];
  const problems = list.flatMap((check) => checkProblems(check).map((problem) => `${String((check as { id?: unknown })?.id ?? 'export')}: ${problem}`));
  if (exported === undefined) problems.push('it has no default export or export named "check" or "checks"');
  if (problems.length > 0) throw new Error(`custom check ${specifier} is not a valid check: ${problems.join('; ')}`);
  return list as CheckDefinition<unknown>[];
}

/** The checks to run: the library plus custom checks, each with its validated settings. */
/** Checks whose settings are a section of their own in the config rather than under `checks`. */
const SECTIONS: Readonly<Record<string, 'accessReviews'>> = { 'access-review-performed': 'accessReviews' };

export async function configuredChecks(config: (Pick<AuditConfig, 'file' | 'checks'> & Partial<Pick<AuditConfig, 'accessReviews' | 'timezone'>>) | null): Promise<ConfiguredCheck[]> {
  const raw: Record<string, unknown> = config?.checks ?? {};
  const file = config?.file ?? '(no configuration)';
  const problems: { path: string; message: string }[] = [];
  const definitions = [...builtInChecks];
  const custom = CustomList.safeParse(raw.custom ?? []);
  if (!custom.success) problems.push({ path: 'checks.custom', message: 'expected a list of module paths or package names' });
  for (const [index, specifier] of (custom.success ? custom.data : []).entries()) {
    try {
      definitions.push(...(await importChecks(specifier, dirname(file))));
    } catch (error) {
      problems.push({ path: `checks.custom.${index}`, message: (error as Error).message });
    }
  }
  const ids = new Set<string>();
  for (const definition of definitions) {
    if (ids.has(definition.id)) problems.push({ path: 'checks.custom', message: `two checks have the id ${definition.id}` });
    ids.add(definition.id);
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'custom' && !ids.has(key)) problems.push({ path: `checks.${key}`, message: `no check has the id ${key}; checks are ${[...ids].join(', ')}` });
  }
  const checks: ConfiguredCheck[] = [];
  for (const definition of definitions) {
    const section = SECTIONS[definition.id];
    if (section && raw[definition.id] !== undefined) problems.push({ path: `checks.${definition.id}`, message: `configure this check under ${section}: instead` });
    const parsed = definition.settings.safeParse((section ? config?.[section] : raw[definition.id]) ?? {});
    if (parsed.success) checks.push({ definition, settings: parsed.data, ...(config?.timezone ? { timezone: config.timezone } : {}) });
    else for (const issue of parsed.error.issues) problems.push({ path: [...(section ? [section] : ['checks', definition.id]), ...issue.path.map(String)].join('.'), message: issue.message });
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return checks;
}
