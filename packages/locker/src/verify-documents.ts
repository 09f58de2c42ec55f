/**
 * Verification of document evidence: each entry row against its signed
 * entry object, the chain of entries (sequence and previous hash), and the
 * file object it names. The entry object's hash covers the file's hash, the
 * locker key signed the entry's hash, and the object check re-hashes the file:
 * an altered file, row or entry, or one added or removed between others
 * without the key, is named here or there.
 */
import { DOCUMENT_FORMAT, DocumentObject, rowOf, type DocumentRow } from './documents.js';
import type { KeyChain } from './key-rotation.js';
import { checkChainLink, checkEntrySignature, parseJsonObject } from './signed-chain.js';
import { type VerifyScope } from './verify-scope.js';

function parseEntry(bytes: Buffer): DocumentObject | null {
  const parsed = DocumentObject.safeParse(parseJsonObject(bytes));
  return parsed.success ? parsed.data : null;
}

/** The row's columns that differ from what its entry object says. */
function differingColumns(row: DocumentRow, entry: DocumentObject): string[] {
  const expected = rowOf(entry, row.hash, row.signature);
  return (Object.keys(expected) as (keyof DocumentRow)[]).filter((column) => expected[column] !== row[column]);
}

/** Register every entry and file object for the object check and check each row; runs before `checkObjects`. Returns the number of entries. */
export function checkDocumentEntries(scope: VerifyScope, keys: KeyChain): number {
  // Documents are added by people, a few thousand at most: read whole, so the object references can be written while walking them.
  const rows = scope.db.prepare('SELECT * FROM document_entries ORDER BY sequence').all() as DocumentRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  let prior: DocumentRow | null = null;
  let count = 0;
  for (const row of rows) {
    count++;
    const label = `document ${row.sequence} (${JSON.stringify(row.file_name)} for request ${row.request})`;
    refer.run(row.hash, `${label}, its entry`);
    refer.run(row.content, `${label}, its file`);
    checkChainLink(scope, row, prior, label, 'document', 'document-altered');
    prior = row;
    checkEntrySignature(scope, keys, DOCUMENT_FORMAT, row, label);
    const loaded = scope.objects.load(row.hash);
    // A missing or altered entry object is named by the object check.
    if (loaded.state !== 'ok') continue;
    const entry = parseEntry(loaded.bytes);
    if (!entry) {
      scope.problem('document-altered', `${label}: object ${row.hash} is not an evidentia document entry`);
      continue;
    }
    const differing = differingColumns(row, entry);
    if (differing.length > 0) scope.problem('document-altered', `${label}: ${differing.join(', ')} in the document_entries table differ from its entry ${row.hash}`);
  }
  return count;
}
