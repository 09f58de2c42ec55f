/**
 * Verification of accepted exceptions: each row against its signed entry
 * object, the chain of entries, and each revocation against the acceptance
 * it names (an earlier acceptance of the same check and item, revoked once).
 * An acceptance edited, removed, slipped in or forged without the key is
 * named here or by the object check.
 */
import { ACCEPTANCE_TABLE, type AcceptanceRow } from './acceptances.js';
import { EntrySigners } from './entry-signers.js';
import type { KeyChain } from './key-rotation.js';
import { checkChainedRow, checkRowAgainstEntry } from './signed-entries.js';
import { type VerifyScope } from './verify-scope.js';

function labelOf(row: AcceptanceRow): string {
  return `${row.action === 'revoke' ? `acceptance ${row.sequence} (revocation of ${row.revokes ?? '?'}` : `acceptance ${row.sequence} (${row.check_id}`}, item ${JSON.stringify(row.item)})`;
}

function checkRevocation(scope: VerifyScope, row: AcceptanceRow, seen: Map<number, AcceptanceRow>, revoked: Set<number>, label: string): void {
  const target = row.revokes === null ? undefined : seen.get(row.revokes);
  if (!target || target.action !== 'accept' || target.check_id !== row.check_id || target.item !== row.item) {
    scope.problem('acceptance-altered', `${label}: revokes ${row.revokes ?? 'nothing'}, which is no earlier acceptance of ${row.check_id} for this item`);
  } else if (revoked.has(target.sequence)) {
    scope.problem('acceptance-altered', `${label}: acceptance ${target.sequence} was already revoked`);
  }
  if (row.revokes !== null) revoked.add(row.revokes);
}

/** Register every entry object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkAcceptanceEntries(scope: VerifyScope, keys: KeyChain): number {
  // People add acceptances one at a time, a few hundred at most: read whole.
  const rows = scope.db.prepare('SELECT * FROM exception_acceptances ORDER BY sequence').all() as AcceptanceRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  const seen = new Map<number, AcceptanceRow>();
  const revoked = new Set<number>();
  const signers = new EntrySigners(keys);
  let prior: AcceptanceRow | null = null;
  for (const row of rows) {
    const label = labelOf(row);
    refer.run(row.hash, `${label}, its entry`);
    checkChainedRow(scope, signers, ACCEPTANCE_TABLE, row, prior, label, row.recorded_at);
    if (row.action === 'revoke') checkRevocation(scope, row, seen, revoked, label);
    seen.set(row.sequence, row);
    prior = row;
    checkRowAgainstEntry(scope, ACCEPTANCE_TABLE, row, label);
  }
  return rows.length;
}
