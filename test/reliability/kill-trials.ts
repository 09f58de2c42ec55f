/**
 * Kill trials: the real CLI (`collect`, `export bundle`, `daemon`) killed
 * with SIGKILL at a seeded point of its work against the simulated GitHub
 * (behind a fault proxy that injects nothing and only tells which request
 * has arrived, so a kill lands at a point of the work, however loaded the
 * machine). After every kill the locker must verify, a resumed
 * `collect` must complete and hold exactly what an uninterrupted run holds,
 * and a killed export must leave no partial file under its --out name.
 * Shared by test/reliability/kill.test.ts (a few trials) and `pnpm bench
 * reliability` (many).
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initLocker, openLocker } from '@evidentia/locker';
import { seededRandom, startFaultProxy, type FaultProxy } from '@evidentia/testing';
import { runCli, spawnCli, tempDir } from '../cli.js';
import { heldRecords, type HeldRecords } from './collection.js';
import { startSystem, throughProxy, addressOf, type SimulatedSystem } from './systems.js';

/**
 * When the first file (under any name) appears in `dir`, where an export writes: its writing has begun.
 * Null when the process exits first.
 */
async function firstFileIn(dir: string, child: ChildProcess): Promise<number | null> {
  for (;;) {
    if (readdirSync(dir).length > 0) return performance.now();
    if (child.exitCode !== null || child.signalCode !== null) return null;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export type KillTarget = 'collect' | 'export' | 'daemon';

/** What a trial found: where the kill landed and what held afterwards (the flags are false until proven). */
export interface KillOutcome {
  target: KillTarget;
  /** Where the kill landed: as request n of an uninterrupted run's N arrived, so many ms after its last request, or so many ms after an export's first file. */
  killedAt: string;
  /** The process was still running when killed (else the kill came too late to test anything). */
  killedMidway: boolean;
  verified: boolean;
  resumedComplete: boolean;
  recordsEqual: boolean;
  /** export only: what was under --out after the kill. */
  outFile?: 'none' | 'bundle that verifies' | 'partial file';
  problems: string[];
}

/** Daemon settings for a trial: no health server, and no scheduled fire (its start-up catch-up run is the one killed). */
const DAEMON_SETTINGS = 'daemon:\n  health:\n    enabled: false\n';

export class KillBench {
  private clean: HeldRecords = {};
  /** An uninterrupted collect's requests, and the milliseconds from its last request to its exit (the commit). */
  private collectRequests = 0;
  private commitMs = 0;
  /** Milliseconds of an uninterrupted export from its first file to its exit. */
  private exportMs = 0;
  private referenceConfig = '';
  private readonly random: () => number;

  private constructor(
    private readonly system: SimulatedSystem,
    private readonly proxy: FaultProxy,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** Start the simulated GitHub and the proxy, and take an uninterrupted collect and export as the reference. */
  static async start(seed: number): Promise<KillBench> {
    const system = await startSystem('github', new Date());
    const proxy = await startFaultProxy(addressOf(system), { seed });
    const bench = new KillBench(system, proxy, seed);
    const { file, locker } = await bench.lockerConfig();
    const before = proxy.requests();
    const result = await runCli(['collect', '--config', file], { env: system.env });
    if (result.code !== 0) throw new Error(`the reference collect exited ${result.code}: ${result.stderr}`);
    bench.collectRequests = proxy.requests() - before;
    bench.commitMs = performance.now() - proxy.lastRequestAt();
    bench.clean = await bench.inspect(locker).then((held) => held.records);
    bench.referenceConfig = file;
    const out = join(await tempDir('kill-export'), 'bundle.zip');
    const exporting = spawnCli(['export', 'bundle', '--config', file, '--period', bench.period(), '--out', out]);
    const writing = await firstFileIn(dirname(out), exporting.child);
    const exported = await exporting.done;
    if (exported.code !== 0 || writing === null) throw new Error(`the reference export exited ${exported.code}: ${exported.stderr}`);
    bench.exportMs = performance.now() - writing;
    return bench;
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.system.close();
  }

  /** One trial: kill `target` at a seeded point, then check the locker, resume and compare. */
  async trial(target: KillTarget): Promise<KillOutcome> {
    if (target === 'export') return this.exportTrial();
    const { file, locker } = await this.lockerConfig(target === 'daemon' ? DAEMON_SETTINGS : '');
    // A point of the work, not of the clock (a loaded machine stretches time, not the work): as one of the
    // run's requests arrives, or, in one trial of N + 1, during the commit after its last request.
    const point = Math.floor(this.random() * (this.collectRequests + 1));
    const commitDelay = Math.round(this.random() * this.commitMs);
    const before = this.proxy.requests();
    const { child, done } = spawnCli(target === 'daemon' ? ['daemon', '--config', file] : ['collect', '--config', file], { env: this.system.env });
    const exited = done.then(() => undefined);
    await Promise.race([this.proxy.reached(before + Math.min(point + 1, this.collectRequests)), exited]);
    if (point === this.collectRequests) await new Promise((resolve) => setTimeout(resolve, commitDelay));
    const killedAt = point < this.collectRequests ? `request ${point + 1} of ${this.collectRequests}` : `${commitDelay} ms after the last request`;
    const killedMidway = child.exitCode === null && child.kill('SIGKILL');
    await done;
    const outcome: KillOutcome = { target, killedAt, killedMidway, verified: false, resumedComplete: false, recordsEqual: false, problems: [] };
    outcome.problems.push(...(await this.inspect(locker)).problems);
    outcome.verified = outcome.problems.length === 0;
    const resumed = await runCli(['collect', '--config', file], { env: this.system.env });
    outcome.resumedComplete = resumed.code === 0;
    if (!outcome.resumedComplete) outcome.problems.push(`resumed collect exited ${resumed.code}: ${resumed.stderr.trim()}`);
    const after = await this.inspect(locker);
    outcome.problems.push(...after.problems);
    outcome.recordsEqual = JSON.stringify(after.records) === JSON.stringify(this.clean);
    if (!outcome.recordsEqual) outcome.problems.push('the resumed locker holds other records than an uninterrupted run');
    return outcome;
  }

  private async exportTrial(): Promise<KillOutcome> {
    const out = join(await tempDir('kill-export'), 'bundle.zip');
    const killedAtMs = Math.round(this.random() * this.exportMs);
    const { child, done } = spawnCli(['export', 'bundle', '--config', this.referenceConfig, '--period', this.period(), '--out', out]);
    await firstFileIn(dirname(out), child);
    await new Promise((resolve) => setTimeout(resolve, killedAtMs));
    const killedMidway = child.exitCode === null && child.kill('SIGKILL');
    await done;
    const outcome: KillOutcome = { target: 'export', killedAt: `${killedAtMs} ms after its first file`, killedMidway, verified: false, resumedComplete: true, recordsEqual: true, problems: [] };
    const { problems } = await this.inspect(join(this.referenceConfig, '..', 'locker'));
    outcome.problems.push(...problems);
    outcome.verified = problems.length === 0;
    if (!existsSync(out)) outcome.outFile = 'none';
    else outcome.outFile = (await runCli(['verify', '--bundle', out])).code === 0 ? 'bundle that verifies' : 'partial file';
    return outcome;
  }

  /** Today in UTC: the reference run's inventories and the PRs it collected fall in it or before it. */
  private period(): string {
    const today = new Date().toISOString().slice(0, 10);
    return `2026-01-01..${today}`;
  }

  private async lockerConfig(extra = ''): Promise<{ file: string; locker: string }> {
    const dir = await tempDir('kill');
    const file = join(dir, 'evidentia.yaml');
    await writeFile(file, `locker: ./locker\nconnectors:\n${throughProxy(this.system, this.proxy.url)}\n${extra}`);
    // Created in process: `init` is not what is on trial, and a CLI start costs seconds of CPU.
    await initLocker(join(dir, 'locker'));
    return { file, locker: join(dir, 'locker') };
  }

  /** What verify finds in a locker, and its records. */
  private async inspect(lockerDir: string): Promise<{ problems: string[]; records: HeldRecords }> {
    const locker = await openLocker(lockerDir);
    try {
      const report = await locker.verify();
      return { problems: report.problems.map((p) => p.message), records: await heldRecords(locker) };
    } finally {
      await locker.close();
    }
  }
}
