/**
 * `defineConnector`: the one entry point for connector authors. It checks the
 * definition's shape at load time so a broken custom connector fails with a
 * clear message before any collection starts.
 */
import { RECORD_KINDS } from '@evidentia/evidence';
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
  return definition;
}

/** Every problem with a connector definition (empty when it is usable). Also used for custom connectors loaded from a path. */
export function definitionProblems(definition: ConnectorDefinition<unknown>): string[] {
  const problems: string[] = [];
  if (typeof definition !== 'object' || definition === null) return ['the module does not export a connector definition'];
  if (typeof definition.id !== 'string' || !ID_PATTERN.test(definition.id)) problems.push('id must be lower-case letters, digits and dashes');
  if (typeof definition.version !== 'string' || definition.version === '') problems.push('version is required');
  if (typeof definition.configSchema?.safeParse !== 'function') problems.push('configSchema must be a zod schema');
  if (typeof definition.system !== 'function') problems.push('system(config) is required');
  const streams = Object.entries(definition.streams ?? {});
  if (streams.length === 0) problems.push('at least one stream is required');
  for (const [name, stream] of streams) {
    if (!STREAM_PATTERN.test(name)) problems.push(`stream ${name}: name must be lower-case letters, digits and underscores`);
    if (stream.type !== 'state' && stream.type !== 'event') problems.push(`stream ${name}: type must be 'state' or 'event'`);
    if (!RECORD_KINDS.includes(stream.kind)) problems.push(`stream ${name}: unknown record kind ${String(stream.kind)}`);
    if (typeof stream.collect !== 'function') problems.push(`stream ${name}: collect() is required`);
    if (!Array.isArray(stream.controls)) problems.push(`stream ${name}: controls must be a list of criteria`);
  }
  return problems;
}
