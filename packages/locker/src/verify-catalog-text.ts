/**
 * Verification of imported official text: each import row against its
 * object and its signature. The object's hash covers the text, so the row's
 * columns must say what the object says, and the locker key must have signed
 * that hash (the key in effect when it was imported): a row and object added together by someone without the key fail. A missing or altered object is named by the object
 * check, which this tells what each import object is.
 */
import { CATALOG_TEXT_FORMAT, CatalogTextDocument, type CatalogTextImportRow } from './catalog-text.js';
import { EntrySigners } from './entry-signers.js';
import type { KeyChain } from './key-rotation.js';
import { documentSignedBy } from './sign-document.js';
import { differingFields, type VerifyScope } from './verify-scope.js';

type Claims = Pick<CatalogTextDocument, 'framework' | 'sourceName' | 'sourceSha256' | 'importedAt'> & { entryCount: number };

function parseDocument(bytes: Buffer): CatalogTextDocument | null {
  try {
    const parsed = CatalogTextDocument.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Register every import object for the object check and check each row's signature and object; runs before `checkObjects`. Returns the number of imports. */
export function checkCatalogTextImports(scope: VerifyScope, keys: KeyChain): number {
  const rows = scope.db.prepare('SELECT * FROM catalog_text_imports ORDER BY sequence').all() as CatalogTextImportRow[];
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  const signers = new EntrySigners(keys);
  for (const row of rows) {
    const label = `catalog text import ${row.sequence} (${row.framework} from ${JSON.stringify(row.source_name)})`;
    refer.run(row.hash, label);
    const signature = signers.check(label, `object ${row.hash}`, row.imported_at, (key) => documentSignedBy(key, CATALOG_TEXT_FORMAT, Buffer.from(row.hash, 'utf8'), row.signature));
    if (signature) scope.problem('signature-invalid', signature);
    const loaded = scope.objects.load(row.hash);
    if (loaded.state !== 'ok') continue;
    const document = parseDocument(loaded.bytes);
    if (!document) {
      scope.problem('catalog-text-altered', `${label}: object ${row.hash} is not an evidentia catalog text document`);
      continue;
    }
    const claims: Claims = {
      framework: row.framework,
      entryCount: row.entry_count,
      sourceName: row.source_name,
      sourceSha256: row.source_sha256,
      importedAt: row.imported_at,
    };
    const differing = differingFields(claims, { ...document, entryCount: document.entries.length }, ['framework', 'entryCount', 'sourceName', 'sourceSha256', 'importedAt']);
    if (differing.length > 0) scope.problem('catalog-text-altered', `${label}: ${differing.join(', ')} in the catalog_text_imports table differ from its object ${row.hash}`);
  }
  return rows.length;
}
