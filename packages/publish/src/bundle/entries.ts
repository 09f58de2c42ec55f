/**
 * Document evidence, accepted exceptions and user access reviews in the
 * bundle. The chains go in whole (an entry is a few hundred bytes, a review
 * one row per account), so the verifier can follow them from their first
 * entry; a document's bytes go in when its effective day falls in the period
 * (in the audit zone) or the period's request ledger counts it (a background
 * check for a hire of the period, effective the day it was added after the
 * period ended), and the files an access-review entry names (the
 * decided workbook) when its review was started in the period, named by
 * their SHA-256, and the line says so.
 */
import { ACCESS_REVIEW_FORMAT, DOCUMENT_FORMAT, type Locker } from '@evidentia/locker';
import type { Period } from '@evidentia/audit';
import { TimeZone } from '@evidentia/time';
import { PATHS, type EntryLine } from './layout.js';
import type { ZipWriter } from './zip-writer.js';

const dayOf = (zone: TimeZone, instant: number) => new Date(zone.wallOf(instant)).toISOString().slice(0, 10);

interface DocumentFields {
  format: string;
  sequence: number;
  effective: string;
  content: string;
}

const isDocument = (entry: unknown): entry is DocumentFields => typeof entry === 'object' && entry !== null && (entry as { format?: unknown }).format === DOCUMENT_FORMAT;

interface ReviewFields {
  reviewId: string;
  kind: string;
  addedAt: string;
  files?: string[];
}

const isReview = (entry: unknown): entry is ReviewFields => typeof entry === 'object' && entry !== null && (entry as { format?: unknown }).format === ACCESS_REVIEW_FORMAT;

/** The access-review chain, and the files of the entries of reviews started in the period. */
async function addAccessReviews(zip: ZipWriter, locker: Locker, period: Period): Promise<{ accessReviews: number; reviewFiles: number }> {
  const entries = await locker.signedEntries('accessReviews');
  const inPeriod = new Set(
    entries
      .map(({ entry }) => entry)
      .filter(isReview)
      .filter((entry) => entry.kind === 'review' && Date.parse(entry.addedAt) >= period.since.getTime() && Date.parse(entry.addedAt) < period.until.getTime())
      .map((entry) => entry.reviewId),
  );
  const files = new Set<string>();
  const lines = entries.map(({ signature, entry }): EntryLine => {
    const included = isReview(entry) && inPeriod.has(entry.reviewId) && (entry.files?.length ?? 0) > 0;
    if (included) for (const file of entry.files!) files.add(file);
    return { signature, entry, file: included };
  });
  if (lines.length > 0) await zip.add(PATHS.accessReviewEntries, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  for (const hash of files) await zip.add(PATHS.accessReviewFile(hash), await locker.readObject(hash));
  return { accessReviews: entries.length, reviewFiles: files.size };
}

/**
 * Add the chains, the period's document files and its reviews' files; returns how many entries and files went in.
 * `cited` are the documents (entry sequences) the period's request ledger counts, whatever their effective day.
 */
export async function addSignedEntries(
  zip: ZipWriter,
  locker: Locker,
  period: Period,
  timezone: string,
  cited: ReadonlySet<number> = new Set(),
): Promise<{ documents: number; files: number; acceptances: number; accessReviews: number; reviewFiles: number }> {
  const zone = TimeZone.of(timezone);
  // The period's days in the zone: until is exclusive, so its last day is the one before it.
  const first = dayOf(zone, period.since.getTime());
  const last = dayOf(zone, period.until.getTime() - 1);
  const documents = await locker.signedEntries('documents');
  const files = new Set<string>();
  const lines = documents.map(({ signature, entry }): EntryLine => {
    const inPeriod = isDocument(entry) && ((entry.effective >= first && entry.effective <= last) || cited.has(entry.sequence));
    if (inPeriod) files.add(entry.content);
    return { signature, entry, file: inPeriod };
  });
  if (lines.length > 0) await zip.add(PATHS.documentEntries, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  for (const hash of files) await zip.add(PATHS.documentFile(hash), await locker.readObject(hash));
  const acceptances = await locker.signedEntries('acceptances');
  if (acceptances.length > 0) await zip.add(PATHS.acceptanceEntries, acceptances.map(({ signature, entry }) => `${JSON.stringify({ signature, entry })}\n`).join(''));
  return { documents: documents.length, files: files.size, acceptances: acceptances.length, ...(await addAccessReviews(zip, locker, period)) };
}
