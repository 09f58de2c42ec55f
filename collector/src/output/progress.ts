/**
 * Progress while collecting: a bar on an interactive terminal, one plain line
 * per finished stream otherwise (logs, CI), nothing with --json.
 */
import cliProgress from 'cli-progress';
import type { StreamProgress } from '../runner.js';
import { terminalSafe } from '@evidentia/audit';

export interface ProgressDisplay {
  start(progress: StreamProgress): void;
  end(progress: StreamProgress): void;
  stop(): void;
}

export function createProgress(out: NodeJS.WriteStream, mode: 'bar' | 'lines' | 'none'): ProgressDisplay {
  if (mode === 'none') return { start() {}, end() {}, stop() {} };
  if (mode === 'lines') {
    return {
      start() {},
      end({ stream, outcome }) {
        if (!outcome) return;
        const counts = `${outcome.records} records, ${outcome.requests} requests`;
        const gaps = outcome.itemGaps.length > 0 ? `, ${outcome.itemGaps.length} item gap${outcome.itemGaps.length === 1 ? '' : 's'}` : '';
        const detail =
          outcome.status === 'complete'
            ? `${counts}${gaps}`
            : outcome.status === 'partial'
              ? `PARTIAL (${counts}${gaps}): ${terminalSafe(outcome.error)}`
              : `FAILED: ${terminalSafe(outcome.error)}`;
        out.write(`${stream}: ${detail}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'collecting [{bar}] {value}/{total} streams | {stream}', stream: out, clearOnComplete: false, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    start({ stream, index, total }) {
      if (!started) bar.start(total, index, { stream });
      else bar.update(index, { stream });
      started = true;
    },
    end({ index, stream }) {
      bar.update(index + 1, { stream });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
