/**
 * Document evidence: files people add for an evidence request (a signed
 * policy, a risk assessment, a training roster). Each file is one object
 * holding its bytes as they are, named by their SHA-256; each entry is one
 * canonical-JSON object describing it (request, file name, detected type,
 * who added it and when) and one append-only row carrying the locker key's
 * signature over that object's hash. Entries are chained like manifests
 * (each names the previous entry's hash), so verify tells an entry removed
 * or slipped in between others. A correction is a new entry that names the
 * one it supersedes; both stay.
 */
import { z } from 'zod';
import { HASH_PATTERN, sha256Hex } from '@evidentia/evidence';
import { detectDocumentType, MEDIA_TYPES, type DocumentType } from './document-type.js';
import { LockerError } from './errors.js';
import type { Db } from './schema.js';
import { appendEntries, withWriterDb, type EntryBuilder, type EntryContext, type EntryTable } from './signed-entries.js';
import type { DocumentEntry, DocumentInput } from './types.js';

import { DOCUMENT_FORMAT } from './entry-formats.js';

export { DOCUMENT_FORMAT };

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day such as 2026-03-31');
const hash = z.string().regex(HASH_PATTERN, 'expected a SHA-256 hex hash');

/** What an entry object holds. */
export const DocumentObject = z
  .object({
    format: z.literal(DOCUMENT_FORMAT),
    sequence: z.number().int().positive(),
    previous: hash.nullable(),
    request: z.string().min(1),
    fileName: z.string().min(1),
    type: z.enum(Object.keys(MEDIA_TYPES) as [DocumentType, ...DocumentType[]]),
    size: z.number().int().nonnegative(),
    content: hash,
    addedBy: z.string().min(1),
    addedAt: z.iso.datetime(),
    effective: day,
    subject: z.string().min(1).nullable(),
    note: z.string().nullable(),
    supersedes: z.number().int().positive().nullable(),
  })
  .strict();
export type DocumentObject = z.infer<typeof DocumentObject>;

export interface DocumentRow {
  sequence: number;
  hash: string;
  previous: string | null;
  request: string;
  file_name: string;
  type: string;
  size: number;
  content: string;
  added_by: string;
  added_at: string;
  effective: string;
  subject: string | null;
  note: string | null;
  supersedes: number | null;
  /** The locker key's signature over the entry object's hash (purpose DOCUMENT_FORMAT). */
  signature: string;
}

/** The row as the entry object says it; verify compares the two column by column. */
export function rowOf(document: DocumentObject, entryHash: string, signature: string): DocumentRow {
  return {
    sequence: document.sequence,
    hash: entryHash,
    previous: document.previous,
    request: document.request,
    file_name: document.fileName,
    type: document.type,
    size: document.size,
    content: document.content,
    added_by: document.addedBy,
    added_at: document.addedAt,
    effective: document.effective,
    subject: document.subject,
    note: document.note,
    supersedes: document.supersedes,
    signature,
  };
}

/** The document chain, for appending and verifying. */
export const DOCUMENT_TABLE: EntryTable<DocumentObject, DocumentRow> = { name: 'document_entries', noun: 'document', purpose: DOCUMENT_FORMAT, altered: 'document-altered', schema: DocumentObject, rowOf };

/** Every entry in order; an entry is current until a later one supersedes it. */
export function queryDocuments(db: Db): DocumentEntry[] {
  const rows = db.prepare('SELECT * FROM document_entries ORDER BY sequence').all() as DocumentRow[];
  const supersededBy = new Map(rows.filter((row) => row.supersedes !== null).map((row) => [row.supersedes!, row.sequence]));
  return rows.map((row) => ({
    sequence: row.sequence,
    hash: row.hash,
    request: row.request,
    fileName: row.file_name,
    type: row.type as DocumentType,
    mediaType: MEDIA_TYPES[row.type as DocumentType] ?? 'application/octet-stream',
    size: row.size,
    content: row.content,
    addedBy: row.added_by,
    addedAt: row.added_at,
    effective: row.effective,
    subject: row.subject,
    note: row.note,
    supersedes: row.supersedes,
    supersededBy: supersededBy.get(row.sequence) ?? null,
  }));
}

const BLANK_BYTES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);

