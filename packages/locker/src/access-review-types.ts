/**
 * The shapes of stored access reviews, apart from the code that stores them,
 * so the Locker interface can name them without an import circle.
 */

/** What an access-review entry is: the review as started (its population) or a batch of decisions on it. */
export type AccessReviewEntryKind = 'review' | 'decisions';

/** One entry to append; `body` is canonical JSON the judging half defines (rows, or decisions). */
export interface AccessReviewInput {
  reviewId: string;
  kind: AccessReviewEntryKind;
  system: string;
  addedBy: string;
  body: unknown;
  /** Files the entry rests on (a decisions batch: the filled-in workbook), kept as objects by their SHA-256 so a bundle can carry them. */
  files?: readonly Buffer[];
}

/** A stored, signed access-review entry with its body as signed. */
export interface AccessReviewEntry {
  sequence: number;
  /** Hash of the signed entry object. */
  hash: string;
  reviewId: string;
  kind: AccessReviewEntryKind;
  system: string;
  addedBy: string;
  addedAt: string;
  body: unknown;
}

/**
 * Called under the writer lock with every stored entry before a new one is
 * written; throwing refuses the entry and nothing is stored (a duplicate
 * import, a review already closed).
 */
export type AccessReviewGuard = (stored: readonly AccessReviewEntry[]) => void;
