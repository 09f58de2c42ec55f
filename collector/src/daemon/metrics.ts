/**
 * The health snapshot in the Prometheus text exposition format (version
 * 0.0.4), for `GET /metrics`: gauges per stream (last run, last success, next
 * run as Unix timestamps; up; consecutive failures; open gaps), counters
 * of runs by outcome and the witnesses that missed the last checkpoint. Label values are escaped as the format requires.
 */
import type { HealthSnapshot } from './health.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

const seconds = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 1000);

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Array<{ labels?: Record<string, string>; value: number | null }>;
}

export function renderMetrics(snapshot: HealthSnapshot): string {
  const perStream = (pick: (stream: HealthSnapshot['streams'][number]) => number | null) => snapshot.streams.map((stream) => ({ labels: { stream: stream.stream }, value: pick(stream) }));
  const families: Family[] = [
    { name: 'evidentia_daemon_up', help: '1 while the daemon runs.', type: 'gauge', samples: [{ value: 1 }] },
    { name: 'evidentia_daemon_start_time_seconds', help: 'When the daemon started (Unix time).', type: 'gauge', samples: [{ value: seconds(snapshot.startedAt) }] },
    { name: 'evidentia_run_in_progress', help: '1 while a collection run is in progress.', type: 'gauge', samples: [{ value: snapshot.running ? 1 : 0 }] },
    {
      name: 'evidentia_runs_total',
      help: 'Collection runs since the daemon started, by outcome (error: the run could not happen).',
      type: 'counter',
      samples: Object.entries(snapshot.runs).map(([status, value]) => ({ labels: { status }, value })),
    },
    { name: 'evidentia_witnesses_missed', help: 'Witnesses that did not take the last run\'s checkpoint.', type: 'gauge', samples: [{ value: snapshot.witnesses.missed.length }] },
    { name: 'evidentia_stream_up', help: '1 when the stream\'s last run completed.', type: 'gauge', samples: perStream((s) => (s.lastStatus === null ? null : s.lastStatus === 'complete' ? 1 : 0)) },
    { name: 'evidentia_stream_last_run_timestamp_seconds', help: 'When the stream\'s last run started.', type: 'gauge', samples: perStream((s) => seconds(s.lastRunAt)) },
    { name: 'evidentia_stream_last_success_timestamp_seconds', help: 'When the stream\'s last successful run started.', type: 'gauge', samples: perStream((s) => seconds(s.lastSuccessAt)) },
    { name: 'evidentia_stream_next_run_timestamp_seconds', help: 'When the stream runs next.', type: 'gauge', samples: perStream((s) => seconds(s.nextRunAt)) },
    { name: 'evidentia_stream_consecutive_failures', help: 'Failed runs of the stream since its last success.', type: 'gauge', samples: perStream((s) => s.consecutiveFailures) },
    { name: 'evidentia_stream_open_gaps', help: 'Open coverage gaps of the stream in the daemon\'s watch window.', type: 'gauge', samples: perStream((s) => s.openGaps) },
  ];
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      if (sample.value === null) continue;
      const labels = sample.labels ? `{${Object.entries(sample.labels).map(([key, value]) => `${key}="${label(value)}"`).join(',')}}` : '';
      lines.push(`${family.name}${labels} ${sample.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
