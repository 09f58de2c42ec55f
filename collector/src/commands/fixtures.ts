/**
 * `evidentia fixtures record`: run one stream of a configured connector for
 * real, through a recording proxy, and save its traffic as a cassette for the
 * replay server, with credentials stripped and personal data redacted. This
 * is how connector tests get realistic fixtures without keeping secrets.
 */
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { MemorySink, runStream } from '@evidentia/sdk';
import { startRecordingProxy } from '@evidentia/cassettes';
import { readRange, UsageError } from '@evidentia/audit';
import { knownSecrets } from '../config/known-secrets.js';
import { requireConfig } from '../context.js';
import { chosenStream, connectorCode } from './stream-choice.js';
import { COLLECTOR_VERSION } from '@evidentia/evidence';
import type { Wrap } from './wrap.js';

interface RecordFlags {
  config?: string;
  connector: string;
  stream: string;
  out: string;
  upstream?: string;
  since?: string;
  until?: string;
  description?: string;
}

export function registerFixtures(program: Command, wrap: Wrap): void {
  const fixtures = program.command('fixtures').description('record API fixtures for connector tests');
  fixtures
    .command('record')
    .description("record one stream's API traffic into a cassette (credentials stripped, personal data redacted)")
    .requiredOption('--connector <id>', 'connector entry in the config')
    .requiredOption('--stream <name>', 'stream to run')
    .requiredOption('--out <file>', 'cassette file to write')
    .option('--config <file>', 'configuration file')
    .option('--upstream <url>', "API base URL to record from (default: the connector's configured base URL)")
    .option('--since <date>', 'event streams: range start (a date starts that day in the configured time zone)')
    .option('--until <date>', 'event streams: range end (a date includes that day)')
    .option('--description <text>', 'what the recording shows')
    .action(
      wrap(async (flags: RecordFlags) => {
        const config = await requireConfig(flags);
        const { instance, stream } = chosenStream(config, flags);
        const apiBase = instance.definition.apiBase;
        if (!apiBase) throw new UsageError(`connector ${instance.definition.id} does not declare apiBase, so it cannot be recorded`);
        // The config's secrets are kept out of the cassette wherever the connector sends them, whatever it calls them.
        const upstream = flags.upstream ?? connectorCode(instance, 'apiBase.read(config)', () => apiBase.read(instance.config));
        const proxy = await startRecordingProxy({ upstream, secrets: knownSecrets() });
        try {
          const sink = new MemorySink();
          const outcome = await runStream({
            connector: instance.definition,
            instance: instance.id,
            config: connectorCode(instance, 'apiBase.override(config, baseUrl)', () => apiBase.override(instance.config, proxy.baseUrl)),
            stream: stream.name,
            sink,
            cursor: null,
            ...readRange(flags, config),
            controls: stream.controls,
            collectorVersion: COLLECTOR_VERSION,
            configDir: dirname(config.file),
          });
          const file = resolve(flags.out);
          await proxy.save(file, flags.description ?? `${instance.definition.id}/${stream.name} recorded by evidentia ${COLLECTOR_VERSION}`);
          process.stdout.write(`recorded ${outcome.requests} requests (${outcome.status}${outcome.error ? `: ${outcome.error}` : ''}) into ${file}\n`);
          return outcome.status === 'complete' ? 0 : 1;
        } finally {
          await proxy.close();
        }
      }),
    );
}
