/**
 * `evidentia connectors try`: run one stream of a configured connector (against
 * its real API, or replaying a cassette) into memory and show what it would
 * store: the records, the requests it made and the completeness verdict. The
 * author's loop while writing a connector; it never opens the locker, so
 * nothing is stored and no cursor moves.
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { CassetteError, startReplayServer, type ReplayServer } from '@evidentia/cassettes';
import { COLLECTOR_VERSION, type EvidenceRecord } from '@evidentia/evidence';
import { MemorySink, redactUrl, runStream, type StreamOutcome } from '@evidentia/sdk';
import { readRange, renderTable, UsageError } from '@evidentia/audit';
import { scrubSecrets } from '../config/known-secrets.js';
import { requireConfig } from '../context.js';
import type { ConnectorInstance } from '../config/load.js';
import { chosenStream, connectorCode } from './stream-choice.js';
import type { Wrap } from './wrap.js';

interface TryFlags {
  config?: string;
  connector: string;
  stream: string;
  limit: string;
  json?: boolean;
  cassette?: string;
  since?: string;
  until?: string;
}

/** One request the stream made, as kept in provenance (no credentials in the URL); status null when no answer came. */
interface TriedRequest {
  method: string;
  url: string;
  status: number | null;
}

const DEFAULT_LIMIT = '20';

function limitOf(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--limit ${text}: expected a whole number of records, at least 1`);
  return Number(text);
}

/** The underlying fetch, noting every request and its status (retries included: each attempt is a request), without the config's secrets. */
function loggingFetch(requests: TriedRequest[]): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : null;
    const entry: TriedRequest = { method: (init?.method ?? request?.method ?? 'GET').toUpperCase(), url: scrubSecrets(redactUrl(request?.url ?? String(input))), status: null };
    requests.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    return response;
  };
}

/** The instance's config pointed at the replay server, which serves `cassette`. */
async function replaying(instance: ConnectorInstance, cassette: string): Promise<{ server: ReplayServer; config: unknown }> {
  const apiBase = instance.definition.apiBase;
  if (!apiBase) throw new UsageError(`--cassette: connector ${instance.definition.id} does not declare apiBase, so it cannot be pointed at a cassette`);
  let server: ReplayServer;
  try {
    server = await startReplayServer([cassette]);
  } catch (error) {
    if (error instanceof CassetteError) throw new UsageError(`--cassette ${error.message}`);
    throw error;
  }
  try {
    return { server, config: connectorCode(instance, 'apiBase.override(config, baseUrl)', () => apiBase.override(instance.config, server.baseUrl)) };
  } catch (error) {
    // The server would keep the process running after the error was said.
    await server.close();
    throw error;
  }
}

/** The verdict as one line: what a collect run would record for this stream. */
export function verdictLine(outcome: StreamOutcome): string {
  const total = outcome.apiTotal === null ? 'the source reported no total' : `the source reported ${outcome.apiTotal}`;
  if (outcome.status === 'complete') return `complete: ${outcome.records} records (${total}), ${outcome.requests} requests`;
  return `${outcome.status}: ${outcome.error ?? 'no reason given'} (${outcome.records} records, ${outcome.requests} requests)`;
}

function renderText(records: readonly EvidenceRecord[], limit: number, requests: TriedRequest[], outcome: StreamOutcome, notes: string[]): string {
  const shown = records.slice(0, limit);
  const parts = [
    `records: ${records.length}${records.length > shown.length ? ` (first ${shown.length} shown; --limit for more)` : ''}`,
    shown.length === 0 ? '' : renderTable(['kind', 'key', 'occurred', 'data'], shown.map((record) => [record.kind, record.key, record.occurredAt ?? '', JSON.stringify(record.data)])),
    `requests: ${requests.length}`,
    requests.length === 0 ? '' : renderTable(['method', 'status', 'url'], requests.map((request) => [request.method, request.status ?? 'no answer', request.url])),
    ...outcome.itemGaps.map((gap) => `item gap${gap.inScope ? ' (in scope)' : ''}: ${gap.item}: ${gap.reason}`),
    ...outcome.gaps.map((gap) => `declared gap ${gap.since ?? 'beginning'}..${gap.until}: ${gap.reason}`),
    ...notes,
    verdictLine(outcome),
    'nothing was stored: try never opens the locker',
  ];
  return `${parts.filter((part) => part !== '').map((part) => part.replace(/\n$/, '')).join('\n')}\n`;
}

export function registerConnectorsTry(connectors: Command, wrap: Wrap): void {
  connectors
    .command('try')
    .description('run one stream against its API or a cassette and show its records, requests and verdict, storing nothing')
    .requiredOption('--connector <id>', 'connector entry in the config')
    .requiredOption('--stream <name>', 'stream to run')
    .option('--config <file>', 'configuration file')
    .option('--cassette <file>', 'replay this cassette instead of calling the API')
    .option('--limit <n>', 'records to show', DEFAULT_LIMIT)
    .option('--since <date>', 'event streams: range start (a date starts that day in the configured time zone)')
    .option('--until <date>', 'event streams: range end (a date includes that day)')
    .option('--json', 'print JSON')
    .action(
      wrap(async (flags: TryFlags) => {
        const limit = limitOf(flags.limit);
        const config = await requireConfig(flags);
        const { instance, stream } = chosenStream(config, flags);
        const range = readRange(flags, config);
        const replay = flags.cassette === undefined ? null : await replaying(instance, flags.cassette);
        const requests: TriedRequest[] = [];
        const sink = new MemorySink();
        let outcome: StreamOutcome;
        try {
          outcome = await runStream({
            connector: instance.definition,
            instance: instance.id,
            config: replay?.config ?? instance.config,
            stream: stream.name,
            sink,
            cursor: null,
            ...range,
            controls: stream.controls,
            collectorVersion: COLLECTOR_VERSION,
            configDir: dirname(config.file),
            fetch: loggingFetch(requests),
            maxRequests: instance.requestBudget,
            timeLimitMs: instance.streamTimeoutMs,
            timeLimitSetting: `connectors.${instance.id}.streamTimeoutSeconds`,
            requestTimeoutMs: config.requestTimeoutMs,
          });
        } finally {
          await replay?.server.close();
        }
        const unused = replay?.server.unused() ?? [];
        const notes = unused.length === 0 ? [] : [`cassette: ${unused.length} recorded interaction${unused.length === 1 ? ' was' : 's were'} never requested (first: ${unused[0]!.method} ${unused[0]!.path})`];
        if (flags.json) {
          const { status, error, apiTotal, records, requests: count, itemGaps, gaps } = outcome;
          const report = { connector: instance.id, stream: stream.name, outcome: { status, error, apiTotal, records, requests: count, itemGaps, gaps }, records: sink.records.slice(0, limit), requests, notes };
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          process.stdout.write(renderText(sink.records, limit, requests, outcome, notes));
        }
        if (outcome.status === 'failed') process.stderr.write(`evidentia: ${instance.id}/${stream.name} failed: ${outcome.error ?? 'no reason given'}\n`);
        return outcome.status === 'complete' ? 0 : 1;
      }),
    );
}
