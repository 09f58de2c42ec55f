/** What a population row is and what asks for one, apart from the code that makes rows (population.ts, access-review-rows.ts). */
import type { Period } from '../checks/period.js';

export interface PopulationItem {
  kind: string;
  system: string;
  stream: string;
  key: string;
  /** A few words an auditor recognizes the item by (title, account, person). */
  summary: string;
  occurredAt: string | null;
  firstObservedAt: string;
  lastObservedAt: string;
  recordHash: string;
  /** Hashes of the snapshot bodies the record was derived from. */
  snapshotHashes: string[];
  /** The run that collected this version (events) or the last inventory that held it (state). */
  runId: string;
  /** The criteria the record serves. */
  controls: string[];
  /** The values of the kind's own columns (kind-columns.ts), by column name. */
  details: Record<string, string>;
}

export interface PopulationQuery {
  period: Period;
  control?: string;
  kind?: string;
}

/** Receives, with each row, the stream runs it rests on (`<runId> <instance>/<stream>`) and, for review rows, the signed entries (`access-review-entry <hash>`). */
export type SourceSink = (item: PopulationItem, sources: readonly string[]) => void;
