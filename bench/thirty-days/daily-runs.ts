/**
 * Thirty daily runs of every simulated system through the real config
 * loader, runner and locker, one day apart on a simulated clock, into a
 * locker directory that outlives the runs so it can be measured. Any run or
 * stream that is not complete, and a locker that does not verify after the
 * last run, throws: figures are only reported for complete evidence.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { initLocker, openLocker, type Manifest } from '@evidentia/locker';
import { loadConfig } from '../../collector/src/config/load.js';
import { collect } from '../../collector/src/runner.js';
import { measureLocker, type StorageFigures } from './storage.js';
import { DAY_MS, type SimulatedSystem } from './simulated-system.js';

export interface RunFigures {
  run: number;
  seconds: number;
  /** Requests per connector instance, from the manifest's streams. */
  requests: Map<string, number>;
  /** Records the run's streams observed. */
  records: number;
}

export interface DailyRuns {
  runs: RunFigures[];
  manifests: Manifest[];
  afterFirst: StorageFigures;
  afterLast: StorageFigures;
  /** Per instance: JSON bytes and count of the record rows written after run 1. */
  newRecords: Map<string, { rows: number; jsonBytes: number }>;
  /** Record rows each run wrote, by run id. */
  rowsByRun: Map<string, number>;
}

export async function dailyRuns(dir: string, systems: SimulatedSystem[], start: Date, count: number, progress: (line: string) => void): Promise<DailyRuns> {
  const lockerDir = join(dir, 'locker');
  const configFile = join(dir, 'evidentia.yaml');
  await writeFile(configFile, `locker: ${JSON.stringify(lockerDir)}\nconnectors:\n${systems.map((s) => s.yaml).join('\n')}\n`);
  await initLocker(lockerDir);
  let now = start;
  const clock = () => now;
  const locker = await openLocker(lockerDir, { now: clock });
  const runs: RunFigures[] = [];
  const manifests: Manifest[] = [];
  let afterFirst: StorageFigures | null = null;
  try {
    const config = await loadConfig(configFile, Object.assign({}, ...systems.map((s) => s.env)) as Record<string, string>);
    for (let run = 1; run <= count; run++) {
      now = new Date(start.getTime() + (run - 1) * DAY_MS);
      for (const system of systems) system.beforeRun(run, now);
      const began = performance.now();
      const { manifest } = await collect({ config, locker, trigger: 'schedule', now: clock, sleep: async () => undefined });
      const seconds = (performance.now() - began) / 1000;
      const unfinished = manifest.streams.filter((s) => s.status !== 'complete');
      if (manifest.status !== 'complete' || unfinished.length > 0) {
        throw new Error(`run ${run} is ${manifest.status}: ${unfinished.map((s) => `${s.instance}/${s.stream} ${s.status} (${s.error ?? 'no error'})`).join('; ')}`);
      }
      const requests = new Map<string, number>();
      for (const s of manifest.streams) requests.set(s.instance, (requests.get(s.instance) ?? 0) + s.requests);
      const records = manifest.streams.reduce((sum, s) => sum + s.recordCount, 0);
      runs.push({ run, seconds, requests, records });
      manifests.push(manifest);
      progress(`run ${run}: ${seconds.toFixed(1)} s, ${records} records, ${[...requests].map(([i, n]) => `${i} ${n}`).join(', ')} requests`);
      if (run === 1) afterFirst = measureLocker(lockerDir);
    }
    const report = await locker.verify();
    if (!report.ok) throw new Error(`the locker does not verify after run ${count}: ${report.problems.map((p) => p.message).join('; ')}`);
  } finally {
    await locker.close();
  }
  const afterLast = measureLocker(lockerDir);
  const { newRecords, rowsByRun } = recordRows(lockerDir, manifests[0]!.runId);
  return { runs, manifests, afterFirst: afterFirst!, afterLast, newRecords, rowsByRun };
}

function recordRows(lockerDir: string, firstRunId: string): Pick<DailyRuns, 'newRecords' | 'rowsByRun'> {
  const db = new Database(join(lockerDir, 'locker.db'), { readonly: true });
  try {
    const newRecords = new Map<string, { rows: number; jsonBytes: number }>();
    const added = db.prepare("SELECT substr(stream, 1, instr(stream, '/') - 1) AS instance, COUNT(*) AS rows, SUM(length(json)) AS bytes FROM records WHERE run_id != ? GROUP BY instance").all(firstRunId) as Array<{ instance: string; rows: number; bytes: number }>;
    for (const row of added) newRecords.set(row.instance, { rows: row.rows, jsonBytes: row.bytes });
    const rowsByRun = new Map((db.prepare('SELECT run_id AS id, COUNT(*) AS rows FROM records GROUP BY run_id').all() as Array<{ id: string; rows: number }>).map((row) => [row.id, row.rows]));
    return { newRecords, rowsByRun };
  } finally {
    db.close();
  }
}
