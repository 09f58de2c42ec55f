/**
 * Reviews as the locker's signed entries tell them: each review with every
 * decision recorded on it, whether complete, and the files imported. Pure:
 * the status command, the import and the check read the same states.
 */
import type { AccessReviewEntry } from '@evidentia/locker';
import { DecisionsBody, ReviewBody, type ReviewState } from './types.js';

export function reviewStates(entries: readonly AccessReviewEntry[]): ReviewState[] {
  const states = new Map<string, ReviewState>();
  for (const entry of entries) {
    if (entry.kind === 'review') {
      states.set(entry.reviewId, {
        reviewId: entry.reviewId,
        system: entry.system,
        startedAt: entry.addedAt,
        startedBy: entry.addedBy,
        body: ReviewBody.parse(entry.body),
        decisions: new Map(),
        files: [],
        complete: false,
      });
      continue;
    }
    const state = states.get(entry.reviewId);
    if (!state) throw new Error(`access-review entry ${entry.sequence} decides review ${entry.reviewId}, which no earlier entry started (run verify)`);
    const body = DecisionsBody.parse(entry.body);
    for (const decision of body.decisions) state.decisions.set(decision.row, { ...decision, decidedAt: entry.addedAt, entry: entry.hash });
    state.files.push(body.file.sha256);
  }
  // A review with no row reviewed nothing: never complete.
  for (const state of states.values()) state.complete = state.body.rows.length > 0 && state.body.rows.every((row) => state.decisions.has(row.row));
  return [...states.values()];
}
