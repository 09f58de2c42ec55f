/** `evidentia connectors`: the built-in connectors, their streams, record kinds, criteria and credentials. */
import type { Command } from 'commander';
import { builtInConnectors } from '../built-in-connectors.js';
import { renderTable } from '@evidentia/audit';
import type { Wrap } from './wrap.js';

export function describeConnectors() {
  return Object.values(builtInConnectors).map((connector) => ({
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
  }));
}

export function registerConnectors(program: Command, wrap: Wrap): void {
  program
    .command('connectors')
    .description('list built-in connectors and their streams')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: { json?: boolean }) => {
        const connectors = describeConnectors();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(connectors, null, 2)}\n`);
          return 0;
        }
        const rows = connectors.flatMap((c) => c.streams.map((s) => [c.id, s.name, s.type, s.kind, s.controls.join(' '), s.description]));
        process.stdout.write(renderTable(['connector', 'stream', 'type', 'kind', 'controls', 'what it collects'], rows));
        return 0;
      }),
    );
}
