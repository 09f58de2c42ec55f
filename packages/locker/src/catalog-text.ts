/**
 * Official requirement text overlaid on the catalogs. evidentia ships IDs and
 * own-words labels only (AICPA, ISO and BSI text is copyrighted); a user who
 * holds a licensed copy imports the wording into their own locker, never into
 * the repository. Each import is one object (canonical JSON, named by its
 * hash like a manifest) and one row in an append-only table; a later import
 * of an ID supersedes the earlier text, which stays on record. The row
 * carries the locker key's signature over the object hash, so `verify` tells
 * an import this locker made from rows and objects added behind its back.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HASH_PATTERN } from '@evidentia/evidence';
import { LockerError } from './errors.js';
import { assertSignerInEffect } from './key-rotation.js';
import type { ObjectStore } from './objects.js';
import { openDatabase, type Db } from './schema.js';
import type { Signer } from './keys.js';
import { signDocument } from './sign-document.js';
import { acquireWriterLock, releaseWriterLock } from './writer-lock.js';
import type { CatalogTextEntry, CatalogTextImport, CatalogTextImportInfo, CatalogTextImportResult } from './types.js';

export const CATALOG_TEXT_FORMAT = 'evidentia.catalog-text/1';

const ImportInput = z.object({
  framework: z.string().regex(/^[a-z0-9]+$/, 'expected a framework ID such as iso27001'),
  entries: z
    .array(z.object({ id: z.string().trim().min(1), text: z.string().trim().min(1) }).strict())
    .min(1)
    .refine((entries) => new Set(entries.map((entry) => entry.id)).size === entries.length, 'requirement IDs must be unique'),
  sourceName: z.string().trim().min(1),
  sourceSha256: z.string().regex(HASH_PATTERN, 'expected a SHA-256 hex hash'),
});

/** What an import object holds. */
export const CatalogTextDocument = ImportInput.extend({ format: z.literal(CATALOG_TEXT_FORMAT), importedAt: z.iso.datetime() }).strict();
export type CatalogTextDocument = z.infer<typeof CatalogTextDocument>;

export interface CatalogTextImportRow {
  sequence: number;
  hash: string;
  framework: string;
  entry_count: number;
  source_name: string;
  source_sha256: string;
  imported_at: string;
  /** The locker key's signature over the object hash (purpose CATALOG_TEXT_FORMAT). */
  signature: string;
}

export interface CatalogTextContext {
  dir: string;
  /** The locker key in effect, which signs each import. */
  signer: Signer;
  dbPath: string;
  objects: ObjectStore;
  now: () => Date;
}

export function importInfo(row: CatalogTextImportRow): CatalogTextImportInfo {
  return {
    sequence: row.sequence,
    hash: row.hash,
    framework: row.framework,
    entryCount: row.entry_count,
    sourceName: row.source_name,
    sourceSha256: row.source_sha256,
    importedAt: row.imported_at,
  };
}

/** The import's object, read and parsed; refused when it is altered or does not match its row. */
function readDocument(objects: ObjectStore, row: CatalogTextImportRow): CatalogTextDocument {
  const parsed = CatalogTextDocument.safeParse(JSON.parse(objects.read(row.hash).toString('utf8')));
  if (!parsed.success || parsed.data.framework !== row.framework) {
    throw new LockerError(`catalog text import ${row.sequence}: object ${row.hash} is not the ${row.framework} text its row names; run \`evidentia verify\``);
  }
  return parsed.data;
}

export function queryCatalogText(db: Db, objects: ObjectStore, framework?: string): CatalogTextEntry[] {
  const rows = db
    .prepare('SELECT * FROM catalog_text_imports WHERE ? IS NULL OR framework = ? ORDER BY sequence')
    .all(framework ?? null, framework ?? null) as CatalogTextImportRow[];
  const latest = new Map<string, CatalogTextEntry>();
  for (const row of rows) {
    const source = importInfo(row);
    for (const { id, text } of readDocument(objects, row).entries) latest.set(`${row.framework}\n${id}`, { framework: row.framework, id, text, source });
  }
  return [...latest.values()];
}

interface SignedDocument {
  document: CatalogTextDocument;
  hash: string;
  signature: string;
}

/** The object first: a kill before the row leaves an object nothing references, which verify notes, never a row without its text. */
async function storeDocument(ctx: CatalogTextContext, input: z.infer<typeof ImportInput>): Promise<SignedDocument> {
  const document: CatalogTextDocument = { format: CATALOG_TEXT_FORMAT, ...input, importedAt: ctx.now().toISOString() };
  const hash = ctx.objects.putValue(document);
  await ctx.objects.flush();
  return { document, hash, signature: await signDocument(ctx.signer, CATALOG_TEXT_FORMAT, Buffer.from(hash, 'utf8')) };
}

function storeImport(db: Db, ctx: CatalogTextContext, input: z.infer<typeof ImportInput>, { document, hash, signature }: SignedDocument): CatalogTextImportResult {
  const before = new Map(queryCatalogText(db, ctx.objects, input.framework).map((entry) => [entry.id, entry.text]));
  const row: Omit<CatalogTextImportRow, 'sequence'> = {
    hash,
    framework: input.framework,
    entry_count: input.entries.length,
    source_name: input.sourceName,
    source_sha256: input.sourceSha256,
    imported_at: document.importedAt,
    signature,
  };
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO catalog_text_imports (hash, framework, entry_count, source_name, source_sha256, imported_at, signature)
       VALUES (@hash, @framework, @entry_count, @source_name, @source_sha256, @imported_at, @signature)`,
    )
    .run(row);
  const previous = input.entries.map((entry) => before.get(entry.id));
  return {
    ...importInfo({ ...row, sequence: Number(lastInsertRowid) }),
    added: previous.filter((text) => text === undefined).length,
    replaced: previous.filter((text, index) => text !== undefined && text !== input.entries[index]!.text).length,
    unchanged: previous.filter((text, index) => text === input.entries[index]!.text).length,
  };
}

/** Store one import under the writer lock, so it never interleaves with a collection run's long write transaction. */
export async function importCatalogText(ctx: CatalogTextContext, input: CatalogTextImport): Promise<CatalogTextImportResult> {
  const parsed = ImportInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
    throw new LockerError(`catalog text import refused: ${problems.join('; ')}`);
  }
  const lockId = `catalog-text-import-${randomBytes(4).toString('hex')}`;
  acquireWriterLock(ctx.dir, lockId);
  try {
    assertSignerInEffect(ctx.dir, ctx.signer);
    const db = openDatabase(ctx.dbPath);
    try {
      const signed = await storeDocument(ctx, parsed.data);
      return db.transaction(() => storeImport(db, ctx, parsed.data, signed)).immediate();
    } finally {
      db.close();
    }
  } finally {
    releaseWriterLock(ctx.dir, lockId);
  }
}
