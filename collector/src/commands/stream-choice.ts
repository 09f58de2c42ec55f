/**
 * The one configured stream a single-stream command runs (`fixtures record`,
 * `connectors try`): the connector entry named by --connector and its
 * enabled stream named by --stream, or a usage error saying which is missing.
 */
import { UsageError } from '@evidentia/audit';
import { describeError } from '@evidentia/sdk';
import type { ConfiguredStream, ConnectorInstance, LoadedConfig } from '../config/load.js';

export function chosenStream(config: LoadedConfig, flags: { connector: string; stream: string }): { instance: ConnectorInstance; stream: ConfiguredStream } {
  const instance = config.instances.find((candidate) => candidate.id === flags.connector);
  if (!instance) throw new UsageError(`--connector ${flags.connector}: no such connector in ${config.file}; it has ${config.instances.map((candidate) => candidate.id).join(', ') || 'none'}`);
  const stream = instance.streams.find((candidate) => candidate.name === flags.stream);
  if (!stream) throw new UsageError(`--stream ${flags.stream}: connector ${instance.id} has no enabled stream of that name; it has ${instance.streams.map((candidate) => candidate.name).join(', ') || 'none'}`);
  return { instance, stream };
}

/**
 * What the connector's own code (`apiBase.read`, `apiBase.override`) returns, or a usage error naming the
 * connector, its module and the call when that code throws: a custom connector's fault, not evidentia's.
 */
export function connectorCode<T>(instance: ConnectorInstance, call: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new UsageError(`connector ${instance.definition.id} (${instance.module ?? 'built in'}): ${call} failed: ${describeError(error)}`);
  }
}
