/** `evidentia collect`: one collection run over the configured connectors. */
import type { Command } from 'commander';
import { readRange, renderTable, terminalSafe, UsageError } from '@evidentia/audit';
import type { LoadedConfig } from '../config/load.js';
import { lockerOf, requireConfig } from '../context.js';
import { collect, type CollectResult } from '../runner.js';
import { createNotifier, declaredGaps } from '../notify/index.js';
import { createProgress } from '../output/progress.js';
import { createLineLogger } from '../output/logger.js';
import { InterruptedError, type Wrap } from './wrap.js';

interface CollectFlags {
  config?: string;
  locker?: string;
  connector?: string[];
  stream?: string[];
  since?: string;
  until?: string;
  json?: boolean;
}

/** The summary table printed after a run. */
export function renderRunSummary(result: CollectResult): string {
  const { manifest } = result;
  const rows = manifest.streams.map((s) => [`${s.instance}/${s.stream}`, s.type, s.status, s.recordCount, s.apiTotal ?? '', s.snapshotCount, s.requests, s.error ?? '']);
  const itemGaps = manifest.streams.flatMap((s) =>
    // Item names and reasons come from the source (a channel's name): neutralized like every table cell.
    (s.itemGaps ?? []).map((gap) => `  ${s.instance}/${s.stream}: ${terminalSafe(gap.item)}: ${terminalSafe(gap.reason)}${gap.inScope ? '' : ' (outside the configured scope)'}\n`),
  );
  return (
    renderTable(['stream', 'type', 'status', 'records', 'api total', 'snapshots', 'requests', 'reason'], rows) +
    (itemGaps.length > 0 ? `items that could not be read:\n${itemGaps.join('')}` : '') +
    `run ${manifest.runId}: ${manifest.status} (manifest #${manifest.sequence})\n` +
    witnessLine(result)
  );
}

/** Which witnesses hold the run's checkpoint (nothing when none is configured). */
function witnessLine({ witnessed, manifest }: CollectResult): string {
  if (!witnessed.checkpoint) return '';
  const missed = witnessed.warnings.length > 0 ? `; ${witnessed.warnings.length} witness(es) missed it (see the warnings)` : '';
  return `checkpoint #${manifest.sequence} published, head ${witnessed.checkpoint.checkpoint.head}${missed}\n`;
}

/**
 * Refuse, before a run is begun, flags that name what the config does not
 * have and a selection of no stream at all: the locker would otherwise seal
 * an empty run, failed with no stream to say why.
 */
function checkSelection(config: LoadedConfig, flags: CollectFlags): void {
  for (const id of flags.connector ?? []) {
    if (!config.instances.some((instance) => instance.id === id)) throw new UsageError(`--connector ${id}: no such connector in ${config.file}`);
  }
  const chosen = config.instances.filter((instance) => !flags.connector || flags.connector.includes(instance.id));
  for (const name of flags.stream ?? []) {
    if (chosen.some((instance) => instance.streams.some((s) => s.name === name))) continue;
    if (!flags.connector) throw new UsageError(`--stream ${name}: no configured connector has this stream`);
    const theirs = chosen.map((instance) => `${instance.id} has ${instance.streams.map((s) => s.name).join(', ') || 'no enabled stream'}`);
    throw new UsageError(`--stream ${name}: not a stream of --connector ${flags.connector.join(' ')} (${theirs.join('; ')})`);
  }
  if (chosen.every((instance) => instance.streams.length === 0)) {
    throw new UsageError(flags.connector ? `--connector ${flags.connector.join(' ')}: no enabled stream in ${config.file}: nothing to collect` : `${config.file} enables no stream: nothing to collect`);
  }
  const selected = chosen.flatMap((instance) => instance.streams.filter((s) => !flags.stream || flags.stream.includes(s.name)).map((s) => ({ id: `${instance.id}/${s.name}`, type: s.definition.type })));
  if ((flags.since !== undefined || flags.until !== undefined) && selected.every((s) => s.type === 'state')) {
    const [what, read] = selected.length === 1 ? ['an inventory (state stream), read as it is', 'it'] : ['inventories (state streams), read as they are', 'them'];
    throw new UsageError(`--since/--until backfill event streams only; ${selected.map((s) => s.id).join(', ')}: ${what} now, never as on past days; collect ${read} without --since/--until`);
  }
}

/** Abort the run on SIGINT/SIGTERM so it rolls back cleanly instead of dying mid-write. */
export function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => controller.abort(new InterruptedError(`collection interrupted by ${name}: nothing of this run was kept (\`evidentia runs\` lists it as interrupted)`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function registerCollect(program: Command, wrap: Wrap): void {
  const collect_ = program
    .command('collect')
    .description('collect evidence from the configured connectors into the locker')
    .option('--config <file>', 'configuration file (default ./evidentia.yaml)')
    .option('--locker <dir>', 'locker directory (default: the config\'s locker)')
    .option('--connector <id...>', 'only these connector entries')
    .option('--stream <name...>', 'only these streams')
    .option('--since <date>', 'backfill event streams from this date (start of the day in the configured time zone)')
    .option('--until <date>', 'backfill event streams up to and including this date (end of the day in the configured time zone)')
    .option('--json', 'print the manifest as JSON');
  collect_.action(
    wrap(async (flags: CollectFlags) => {
      const config = await requireConfig(flags);
      const { since, until } = readRange(flags, config);
      checkSelection(config, flags);
      const locker = await lockerOf(flags, config, 'write');
      const progress = createProgress(process.stderr, flags.json ? 'none' : process.stderr.isTTY ? 'bar' : 'lines');
      const interruption = abortOnSignals();
      try {
        const result = await collect({
          config,
          locker,
          connectors: flags.connector,
          streams: flags.stream,
          since,
          until,
          trigger: since || until ? 'backfill' : 'manual',
          signal: interruption.signal,
          log: createLineLogger(process.stderr),
          onStreamStart: (p) => progress.start(p),
          onStreamEnd: (p) => progress.end(p),
        });
        progress.stop();
        process.stdout.write(flags.json ? `${JSON.stringify(result.manifest, null, 2)}\n` : renderRunSummary(result));
        // The run is sealed whatever a witness said: a witness that missed it is a warning, not a failed collection.
        for (const warning of result.witnessed.warnings) process.stderr.write(`warning: ${terminalSafe(warning)}\n`);
        // Tell the channel about a failed or partial run and any declared gaps; a failed post is only a warning.
        const notifyLog = createLineLogger(process.stderr);
        const notifier = createNotifier(config.notifications, notifyLog);
        await notifier.runFinished(result.manifest);
        await notifier.gapsFound(declaredGaps(result.manifest)).catch((error: unknown) => notifyLog.warn('could not post the gaps notification', { error: (error as Error).message }));
        return result.manifest.status === 'complete' ? 0 : 1;
      } finally {
        progress.stop();
        interruption.dispose();
        await locker.close();
      }
    }),
  );
}
