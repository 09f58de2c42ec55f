/**
 * `evidentia connectors`: the built-in connectors and the custom ones the
 * config loads, with their streams, record kinds, criteria and credentials;
 * `connectors new` and `connectors try` are the author's tools beside it.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ConnectorDefinition } from '@evidentia/sdk';
import { renderTable } from '@evidentia/audit';
import { builtInConnectors } from '../all-built-in-connectors.js';
import { findConfig } from '../context.js';
import type { LoadedConfig } from '../config/load.js';
import { looksLikePath } from '../registry.js';
import { registerConnectorsNew } from './connectors-new.js';
import { registerConnectorsTry } from './connectors-try.js';
import type { Wrap } from './wrap.js';

function describeDefinition(connector: ConnectorDefinition<unknown>) {
  return {
    id: connector.id,
    version: connector.version,
    title: connector.title,
    credentials: connector.credentials,
    streams: Object.entries(connector.streams).map(([name, stream]) => ({
      name,
      type: stream.type,
      kind: stream.kind,
      controls: stream.controls,
      description: stream.description,
      retentionDays: stream.retentionDays ?? null,
    })),
  };
}

/** Every built-in connector (`source: built-in`), then each custom connector entry of the config (`source: custom`, with its entry name and module). */
export function describeConnectors(config: LoadedConfig | null = null) {
  const builtIn = Object.values(builtInConnectors).map((connector) => ({ ...describeDefinition(connector), source: 'built-in' as const }));
  const custom = (config?.instances ?? [])
    .filter((instance) => instance.module !== undefined)
    .map((instance) => {
      const module = instance.module!;
      return { ...describeDefinition(instance.definition), source: 'custom' as const, instance: instance.id, module: looksLikePath(module) ? resolve(dirname(config!.file), module) : module };
    });
  return [...builtIn, ...custom];
}

export function registerConnectors(program: Command, wrap: Wrap): void {
  const connectors = program
    .command('connectors')
    .description('list the built-in connectors and the custom ones the config loads, with their streams')
    .option('--config <file>', 'configuration file whose custom connectors to list (default ./evidentia.yaml when present)')
    .option('--json', 'print JSON')
    // With the program's, `connectors try --config F` is try's option, not the listing's.
    .enablePositionalOptions()
    .action(
      wrap(async (flags: { json?: boolean; config?: string }) => {
        const connectors = describeConnectors(await findConfig(flags, { credentials: false }));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(connectors, null, 2)}\n`);
          return 0;
        }
        const rows = connectors.flatMap((c) => c.streams.map((s) => [c.source === 'custom' ? c.instance : c.id, s.name, s.type, s.kind, s.controls.join(' '), s.description]));
        process.stdout.write(renderTable(['connector', 'stream', 'type', 'kind', 'controls', 'what it collects'], rows));
        const custom = connectors.flatMap((c) => (c.source === 'custom' ? [[c.instance, c.id, c.version, c.module]] : []));
        if (custom.length > 0) process.stdout.write(`\ncustom connectors:\n${renderTable(['connector', 'id', 'version', 'module'], custom)}`);
        return 0;
      }),
    );
  registerConnectorsNew(connectors, wrap);
  registerConnectorsTry(connectors, wrap);
}
