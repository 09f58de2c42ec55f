/**
 * The top-level `controls:` overrides checked against what the configuration
 * collects. An override is applied only when a stream resolves its criteria,
 * so one keyed by a misspelt stream, a connector the config does not list or
 * a kind no stream collects changed nothing and said nothing: the defaults it
 * was written to replace stayed in every report. Each must name something,
 * and its criteria are checked even where nothing uses them yet (a connector
 * switched off).
 */
import { CatalogError, resolveControls } from '@evidentia/catalog';
import type { ConnectorDefinition } from '@evidentia/sdk';

export interface OverrideProblem {
  path: string;
  message: string;
}

/**
 * `connectors` holds every connector the config lists, by its key, with its
 * definition; null when it could not be loaded (a custom connector switched
 * off, or one that failed to load, which is reported on its own).
 */
export function controlOverrideProblems(
  controls: Readonly<Record<string, readonly string[]>>,
  connectors: ReadonlyMap<string, ConnectorDefinition<unknown> | null>,
): OverrideProblem[] {
  const definitions = [...connectors.values()];
  const collected = new Set(definitions.flatMap((definition) => Object.values(definition?.streams ?? {}).map((stream) => stream.kind)));
  const kindsKnown = definitions.every((definition) => definition !== null);
  const problems: OverrideProblem[] = [];
  for (const [key, criteria] of Object.entries(controls)) {
    const named = namesNothing(key, connectors, kindsKnown ? collected : null);
    const problem = named ?? criteriaProblem(key, criteria);
    if (problem) problems.push({ path: `controls.${key}`, message: problem });
  }
  return problems;
}

function namesNothing(key: string, connectors: ReadonlyMap<string, ConnectorDefinition<unknown> | null>, collected: ReadonlySet<string> | null): string | null {
  const slash = key.indexOf('/');
  if (slash < 0) {
    if (collected === null || collected.has(key)) return null;
    return `no configured stream collects ${key} records (they collect ${[...collected].sort().join(', ') || 'nothing'}); this override would change nothing`;
  }
  const [instance, stream] = [key.slice(0, slash), key.slice(slash + 1)];
  if (!connectors.has(instance)) return `no connector ${instance} in connectors (there are: ${[...connectors.keys()].join(', ') || 'none'})`;
  const definition = connectors.get(instance);
  if (!definition || Object.hasOwn(definition.streams, stream)) return null;
  return `connector ${instance} has no stream ${stream}; it has ${Object.keys(definition.streams).join(', ')}`;
}

function criteriaProblem(key: string, criteria: readonly string[]): string | null {
  try {
    resolveControls(key, [], { [key]: criteria }, key.includes('/') ? key : undefined);
    return null;
  } catch (error) {
    if (error instanceof CatalogError) return error.message;
    throw error;
  }
}
