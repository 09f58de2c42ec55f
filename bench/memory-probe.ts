/**
 * Not part of `pnpm bench`: a probe of what a collection holds between
 * streams. The 30-day benchmark's five simulators (THIRTY_DAYS_SCALE) in one
 * config, RUNS runs through the real runner, and after every stream a full GC
 * (run with --expose-gc) and the live heap, external memory and RSS on stderr:
 *   THIRTY_DAYS_SCALE=0.25 RUNS=2 node --expose-gc --conditions=source --import tsx bench/memory-probe.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocker, openLocker } from '@evidentia/locker';
import { loadConfig } from '../collector/src/config/load.js';
import { collect } from '../collector/src/runner.js';
import { awsSystem } from './thirty-days/aws.js';
import { githubSystem } from './thirty-days/github.js';
import { googleWorkspaceSystem } from './thirty-days/google-workspace.js';
import { jiraSystem } from './thirty-days/jira.js';
import { slackSystem } from './thirty-days/slack.js';
import { DAY_MS } from './thirty-days/simulated-system.js';

const START = new Date('2026-03-02T06:00:00Z');
const RUNS = Number(process.env.RUNS ?? '2');
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (n: number) => (n / 2 ** 20).toFixed(1);
function sample(label: string) {
  gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`${label}: heapUsed ${mib(m.heapUsed)} ext ${mib(m.external)} ab ${mib(m.arrayBuffers)} rss ${mib(m.rss)} maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
}
const systems = [await awsSystem(START), await googleWorkspaceSystem(START), await slackSystem(START), await githubSystem(START), await jiraSystem(START)];
sample('simulators up');
const dir = await mkdtemp(join(tmpdir(), 'evidentia-memprobe-'));
const lockerDir = join(dir, 'locker');
const configFile = join(dir, 'evidentia.yaml');
await writeFile(configFile, `locker: ${JSON.stringify(lockerDir)}\nconnectors:\n${systems.map((s) => s.yaml).join('\n')}\n`);
await initLocker(lockerDir);
let now = START;
const locker = await openLocker(lockerDir, { now: () => now });
const config = await loadConfig(configFile, Object.assign({}, ...systems.map((s) => s.env)) as Record<string, string>);
for (let run = 1; run <= RUNS; run++) {
  now = new Date(START.getTime() + (run - 1) * DAY_MS);
  for (const s of systems) s.beforeRun(run, now);
  const { manifest } = await collect({ config, locker, trigger: 'schedule', now: () => now, sleep: async () => undefined, onStreamEnd: (p) => sample(`run ${run} ${p.stream} (${p.outcome?.records})`) });
  if (manifest.status !== 'complete') throw new Error(`run ${run} ${manifest.status}`);
  sample(`run ${run} committed`);
}
await locker.close();
await Promise.all(systems.map((s) => s.close()));
await rm(dir, { recursive: true, force: true });
process.stderr.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB\n`);
