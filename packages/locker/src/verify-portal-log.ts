/**
 * Verification of the portal's audit log: each row against its signed entry
 * object and the chain of entries. An event edited, removed, slipped in or
 * forged without the key is named here or by the object check.
 */
import { EntrySigners } from './entry-signers.js';
import type { KeyChain } from './key-rotation.js';
import { PORTAL_LOG_TABLE, type PortalLogRow } from './portal-log.js';
import { checkChainedRow, checkRowAgainstEntry } from './signed-entries.js';
import type { VerifyScope } from './verify-scope.js';

/** Register every entry object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkPortalLogEntries(scope: VerifyScope, keys: KeyChain): number {
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  const signers = new EntrySigners(keys);
  let prior: PortalLogRow | null = null;
  let count = 0;
  const rows = scope.db.prepare('SELECT * FROM portal_log_entries ORDER BY sequence').all() as PortalLogRow[];
  for (const row of rows) {
    const label = `portal-log ${row.sequence} (${row.action} by ${JSON.stringify(row.user_name)} at ${row.at})`;
    refer.run(row.hash, `${label}, its entry`);
    checkChainedRow(scope, signers, PORTAL_LOG_TABLE, row, prior, label, row.recorded_at);
    checkRowAgainstEntry(scope, PORTAL_LOG_TABLE, row, label);
    prior = row;
    count += 1;
  }
  return count;
}
