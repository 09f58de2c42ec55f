/**
 * `defineConnector`: the one entry point for connector authors. It checks the
 * definition's shape at load time so a broken custom connector fails with a
 * clear message before any collection starts.
 */
import { customKindNameProblem, isRecordKind, kindSchemaProblem, recordKindRegistry } from '@evidentia/evidence';
import type { ConnectorDefinition } from './types.js';

const ID_PATTERN = /^[a-z][a-z0-9-]*$/;
const STREAM_PATTERN = /^[a-z][a-z0-9_]*$/;

export class ConnectorDefinitionError extends Error {
  override name = 'ConnectorDefinitionError';
}

/** Declare a connector. Returns the definition unchanged after checking it. */
export function defineConnector<C>(definition: ConnectorDefinition<C>): ConnectorDefinition<C> {
  const problems = definitionProblems(definition as ConnectorDefinition<unknown>);
  if (problems.length > 0) {
    throw new ConnectorDefinitionError(`connector ${String(definition?.id)}: ${problems.join('; ')}`);
  }
  declareConnectorKinds(definition as ConnectorDefinition<unknown>);
  return definition;
}

/**
 * Declare the connector's own record kinds in the process's kind registry, so
 * its records validate wherever they are written. `module` is the file the
 * definition was loaded from, when the caller knows it. Throws (naming the
 * connector and the kind) when another connector already declared one of
 * them, or (naming both modules) another module with the same connector id.
 */
export function declareConnectorKinds(definition: ConnectorDefinition<unknown>, module?: string): void {
  for (const [name, schema] of Object.entries(definition.kinds ?? {})) recordKindRegistry.declare(name, schema, definition.id, module);
}

function kindProblems(definition: ConnectorDefinition<unknown>): string[] {
  if (definition.kinds === undefined) return [];
  if (typeof definition.kinds !== 'object' || definition.kinds === null) return ['kinds must map kind names to zod schemas'];
  return Object.entries(definition.kinds).flatMap(([name, schema]) => {
    const problem = customKindNameProblem(name) ?? kindSchemaProblem(schema);
    return problem ? [`kind ${name}: ${problem}`] : [];
  });
}

/** Every problem with a connector definition (empty when it is usable). Also used for custom connectors loaded from a path. */
export function definitionProblems(definition: ConnectorDefinition<unknown>): string[] {
  const problems: string[] = [];
  if (typeof definition !== 'object' || definition === null) return ['the module does not export a connector definition'];
  if (typeof definition.id !== 'string' || !ID_PATTERN.test(definition.id)) problems.push('id must be lower-case letters, digits and dashes');
  if (typeof definition.version !== 'string' || definition.version === '') problems.push('version is required');
  if (typeof definition.configSchema?.safeParse !== 'function') problems.push('configSchema must be a zod schema');
  if (typeof definition.system !== 'function') problems.push('system(config) is required');
  problems.push(...kindProblems(definition));
  const ownKinds = new Set(Object.keys(definition.kinds ?? {}));
  const streams = Object.entries(definition.streams ?? {});
  if (streams.length === 0) problems.push('at least one stream is required');
  for (const [name, stream] of streams) {
    if (!STREAM_PATTERN.test(name)) problems.push(`stream ${name}: name must be lower-case letters, digits and underscores`);
    // A module without types can hand anything here: each problem is said, never a TypeError from reading it.
    if (typeof stream !== 'object' || stream === null) {
      problems.push(`stream ${name}: must be an object with type, kind, controls and collect(), got ${stream === null ? 'null' : typeof stream}`);
      continue;
    }
    if (stream.type !== 'state' && stream.type !== 'event') problems.push(`stream ${name}: type must be 'state' or 'event'`);
    const own = ownKinds.has(stream.kind);
    if (!own && !isRecordKind(stream.kind)) problems.push(`stream ${name}: unknown record kind ${String(stream.kind)} (neither built in nor declared in kinds)`);
    if (typeof stream.collect !== 'function') problems.push(`stream ${name}: collect() is required`);
    const notNames = Array.isArray(stream.controls) ? stream.controls.filter((id: unknown) => typeof id !== 'string') : [];
    if (!Array.isArray(stream.controls)) problems.push(`stream ${name}: controls must be a list of criteria`);
    else if (notNames.length > 0) problems.push(`stream ${name}: controls must be a list of criteria such as CC6.1, got ${notNames.map((id) => JSON.stringify(id) ?? String(id)).join(', ')}`);
    else if (own && stream.controls.length === 0) problems.push(`stream ${name}: controls must name the criteria its ${stream.kind} records serve (a connector's own kind has no default criteria)`);
  }
  return problems;
}
