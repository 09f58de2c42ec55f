/**
 * Evidence requests: recurring evidence no connector collects (a risk
 * assessment, vendor reviews, a background check per new hire), answered by
 * documents people add to the locker. The ledger treats each request like a
 * stream: occurrences expected over the period, each fulfilled, late, open
 * or overdue, with its cause.
 */
export const FREQUENCIES = ['once', 'per-event', 'monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** Personnel events a per-event request follows (each new hire, each leaver). */
export const REQUEST_EVENTS = ['joiner', 'mover', 'leaver'] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

export interface EvidenceRequest {
  id: string;
  /** In our own words. */
  title: string;
  /** SOC 2 criteria it evidences (other frameworks follow through the mappings). */
  criteria: string[];
  /** Who provides it (a person or role). */
  owner: string;
  frequency: Frequency;
  /**
   * The due rule: `once` is due on `due` (default the period's last day);
   * monthly, quarterly and yearly are due on the last day of each window of
   * that length counted from the period's first day; `per-event` is due
   * `dueDays` after each event.
   */
  due?: string;
  dueDays: number;
  /** Days after the due day before an occurrence without a document is overdue. */
  graceDays: number;
  /** per-event: which personnel event each occurrence follows. */
  event?: RequestEvent;
  /** From the built-in starter set (possibly with settings overridden). */
  starter: boolean;
}

export type OccurrenceStatus = 'fulfilled' | 'late' | 'open' | 'overdue';

export interface Occurrence {
  /** e.g. `2026-01-01..2026-03-31`, or the event (`joiner ada@example.com 2026-02-03`). */
  label: string;
  from: string;
  to: string;
  due: string;
  /** The due day plus the grace days: after it, no document means overdue. */
  deadline: string;
  status: OccurrenceStatus;
  /** The current documents that fulfil it (their entry sequences). */
  documents: number[];
  /** Why it is not fulfilled (or late), in one line; null when fulfilled on time. */
  cause: string | null;
  /** Open or overdue: the documents that concern it but were not counted, and why (the end of `cause`); absent when none. */
  uncounted?: string;
}

export interface RequestLine {
  id: string;
  title: string;
  criteria: string[];
  owner: string;
  frequency: Frequency;
  expected: number;
  fulfilled: number;
  late: number;
  open: number;
  overdue: number;
  occurrences: Occurrence[];
  /** per-event: why its events cannot be told (no configured stream collects personnel events), so none is expected and nothing judged; absent when they can. */
  unwatched?: string;
}

export interface RequestLedger {
  /** First and last day of the period in the audit zone. */
  first: string;
  last: string;
  /** The day `now` falls on in the audit zone. */
  today: string;
  requests: RequestLine[];
  overdue: number;
}
