/**
 * One collection into a locker directory through the real config loader,
 * runner, SDK fetch and locker, on a fixed clock, and what the locker holds
 * afterwards: the records of every stream in a form two lockers can be
 * compared by (kind, key, time, data: a record's hash also covers the
 * snapshot bodies it came from, which differ when a page was served twice),
 * and what `verify` finds. The SDK's waits are recorded, not slept.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '@evidentia/evidence';
import { initLocker, openLocker, type Locker, type Manifest } from '@evidentia/locker';
import { loadConfig } from '../../collector/src/config/load.js';
import { collect } from '../../collector/src/runner.js';

/** Per stream (`instance/stream`), its records as sorted canonical texts. */
export type HeldRecords = Record<string, string[]>;

export interface Collection {
  manifest: Manifest;
  records: HeldRecords;
  /** What verify found wrong (empty when the locker verifies). */
  problems: string[];
  /** The waits the SDK asked for, in milliseconds. */
  waits: number[];
}

/** What a locker holds now: each state stream's latest inventory, each event stream's newest version of every item. */
export async function heldRecords(locker: Locker): Promise<HeldRecords> {
  const held: HeldRecords = {};
  for (const head of await locker.streamHeads()) {
    const texts: string[] = [];
    for await (const record of locker.records({ stream: head.stream })) {
      texts.push(canonicalJson({ kind: record.kind, key: record.key, occurredAt: record.occurredAt, data: record.data }));
    }
    held[head.stream] = texts.sort();
  }
  return held;
}

/** Collect every configured stream of `connectorsYaml` into `<dir>/locker` (created on first use) at `now`. */
export async function collectOnce(dir: string, connectorsYaml: string, env: Record<string, string>, now: Date): Promise<Collection> {
  const lockerDir = join(dir, 'locker');
  const configFile = join(dir, 'evidentia.yaml');
  await writeFile(configFile, `locker: ${JSON.stringify(lockerDir)}\nconnectors:\n${connectorsYaml}\n`);
  if (!existsSync(join(lockerDir, 'locker.db'))) await initLocker(lockerDir);
  const locker = await openLocker(lockerDir, { now: () => now });
  const waits: number[] = [];
  try {
    const config = await loadConfig(configFile, { ...env });
    const { manifest } = await collect({ config, locker, trigger: 'manual', now: () => now, sleep: async (ms) => void waits.push(ms) });
    const report = await locker.verify();
    return { manifest, records: await heldRecords(locker), problems: report.problems.map((p) => p.message), waits };
  } finally {
    await locker.close();
  }
}

/** The streams of a run that did not end complete, as `instance/stream status: error`. */
export function unfinished(manifest: Manifest): string[] {
  return manifest.streams.filter((s) => s.status !== 'complete').map((s) => `${s.instance}/${s.stream} ${s.status}: ${s.error ?? '(no error)'}`);
}

/** The records of the streams a run says it completed (none held is an empty list, not a missing stream). */
export function completedRecords(manifest: Manifest, records: HeldRecords): HeldRecords {
  const complete = manifest.streams.filter((s) => s.status === 'complete').map((s) => `${s.instance}/${s.stream}`);
  return Object.fromEntries(complete.map((stream) => [stream, records[stream] ?? []]));
}

/** Requests the run sent, retries included. */
export const requestsOf = (manifest: Manifest) => manifest.streams.reduce((sum, s) => sum + s.requests, 0);
