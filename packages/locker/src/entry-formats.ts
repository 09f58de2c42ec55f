/**
 * The purposes (and format names) of the locker's signed entry chains, in a
 * module of their own with no dependency, so the standalone bundle verifier
 * can name them without bundling the schemas that describe the entries.
 */
export const DOCUMENT_FORMAT = 'evidentia.document/1';
export const ACCEPTANCE_FORMAT = 'evidentia.exception-acceptance/1';
export const ACCESS_REVIEW_FORMAT = 'evidentia.access-review/1';
export const PORTAL_LOG_FORMAT = 'evidentia.portal-log/1';

/** The tables holding a signed entry chain, by the name a bundle gives them. */
export const ENTRY_TABLES = { documents: 'document_entries', acceptances: 'exception_acceptances', accessReviews: 'access_review_entries' } as const;
export type EntryChain = keyof typeof ENTRY_TABLES;

/**
 * The chains a witness checkpoint covers besides the run chain, by the name
 * a checkpoint gives them, with the noun verify names their entries by.
 * Access reviews and the portal's audit log are witnessed though a bundle does not carry them.
 */
export const WITNESSED_CHAINS = {
  documents: { table: ENTRY_TABLES.documents, noun: 'document' },
  acceptances: { table: ENTRY_TABLES.acceptances, noun: 'acceptance' },
  accessReviews: { table: 'access_review_entries', noun: 'access-review' },
  portalLog: { table: 'portal_log_entries', noun: 'portal-log' },
} as const;
export type WitnessedChain = keyof typeof WITNESSED_CHAINS;

/** One entry of a chain, as a checkpoint is compared with it. */
export interface ChainLink {
  sequence: number;
  hash: string;
}
