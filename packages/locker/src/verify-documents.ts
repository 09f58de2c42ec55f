/**
 * Verification of document evidence: each entry row against its signed
 * entry object, the chain of entries (sequence and previous hash), and the
 * file object it names. The entry object's hash covers the file's hash, the
 * locker key signed the entry's hash, and the object check re-hashes the file:
 * an altered file, row or entry, or one added or removed between others
 * without the key, is named here or there.
 */
import { DOCUMENT_TABLE, type DocumentRow } from './documents.js';
import { EntrySigners } from './entry-signers.js';
import type { KeyChain } from './key-rotation.js';
import { checkChainedRow, checkRowAgainstEntry } from './signed-entries.js';
import { type VerifyScope } from './verify-scope.js';

/** Register every entry and file object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkDocumentEntries(scope: VerifyScope, keys: KeyChain): number {
  // Documents are added by people, a few thousand at most: read whole, so the object references can be written while walking them.
  const rows = scope.db.prepare('SELECT * FROM document_entries ORDER BY sequence').all() as DocumentRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  const signers = new EntrySigners(keys);
  let prior: DocumentRow | null = null;
  for (const row of rows) {
    const label = `document ${row.sequence} (${JSON.stringify(row.file_name)} for request ${row.request})`;
    refer.run(row.hash, `${label}, its entry`);
    refer.run(row.content, `${label}, its file`);
    checkChainedRow(scope, signers, DOCUMENT_TABLE, row, prior, label, row.added_at);
    prior = row;
    checkRowAgainstEntry(scope, DOCUMENT_TABLE, row, label);
  }
  return rows.length;
}
