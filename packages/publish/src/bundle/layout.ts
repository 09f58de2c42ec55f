/**
 * Where things live in an audit bundle and what its index says. The index
 * lists every other file with its SHA-256 and is signed with the locker key
 * (`index.sig`), so an auditor with the public key can tell that no file was
 * altered, removed or added, including the derived ones (populations, check
 * results, the report) that no manifest covers.
 */
export const BUNDLE_FORMAT = 'evidentia.bundle/1';
export const INDEX_SIGNATURE_PURPOSE = 'evidentia.bundle-index/1';

export const PATHS = {
  readme: 'README.md',
  /** The standalone verifier (node verify.mjs bundle.zip): the checks of `verify --bundle` with nothing installed. */
  verifier: 'verify.mjs',
  publicKey: 'public-key.pem',
  /** The locker's key rotation records (keys/rotations/000001.json, …), followed from public-key.pem. */
  rotations: 'keys/rotations/',
  chain: 'manifests/chain.jsonl',
  checkpoints: 'witness/checkpoints.jsonl',
  manifest: (sequence: number) => `manifests/${sequence}.json`,
  records: 'records/records.jsonl',
  snapshots: (sequence: number, stream: string) => `snapshots/${sequence}/${stream}.jsonl`,
  object: (hash: string) => `objects/${hash}`,
  population: (criterion: string) => `populations/${criterion}.csv`,
  checks: 'checks/results.json',
  /** Every document evidence entry as signed ({signature, entry, file}), in chain order. */
  documentEntries: 'documents/entries.jsonl',
  /** A document's bytes, named by their SHA-256 (the entry's content): those effective in the period or counted by its request ledger. */
  documentFile: (hash: string) => `documents/files/${hash}`,
  /** Every exception acceptance and revocation as signed ({signature, entry}), in chain order. */
  acceptanceEntries: 'acceptances/entries.jsonl',
  /** Every access-review entry (review started, decisions imported) as signed ({signature, entry, file}), in chain order. */
  accessReviewEntries: 'access-reviews/entries.jsonl',
  /** A file an access-review entry names (the decided workbook), by its SHA-256: those of reviews started in the period. */
  accessReviewFile: (hash: string) => `access-reviews/files/${hash}`,
  coverage: 'coverage/coverage.json',
  report: 'report.html',
  index: 'index.json',
  signature: 'index.sig',
} as const;

/** A line of documents/, acceptances/ or access-reviews/entries.jsonl: the entry object as signed; `file` says whether the files it names are in the bundle. */
export interface EntryLine {
  signature: string;
  entry: unknown;
  file?: boolean;
}

/** A line of manifests/chain.jsonl: the manifest's row in the locker. */
export interface ChainLine {
  sequence: number;
  runId: string;
  hash: string;
  previous: string | null;
  signature: string;
}

/** A stream run whose data (snapshots, record set, records) is in the bundle. */
export interface IncludedStream {
  sequence: number;
  runId: string;
  /** `<instance>/<stream>` */
  stream: string;
}

export interface BundleIndex {
  format: typeof BUNDLE_FORMAT;
  period: { since: string; until: string };
  createdAt: string;
  keyId: string;
  /** The first manifest is the one before the period's first: the anchor the chain is checked from. */
  manifests: { first: number; last: number };
  streams: IncludedStream[];
  files: { path: string; sha256: string; bytes: number }[];
}
