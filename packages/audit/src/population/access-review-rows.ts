/**
 * User access reviews as a population (kind `evidentia.access-review`, a
 * name in evidentia's own namespace that no connector's kind can take): one
 * row per account of every review started in the period, with the decision
 * recorded on it by the period's end (empty while undecided, so an open
 * account is sampled as open, never left out; a decision recorded after the
 * period is not the period's, as access-review-performed judges it late: the
 * row reads undecided and its summary says when it was decided). A row is no collected record, so its record hash is
 * the SHA-256 of the canonical JSON of what it stands for, recomputable from
 * the bundle's signed entries: {review: the review entry's hash, row: the
 * account row as signed, decision: the decision as signed or null}. Its
 * snapshot hashes are those signed entries; its sources are the inventory
 * runs the review was built from and the entries themselves.
 */
import { hashCanonical } from '@evidentia/evidence';
import type { AccessReviewEntry, Locker } from '@evidentia/locker';
import { reviewStates } from '../access-reviews/state.js';
import type { ReviewRow, ReviewState } from '../access-reviews/types.js';
import accessReviewPerformed from '../checks/library/access-review-performed.js';
import type { PopulationItem, PopulationQuery, SourceSink } from './item.js';

export const ACCESS_REVIEW_KIND = 'evidentia.access-review';

/** The stream name review rows carry: they come from the locker's access-review chain, not a connector. */
export const ACCESS_REVIEW_STREAM = 'evidentia/access-reviews';

/** A source key naming a signed access-review entry (beside the `<runId> <stream>` keys of stream runs). */
export const REVIEW_ENTRY_SOURCE = 'access-review-entry ';
export const reviewEntrySource = (hash: string) => `${REVIEW_ENTRY_SOURCE}${hash}`;

function wanted(query: PopulationQuery): boolean {
  if (query.kind !== undefined && query.kind !== ACCESS_REVIEW_KIND) return false;
  return query.control === undefined || accessReviewPerformed.criteria.includes(query.control);
}

const privilegesOf = (row: ReviewRow) => [row.roles, row.privileged === 'yes' ? 'privileged' : ''].filter(Boolean).join('; ');

/** The row as it stood when the period ended (`until`): a decision recorded at or after it is not the period's. */
function itemOf(state: ReviewState, reviewEntry: string, row: ReviewRow, until: number): PopulationItem {
  const recorded = state.decisions.get(row.row) ?? null;
  const decision = recorded && Date.parse(recorded.decidedAt) < until ? recorded : null;
  const undecided = recorded && !decision ? `undecided at the period's end (${recorded.decision} by ${recorded.reviewer} on ${recorded.decidedAt}, after it)` : 'undecided';
  const signedDecision = decision ? { row: decision.row, account: decision.account, decision: decision.decision, reviewer: decision.reviewer, comment: decision.comment } : null;
  const person = row.person || row.email;
  return {
    kind: ACCESS_REVIEW_KIND,
    system: state.system,
    stream: ACCESS_REVIEW_STREAM,
    key: `${state.reviewId} row ${row.row}`,
    summary: [`${row.account}${person ? ` (${person})` : ''}`, decision ? `${decision.decision} by ${decision.reviewer}` : undecided, `suggested ${row.suggestedAction}`].join(' · '),
    occurredAt: decision?.decidedAt ?? null,
    firstObservedAt: state.startedAt,
    lastObservedAt: decision?.decidedAt ?? state.startedAt,
    recordHash: hashCanonical({ review: reviewEntry, row, decision: signedDecision }).hash,
    snapshotHashes: decision ? [reviewEntry, decision.entry] : [reviewEntry],
    runId: state.body.sources.map((source) => source.runId).join(' '),
    controls: [...accessReviewPerformed.criteria],
    details: {
      review_id: state.reviewId,
      account: row.account,
      person,
      privileges: privilegesOf(row),
      suggested_action: row.suggestedAction,
      suggestion_reason: row.suggestionReason,
      decision: decision?.decision ?? '',
      reviewer: decision?.reviewer ?? '',
      decided_at: decision?.decidedAt ?? '',
      comment: decision?.comment ?? '',
    },
  };
}

/**
 * The rows of the reviews started in the period (`since` inclusive, `until` exclusive), review by
 * review in the chain's order, rows in the review's order; nothing when the query asks for another
 * kind or a criterion reviews do not serve.
 */
export async function* accessReviewItems(locker: Pick<Locker, 'accessReviews'>, query: PopulationQuery, onSources: SourceSink): AsyncIterable<PopulationItem> {
  if (!wanted(query)) return;
  const entries: AccessReviewEntry[] = await locker.accessReviews();
  const since = query.period.since.getTime();
  const until = query.period.until.getTime();
  const reviewEntry = new Map(entries.filter((entry) => entry.kind === 'review').map((entry) => [entry.reviewId, entry.hash]));
  for (const state of reviewStates(entries)) {
    const started = Date.parse(state.startedAt);
    if (started < since || started >= until) continue;
    const entry = reviewEntry.get(state.reviewId)!;
    const runs = state.body.sources.map((source) => `${source.runId} ${source.stream}`);
    for (const row of state.body.rows) {
      const item = itemOf(state, entry, row, until);
      onSources(item, [...runs, ...item.snapshotHashes.map(reviewEntrySource)]);
      yield item;
    }
  }
}

/** Why a review population is empty. */
export function emptyReviewReason(query: PopulationQuery): string | null {
  return query.kind === ACCESS_REVIEW_KIND ? 'no access review was started in the period (evidentia access-review start)' : null;
}
