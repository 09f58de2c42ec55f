/**
 * Verification of access reviews: each entry row against its signed entry
 * object, and the chain of entries. The entry object holds the population or
 * the decisions, the locker key signed its hash, and the object check
 * re-hashes it: an edited decision, an edited or removed review, or an entry
 * slipped in without the key is named here or there, and so is a file an
 * entry names (the decided workbook) that is gone or altered.
 */
import { ACCESS_REVIEW_TABLE, AccessReviewObject, type AccessReviewRow } from './access-reviews.js';
import { EntrySigners } from './entry-signers.js';
import type { KeyChain } from './key-rotation.js';
import { checkChainedRow, checkRowAgainstEntry, parseEntryObject } from './signed-entries.js';
import type { VerifyScope } from './verify-scope.js';

/** Register every entry object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkAccessReviewEntries(scope: VerifyScope, keys: KeyChain): number {
  // A review a quarter per system: few rows, read whole.
  const rows = scope.db.prepare('SELECT * FROM access_review_entries ORDER BY sequence').all() as AccessReviewRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  const signers = new EntrySigners(keys);
  let prior: AccessReviewRow | null = null;
  for (const row of rows) {
    const label = `access-review entry ${row.sequence} (${row.kind} of review ${row.review_id}, ${row.system})`;
    refer.run(row.hash, label);
    checkChainedRow(scope, signers, ACCESS_REVIEW_TABLE, row, prior, label, row.added_at);
    prior = row;
    checkRowAgainstEntry(scope, ACCESS_REVIEW_TABLE, row, label);
    // The files the entry names (a decisions batch's workbook) are evidence too: gone or altered, the object check says so.
    const loaded = scope.objects.load(row.hash);
    const entry = loaded.state === 'ok' ? parseEntryObject(AccessReviewObject, loaded.bytes) : null;
    for (const file of entry?.files ?? []) refer.run(file, `file of ${label}`);
  }
  return rows.length;
}
