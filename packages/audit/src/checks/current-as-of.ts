/**
 * Until when an event record is known to be current. A record is stored
 * when it is first collected; a stream that collects an item again whenever
 * it changes (Jira, by `updated`) stores nothing new while the item stays the
 * same, so its later complete runs are evidence that the item was unchanged.
 * Deadlines ("no post-mortem 14 days after resolution", "no review within
 * 72 hours") are judged as of that time; judged only as of the first
 * collection, an incident left without a post-mortem stayed "within the
 * deadline" forever. Streams that find items by a time that never changes
 * (a merge) keep the record's own collection time. The answer depends only
 * on the locker, so a re-run on the same locker gives the same findings.
 */
import type { RecordKind } from '@evidentia/evidence';
import type { StoredRecord } from '@evidentia/locker';
import type { CheckEvidence } from './define.js';

const RUN_START_SLACK_MS = 5 * 60_000;

/** A function giving, for each record of `kind`, the time until which it is known current (ISO), at least its observedAt. */
export async function currentAsOf(evidence: CheckEvidence, kind: RecordKind): Promise<(record: Pick<StoredRecord, 'stream' | 'observedAt'>) => string> {
  const covered = new Map<string, Array<{ since: number; until: number }>>();
  for (const source of await evidence.sources(kind)) {
    if (source.covered) covered.set(source.stream, source.covered.map((span) => ({ since: Date.parse(span.since), until: Date.parse(span.until) })));
  }
  return (record) => {
    const observed = Date.parse(record.observedAt);
    // The span of the run that collected the record: a run's range ends when it began, moments before the record's observation time.
    const span = covered.get(record.stream)?.filter((candidate) => candidate.since <= observed).at(-1);
    return span && span.until >= observed - RUN_START_SLACK_MS && span.until > observed ? new Date(span.until).toISOString() : record.observedAt;
  };
}
