/**
 * Document evidence and accepted exceptions in the bundle. Both chains go in
 * whole (an entry is a few hundred bytes), so the verifier can follow them
 * from their first entry; a document's bytes go in when its effective day
 * falls in the period (in the audit zone), named by their SHA-256, and its
 * line says so.
 */
import { DOCUMENT_FORMAT, type Locker } from '@evidentia/locker';
import type { Period } from '@evidentia/audit';
import { TimeZone } from '@evidentia/time';
import { PATHS, type EntryLine } from './layout.js';
import type { ZipWriter } from './zip-writer.js';

const dayOf = (zone: TimeZone, instant: number) => new Date(zone.wallOf(instant)).toISOString().slice(0, 10);

interface DocumentFields {
  format: string;
  effective: string;
  content: string;
}

const isDocument = (entry: unknown): entry is DocumentFields => typeof entry === 'object' && entry !== null && (entry as { format?: unknown }).format === DOCUMENT_FORMAT;

/** Add both chains and the period's document files; returns how many documents' files went in. */
export async function addSignedEntries(zip: ZipWriter, locker: Locker, period: Period, timezone: string): Promise<{ documents: number; files: number; acceptances: number }> {
  const zone = TimeZone.of(timezone);
  // The period's days in the zone: until is exclusive, so its last day is the one before it.
  const first = dayOf(zone, period.since.getTime());
  const last = dayOf(zone, period.until.getTime() - 1);
  const documents = await locker.signedEntries('documents');
  const files = new Set<string>();
  const lines = documents.map(({ signature, entry }): EntryLine => {
    const inPeriod = isDocument(entry) && entry.effective >= first && entry.effective <= last;
    if (inPeriod) files.add(entry.content);
    return { signature, entry, file: inPeriod };
  });
  if (lines.length > 0) await zip.add(PATHS.documentEntries, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  for (const hash of files) await zip.add(PATHS.documentFile(hash), await locker.readObject(hash));
  const acceptances = await locker.signedEntries('acceptances');
  if (acceptances.length > 0) await zip.add(PATHS.acceptanceEntries, acceptances.map(({ signature, entry }) => `${JSON.stringify({ signature, entry })}\n`).join(''));
  return { documents: documents.length, files: files.size, acceptances: acceptances.length };
}