/** No bytes, or only ASCII white space after an optional UTF-8 byte order mark: a blank text passes as text, and would answer a request as the policy it stands for. */
function isBlank(bytes: Buffer): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let index = start; index < bytes.length; index++) if (!BLANK_BYTES.has(bytes[index]!)) return false;
  return true;
}

/** What makes a document the same one again: its bytes, and what it answers. */
function identity(content: string, about: Pick<DocumentInput, 'request' | 'effective' | 'subject'>): string {
  return JSON.stringify([content, about.request, about.effective, about.subject]);
}

/** Refuse the whole batch before anything is written: a bad file, a superseded entry that is not current or of another request. */
function checkInputs(db: Db, inputs: DocumentInput[]): DocumentType[] {
  if (inputs.length === 0) throw new LockerError('no document to add');
  const current = queryDocuments(db);
  // The same bytes for the same request, day and subject add nothing but a second entry (a command run twice, a file named twice), unless they correct that entry (its note).
  const sameAs = new Map<string, { name: string; sequence: number | null }>(current.filter((entry) => entry.supersededBy === null).map((entry) => [identity(entry.content, entry), { name: `document ${entry.sequence} (${entry.fileName})`, sequence: entry.sequence }]));
  return inputs.map((input) => {
    if (isBlank(input.bytes)) throw new LockerError(`${input.fileName || '(no name)'}: the file is empty (no bytes, or only white space): it shows nothing; refused`);
    const type = detectDocumentType(input.bytes);
    if (!type) throw new LockerError(`${input.fileName}: not a PDF, PNG, JPEG, Word, Excel or PowerPoint document, CSV or UTF-8 text file (told by its content); refused`);
    const fields = DocumentObject.pick({ request: true, fileName: true, addedBy: true, effective: true, subject: true, note: true }).strip().safeParse(input);
    if (!fields.success) {
      const problems = fields.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new LockerError(`${input.fileName || '(no name)'}: ${problems.join('; ')}`);
    }
    const key = identity(sha256Hex(input.bytes), input);
    const earlier = sameAs.get(key);
    if (earlier && (earlier.sequence === null || earlier.sequence !== input.supersedes)) throw new LockerError(`${input.fileName}: the same file for the same request, effective day and subject as ${earlier.name}; refused, nothing stored`);
    sameAs.set(key, { name: `${input.fileName} in this batch`, sequence: null });
    if (input.supersedes !== null) {
      const old = current.find((entry) => entry.sequence === input.supersedes);
      if (!old) throw new LockerError(`document ${input.supersedes} does not exist, so it cannot be superseded`);
      if (old.request !== input.request) throw new LockerError(`document ${old.sequence} belongs to request ${old.request}, not ${input.request}`);
      if (old.supersededBy !== null) throw new LockerError(`document ${old.sequence} is already superseded by document ${old.supersededBy}; supersede that one`);
    }
    return type;
  });
}

/** Each file's object first, then its entry: a failure or kill leaves at most objects nothing references (verify notes them), never an entry without its file. */
function store(db: Db, ctx: EntryContext, inputs: DocumentInput[], types: DocumentType[]): Promise<DocumentRow[]> {
  const builders: EntryBuilder<DocumentObject>[] = inputs.map((input, index) => ({ sequence, previous }, addedAt) => {
    const content = sha256Hex(input.bytes);
    ctx.objects.put(content, input.bytes);
    const { bytes: _bytes, fileName, ...rest } = input;
    return DocumentObject.parse({ format: DOCUMENT_FORMAT, sequence, previous, ...rest, fileName, type: types[index]!, size: input.bytes.length, content, addedAt });
  });
  return appendEntries(db, ctx, DOCUMENT_TABLE, builders);
}

/** Store a batch of documents under the writer lock (never interleaved with a run); all or nothing. */
export async function addDocuments(ctx: EntryContext, inputs: DocumentInput[]): Promise<DocumentEntry[]> {
  return withWriterDb(ctx.dir, ctx.dbPath, 'document-add', async (db) => {
    const types = checkInputs(db, inputs);
    const stored = new Set((await store(db, ctx, inputs, types)).map((row) => row.sequence));
    return queryDocuments(db).filter((entry) => stored.has(entry.sequence));
  });
}
