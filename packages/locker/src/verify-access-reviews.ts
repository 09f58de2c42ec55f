/**
 * Verification of access reviews: each entry row against its signed entry
 * object, and the chain of entries. The entry object holds the population or
 * the decisions, the locker key signed its hash, and the object check
 * re-hashes it: an edited decision, an edited or removed review, or an entry
 * slipped in without the key is named here or there.
 */
import { ACCESS_REVIEW_FORMAT, AccessReviewObject, accessReviewRowOf, type AccessReviewRow } from './access-reviews.js';
import type { KeyChain } from './key-rotation.js';
import { checkChainLink, checkEntrySignature, parseJsonObject } from './signed-chain.js';
import type { VerifyScope } from './verify-scope.js';

/** Register every entry object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkAccessReviewEntries(scope: VerifyScope, keys: KeyChain): number {
  // A review a quarter per system: few rows, read whole.
  const rows = scope.db.prepare('SELECT * FROM access_review_entries ORDER BY sequence').all() as AccessReviewRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  let prior: AccessReviewRow | null = null;
  for (const row of rows) {
    const label = `access-review entry ${row.sequence} (${row.kind} of review ${row.review_id}, ${row.system})`;
    refer.run(row.hash, label);
    checkChainLink(scope, row, prior, label, 'access-review', 'access-review-altered');
    prior = row;
    checkEntrySignature(scope, keys, ACCESS_REVIEW_FORMAT, row, label);
    const loaded = scope.objects.load(row.hash);
    // A missing or altered entry object is named by the object check.
    if (loaded.state !== 'ok') continue;
    const entry = AccessReviewObject.safeParse(parseJsonObject(loaded.bytes));
    if (!entry.success) {
      scope.problem('access-review-altered', `${label}: object ${row.hash} is not an evidentia access-review entry`);
      continue;
    }
    const expected = accessReviewRowOf(entry.data, row.hash, row.signature);
    const differing = (Object.keys(expected) as (keyof AccessReviewRow)[]).filter((column) => expected[column] !== row[column]);
    if (differing.length > 0) scope.problem('access-review-altered', `${label}: ${differing.join(', ')} in the access_review_entries table differ from its entry ${row.hash}`);
  }
  return rows.length;
}
