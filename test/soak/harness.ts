/**
 * The multi-run soak harness: a connector collected day after day by the
 * real runner (config loader, registry, SDK fetch, locker) against a
 * simulated API on 127.0.0.1 whose data changes between runs. After every
 * run the test compares what the locker holds with what the simulator holds
 * at that moment, and the locker must verify. Each connector's soak test
 * supplies the simulator and the comparison; the harness supplies the days.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocker, openLocker, type Locker, type Manifest, type StoredRecord } from '@evidentia/locker';
import { loadConfig } from '../../collector/src/config/load.js';
import { collect } from '../../collector/src/runner.js';

const DAY_MS = 86_400_000;

export interface SoakDay {
  /** 1 for the first run. */
  run: number;
  now: Date;
  manifest: Manifest;
  locker: Locker;
}

export interface SoakOptions {
  /** The config's `connectors:` entries as YAML (the harness adds the locker); secrets as `${env:NAME}`. */
  connectorsYaml: string;
  /** Environment the config's secret references read. */
  env: Record<string, string>;
  runs: number;
  /** Time of the first run; each later run is one day later. */
  start: Date;
  /** Change the simulated source before a run (add, remove, edit items; inject a repeated or shifted page). */
  beforeRun?(run: number, now: Date): void | Promise<void>;
  /** Assert what the locker holds after a run. */
  afterRun(day: SoakDay): void | Promise<void>;
}

export interface SoakResult {
  manifests: Manifest[];
}

/** Run `runs` daily collections into a fresh locker; the locker must verify after every run. */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-soak-'));
  const lockerDir = join(dir, 'locker');
  const configFile = join(dir, 'evidentia.yaml');
  await writeFile(configFile, `locker: ${JSON.stringify(lockerDir)}\nconnectors:\n${options.connectorsYaml}`);
  await initLocker(lockerDir);
  let now = options.start;
  const locker = await openLocker(lockerDir, { now: () => now });
  const manifests: Manifest[] = [];
  try {
    const config = await loadConfig(configFile, { ...options.env });
    for (let run = 1; run <= options.runs; run++) {
      now = new Date(options.start.getTime() + (run - 1) * DAY_MS);
      await options.beforeRun?.(run, now);
      const clock = () => now;
      const { manifest } = await collect({ config, locker, trigger: 'schedule', now: clock, sleep: async () => undefined });
      manifests.push(manifest);
      const report = await locker.verify();
      if (!report.ok) throw new Error(`run ${run}: the locker does not verify: ${report.problems.map((p) => p.message).join('; ')}`);
      await options.afterRun({ run, now, manifest, locker });
    }
    return { manifests };
  } finally {
    await locker.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The records a stream holds now: a state stream's latest inventory, an event stream's newest version of each item. */
export async function heldRecords(locker: Locker, stream: string, kind?: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of locker.records({ stream, ...(kind ? { kind } : {}) })) records.push(record);
  return records;
}

/** Sorted keys, for comparing a stream's records with the simulator's items. */
export async function heldKeys(locker: Locker, stream: string, kind?: string): Promise<string[]> {
  return (await heldRecords(locker, stream, kind)).map((record) => record.key).sort();
}

/** A stream's entry in a run's manifest; throws when the run did not collect it. */
export function streamOf(manifest: Manifest, stream: string): Manifest['streams'][number] {
  const entry = manifest.streams.find((s) => `${s.instance}/${s.stream}` === stream);
  if (!entry) throw new Error(`run ${manifest.sequence} has no stream ${stream}`);
  return entry;
}
