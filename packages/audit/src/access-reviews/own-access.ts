/**
 * Segregation of duties in a review: nobody decides their own access. A
 * decision's reviewer is the account's holder when it names the account, its
 * email or the person it belongs to (case aside); such a decision is refused
 * on import and, found in an older locker, keeps the check from passing.
 */
import type { ReviewRow } from './types.js';

/** Whether `reviewer` holds the account of `row`. */
export function decidesOwnAccess(row: Pick<ReviewRow, 'account' | 'email' | 'person'>, reviewer: string): boolean {
  const who = reviewer.trim().toLowerCase();
  return who !== '' && [row.account, row.email, row.person].some((id) => id.trim().toLowerCase() === who);
}
