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
import { documentSignedBy } from './sign-document.js';
import { type VerifyScope } from './verify-scope.js';

function parseEntry(bytes: Buffer): DocumentObject | null {
  try {
    const parsed = DocumentObject.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The row's columns that differ from what its entry object says. */
function differingColumns(row: DocumentRow, entry: DocumentObject): string[] {
  const expected = rowOf(entry, row.hash, row.signature);
  return (Object.keys(expected) as (keyof DocumentRow)[]).filter((column) => expected[column] !== row[column]);
}

function checkChain(scope: VerifyScope, row: DocumentRow, prior: DocumentRow | null, label: string): void {
  const expected = (prior?.sequence ?? 0) + 1;
  if (row.sequence > expected) {
    const gap = row.sequence - 1 > expected ? `document entries ${expected}–${row.sequence - 1} are` : `document entry ${expected} is`;
    scope.problem('document-altered', `${gap} missing: the chain goes from ${prior ? `document ${prior.sequence}` : 'its start'} to ${label}`);
  }
  if (row.previous !== (prior?.hash ?? null)) {
    scope.problem('chain-broken', `${label} links to previous entry ${row.previous ?? 'none'}, but ${prior ? `document ${prior.sequence} has hash ${prior.hash}` : 'it is the first entry'}`);
  }
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
    checkChain(scope, row, prior, label);
    prior = row;
    // Entries are not sequenced with manifests: any key of the trusted chain may have signed one.
    if (!keys.epochs.some(({ key }) => documentSignedBy(key, DOCUMENT_FORMAT, Buffer.from(row.hash, 'utf8'), row.signature))) {
      scope.problem('signature-invalid', `${label}: the signature over entry ${row.hash} does not verify with key ${keys.epochs.map(({ key }) => key.keyId).join(' or ')}`);
    }
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
