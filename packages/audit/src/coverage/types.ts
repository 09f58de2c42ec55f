/**
 * The coverage ledger's vocabulary: what it is given (each stream's plan, the
 * stream runs from the locker, the daemon's recorded downtimes, a period and
 * "now") and what it answers (per stream: expected and successful
 * collections and the gaps with their causes; per criterion: covered or not).
 */
import type { StreamRunEntry } from '@evidentia/locker';
import type { StreamType } from '@evidentia/evidence';
import type { CronSchedule, Period } from '@evidentia/time';

export type { Period };

/** What coverage needs to know about a configured stream. */
export interface StreamPlan {
  /** `<instance>/<stream>` */
  id: string;
  type: StreamType;
  schedule: CronSchedule;
  /** State: longest interval without a successful snapshot. Event: how far collection may trail before the lag is a gap. */
  maxStalenessHours: number;
  controls: string[];
  /** Event streams: days of history the source keeps (a gap older than that cannot be back-filled). */
  retentionDays?: number;
}

/** One stream's part of one committed run, as the locker lists it. */
export type CollectionFact = Pick<StreamRunEntry, 'runId' | 'trigger' | 'stream' | 'status' | 'error' | 'rangeSince' | 'rangeUntil' | 'gaps' | 'startedAt' | 'finishedAt'> &
  Partial<Pick<StreamRunEntry, 'itemGaps'>>;

/** An item a stream could not read in the period (a denied channel or repository), with how often and when last. */
export interface ItemGapSeen {
  item: string;
  reason: string;
  inScope: boolean;
  /** Collections in the period that could not read it. */
  collections: number;
  lastAt: string;
  /**
   * The first complete collection of the stream in the period after `lastAt`
   * (the item read again, or the stream whole again without it); null while
   * none came: only then does an in-scope item leave its criteria uncovered,
   * as a partial collection leaves a gap only until a complete one closes it.
   */
  readAgainAt: string | null;
}

/** An interval in which the daemon was not running, as recorded by its catch-up run. */
export interface Downtime {
  since: Date;
  until: Date;
  /** The catch-up run that recorded it. */
  runId: string;
}

export type GapCauseKind = 'not-configured' | 'daemon-down' | 'stream-failed' | 'retention' | 'not-collected';

export interface GapCause {
  kind: GapCauseKind;
  since: string;
  until: string;
  /** One line for people: the error, the retention reason, the catch-up run. */
  detail: string;
}

export interface Gap {
  /** Stable across runs of the ledger (stream and where the uncovered interval truly begins): used to notify a gap once. */
  key: string;
  stream: string;
  /** Within the period. */
  since: string;
  until: string;
  status: 'open' | 'closed';
  /** Still uncovered at "now". */
  ongoing: boolean;
  /** Open event gaps inside the source's retention: `collect --since --until` can still close them. */
  closable: boolean;
  closedAt: string | null;
  /** The trigger of the run that closed it (backfill, catch-up, schedule…) and its id. */
  closedBy: string | null;
  causes: GapCause[];
}

export interface StreamCoverage {
  stream: string;
  type: StreamType;
  schedule: string;
  timezone: string;
  controls: string[];
  /** Fire times of the schedule in the evaluated part of the period. */
  expected: number;
  /** Of those schedule slots, how many hold at least one complete collection. */
  successful: number;
  /** Failed attempts in the period. */
  failed: number;
  lastSuccessAt: string | null;
  /** No open gap in the period. */
  covered: boolean;
  gaps: Gap[];
  /** Items that collections in the period could not read (named gaps inside a stream, not time gaps). */
  itemGaps: ItemGapSeen[];
}

export interface CriterionCoverage {
  criterion: string;
  streams: string[];
  covered: boolean;
  /** The serving streams with an open gap. */
  gapStreams: string[];
  /** The serving streams that could not read an in-scope item in the period (a denied repository or channel): the criterion is not covered either. */
  unreadStreams: string[];
}

export interface Ledger {
  period: { since: string; until: string };
  now: string;
  /** The end of what could be judged: the period's end, or "now" while the period runs. */
  evaluatedUntil: string;
  streams: StreamCoverage[];
  criteria: CriterionCoverage[];
  openGaps: number;
  closedGaps: number;
}
