/**
 * Fault trials of one connector: its real API client through the fault
 * proxy in front of its simulator, compared with a clean run against the
 * same source. What a trial found is returned, not asserted, so the CI test
 * (connector-faults.test.ts) and `pnpm bench reliability` judge the same
 * outcome.
 */
import { rm } from 'node:fs/promises';
import { startFaultProxy, type FaultPlan, type FaultType, type PersistentFault } from '@evidentia/testing';
import { tempDir } from '../cli.js';
import { collectOnce, completedRecords, requestsOf, unfinished, type Collection } from './collection.js';
import { addressOf, startSystem, throughProxy, type ConnectorName, type SimulatedSystem } from './systems.js';

export const RETRY_AFTER_SECONDS = 1;
const NOW = new Date('2026-07-01T06:00:00Z');
const HOUR = 3_600_000;

export interface FaultOutcome {
  connector: ConnectorName;
  faults: 'transient' | PersistentFault;
  injected: Record<FaultType, number>;
  /** Streams of the faulty run that did not end complete, with their reasons. */
  unfinished: string[];
  /** Streams a clean run collects that the faulty run's manifest does not name at all. */
  missingStreams: string[];
  /** Streams whose records differ from the clean run's although the faulty run says they are complete. */
  completeButDifferent: string[];
  /** What verify found wrong after the faulty run, and after the clean run that followed it. */
  problems: string[];
  /** Transient only: 429s whose Retry-After the SDK did not wait out. */
  rateLimitsNotWaited: number;
  /** Transient only: requests the run sent beyond a clean run's (the retries). */
  extraRequests: number;
  /** Persistent only: the clean run after the faulty one, complete streams, and the records differ from the clean run's. */
  convergence?: { unfinished: string[]; recordsDiffer: string[] };
}

/** Streams whose records differ from the reference's (every stream of either, or only the given ones). */
function differing(records: Collection['records'], reference: Collection['records'], only?: string[]): string[] {
  const streams = only ?? [...new Set([...Object.keys(records), ...Object.keys(reference)])];
  return streams.filter((stream) => JSON.stringify(records[stream]) !== JSON.stringify(reference[stream])).sort();
}

export class ConnectorTrials {
  private readonly dirs: string[] = [];
  private constructor(
    readonly connector: ConnectorName,
    private readonly system: SimulatedSystem,
    /** The clean run every trial is compared with. */
    readonly clean: Collection,
  ) {}

  static async start(connector: ConnectorName): Promise<ConnectorTrials> {
    const system = await startSystem(connector, NOW);
    const dir = await tempDir('reliability');
    const clean = await collectOnce(dir, system.yaml, system.env, NOW);
    const trials = new ConnectorTrials(connector, system, clean);
    trials.dirs.push(dir);
    return trials;
  }

  /** Transient faults at `rate`: the run must be complete and equal the clean one. */
  async transient(seed: number, rate = 0.2): Promise<FaultOutcome> {
    const { collection, injected } = await this.throughProxy({ seed, rate, retryAfterSeconds: RETRY_AFTER_SECONDS });
    return {
      ...this.outcome('transient', injected, collection),
      rateLimitsNotWaited: Math.max(0, injected['rate-limit'] - collection.waits.filter((ms) => ms === RETRY_AFTER_SECONDS * 1000).length),
      extraRequests: requestsOf(collection.manifest) - requestsOf(this.clean.manifest),
    };
  }

  /** A persistent fault from `at` (a fraction) of a clean run's requests on; then a clean run into the same locker. */
  async persistent(seed: number, fault: PersistentFault, at = 1 / 3): Promise<FaultOutcome> {
    const from = 1 + Math.floor(requestsOf(this.clean.manifest) * at);
    const { collection, injected, dir } = await this.throughProxy({ seed, persistent: { from, fault } });
    const next = await collectOnce(dir, this.system.yaml, this.system.env, new Date(NOW.getTime() + HOUR));
    const outcome = this.outcome(fault, injected, collection);
    outcome.problems.push(...next.problems);
    return {
      ...outcome,
      convergence: { unfinished: unfinished(next.manifest), recordsDiffer: differing(next.records, this.clean.records) },
    };
  }

  async close(): Promise<void> {
    await this.system.close();
    for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
  }

  private outcome(faults: FaultOutcome['faults'], injected: Record<FaultType, number>, collection: Collection): FaultOutcome {
    const completed = completedRecords(collection.manifest, collection.records);
    const completeButDifferent = differing(completed, this.clean.records, Object.keys(completed));
    const named = new Set(collection.manifest.streams.map((s) => `${s.instance}/${s.stream}`));
    const missingStreams = this.clean.manifest.streams.map((s) => `${s.instance}/${s.stream}`).filter((stream) => !named.has(stream));
    return { connector: this.connector, faults, injected, unfinished: unfinished(collection.manifest), missingStreams, completeButDifferent, problems: [...collection.problems], rateLimitsNotWaited: 0, extraRequests: 0 };
  }

  private async throughProxy(plan: FaultPlan): Promise<{ collection: Collection; injected: Record<FaultType, number>; dir: string }> {
    const proxy = await startFaultProxy(addressOf(this.system), plan);
    const dir = await tempDir('reliability');
    this.dirs.push(dir);
    try {
      const collection = await collectOnce(dir, throughProxy(this.system, proxy.url), this.system.env, NOW);
      return { collection, injected: { ...proxy.injected }, dir };
    } finally {
      await proxy.close();
    }
  }
}
