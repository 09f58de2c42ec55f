/**
 * Every built-in connector, loaded: for the commands that need them all (the
 * demo, the connector listing), kept apart from built-in-connectors.ts so
 * that loading a config does not load them.
 */
import type { ConnectorDefinition } from '@evidentia/sdk';
import { BUILT_IN_CONNECTOR_IDS, builtInConnector } from './built-in-connectors.js';

export const builtInConnectors: Readonly<Record<string, ConnectorDefinition<unknown>>> = Object.fromEntries(
  await Promise.all(BUILT_IN_CONNECTOR_IDS.map(async (id) => [id, (await builtInConnector(id))!] as const)),
);
