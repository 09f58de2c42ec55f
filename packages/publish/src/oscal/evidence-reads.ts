/**
 * Which stream runs each check's result rests on, for the observations'
 * relevant evidence. The runner hands a check only its CheckEvidence, so
 * rather than query the locker again per check (and guess from record kinds),
 * the locker the runner reads through is observed: every event record and
 * inventory item a check reads names its stream run or record set, which the
 * period's stream runs resolve to a manifest and a record-set hash.
 */
import type { Inventory, InventoryVersion, Locker, PeriodQuery, PeriodStreamRun, StoredRecord } from '@evidentia/locker';

export interface StreamRead {
  /** `<instance>/<stream>` */
  stream: string;
  /** Hashes of the record sets read (sorted, distinct): each a stream run's sorted list of record hashes. */
  recordSets: string[];
  runs: number;
  firstManifest: number;
  lastManifest: number;
  /** When the newest of those stream runs started. */
  collectedAt: string;
}

export interface ObservedLocker {
  /** The locker to hand the check runner. */
  locker: Locker;
  /** Attribute the reads that follow to this check. */
  start(checkId: string): void;
  readsOf(checkId: string): StreamRead[];
}

async function* tap<T>(source: AsyncIterable<T>, see: (item: T) => void): AsyncIterable<T> {
  for await (const item of source) {
    see(item);
    yield item;
  }
}

const streamOf = (run: PeriodStreamRun) => `${run.instance}/${run.stream}`;

function groupBy<K>(runs: Iterable<PeriodStreamRun>, keyOf: (run: PeriodStreamRun) => K): Map<K, PeriodStreamRun[]> {
  const groups = new Map<K, PeriodStreamRun[]>();
  for (const run of runs) {
    const key = keyOf(run);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  return groups;
}

function summarize(runs: Iterable<PeriodStreamRun>): StreamRead[] {
  const byStream = groupBy(runs, streamOf);
  return [...byStream]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stream, list]) => ({
      stream,
      recordSets: [...new Set(list.map((run) => run.recordSet))].sort(),
      runs: list.length,
      firstManifest: Math.min(...list.map((run) => run.sequence)),
      lastManifest: Math.max(...list.map((run) => run.sequence)),
      collectedAt: list.map((run) => run.startedAt).sort().at(-1)!,
    }));
}

/** Observe `locker` for the check runner; `periodRuns` are the period's stream runs (locker.periodStreamRuns). */
export function observeReads(locker: Locker, periodRuns: readonly PeriodStreamRun[]): ObservedLocker {
  const byRun = new Map(periodRuns.map((run) => [`${run.runId} ${streamOf(run)}`, run]));
  // One record set can be several runs' (an unchanged inventory is stored once): each of them was read.
  const bySet = groupBy(periodRuns, (run) => `${run.recordSet} ${streamOf(run)}`);
  const reads = new Map<string, Set<PeriodStreamRun>>();
  let current = new Set<PeriodStreamRun>();
  const note = (run: PeriodStreamRun | undefined) => run && current.add(run);

  const seen = {
    event: (record: StoredRecord) => note(byRun.get(`${record.runId} ${record.stream}`)),
    version: (version: InventoryVersion) => version.sets.forEach((set) => bySet.get(`${set} ${version.record.stream}`)?.forEach(note)),
    inventory: (inventory: Inventory) => note(byRun.get(`${inventory.runId} ${inventory.stream}`)),
  };
  const observed = new Proxy(locker, {
    get(target, property) {
      if (property === 'periodEvents') return (query: PeriodQuery) => tap(target.periodEvents(query), seen.event);
      if (property === 'inventoryHistory') return (query: PeriodQuery) => tap(target.inventoryHistory(query), seen.version);
      if (property === 'inventories') {
        return async (query: PeriodQuery) => {
          const inventories = await target.inventories(query);
          // Unfiltered, a check asks only for observation times of every state stream, not for their records.
          if (query.kind || query.control) inventories.forEach(seen.inventory);
          return inventories;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    locker: observed,
    start(checkId) {
      current = new Set();
      reads.set(checkId, current);
    },
    readsOf: (checkId) => summarize(reads.get(checkId) ?? []),
  };
}
