/**
 * The bundle's document evidence, exception acceptances and access reviews, checked as the
 * locker's verify checks them: each entry re-hashed (SHA-256 of its canonical
 * JSON) and its signature checked for its purpose with the key of the trusted
 * chain in effect at the entry's time (never a retired one, never going back),
 * the chain followed from its first entry (sequence and previous hash), each
 * document file the line says is included present and hashing to the entry's
 * content, each revocation naming an earlier acceptance of its item once,
 * each batch of decisions naming an earlier review, and each access-review
 * file the line says is included present and hashing to its name.
 * No schema library: the standalone verifier stays free of dependencies.
 */
import { canonicalJson, sha256Hex } from '@evidentia/evidence';
import { ACCEPTANCE_FORMAT, ACCESS_REVIEW_FORMAT, DOCUMENT_FORMAT, documentSignedBy, EntrySigners, type ChainLink, type KeyChain } from '@evidentia/locker';
import { PATHS, type EntryLine } from './layout.js';
import type { BundleProblemCode, BundleScope } from './verify-scope.js';

/** The bundle's entry chains as the witness checkpoints are compared with them: a chain the bundle does not carry is empty (export leaves out only an empty one). */
export interface BundleLinks {
  documents: ChainLink[];
  acceptances: ChainLink[];
  accessReviews: ChainLink[];
}

interface Entry {
  format: string;
  sequence: number;
  previous: string | null;
  [field: string]: unknown;
}

interface Chain {
  path: string;
  purpose: string;
  noun: string;
  code: Extract<BundleProblemCode, 'document-altered' | 'acceptance-altered' | 'access-review-altered'>;
  /** The entry's field saying when it was added, which places its signature among the key rotations. */
  time: string;
  label(entry: Entry): string;
}

const DOCUMENTS: Chain = {
  path: PATHS.documentEntries,
  purpose: DOCUMENT_FORMAT,
  noun: 'document',
  code: 'document-altered',
  time: 'addedAt',
  label: (entry) => `document ${entry.sequence} (${JSON.stringify(entry.fileName)} for request ${String(entry.request)})`,
};

const ACCEPTANCES: Chain = {
  path: PATHS.acceptanceEntries,
  purpose: ACCEPTANCE_FORMAT,
  noun: 'acceptance',
  code: 'acceptance-altered',
  time: 'recordedAt',
  label: (entry) => (entry.action === 'revoke' ? `acceptance ${entry.sequence} (revocation of ${String(entry.revokes)}, item ${JSON.stringify(entry.item)})` : `acceptance ${entry.sequence} (${String(entry.check)}, item ${JSON.stringify(entry.item)})`),
};

const ACCESS_REVIEWS: Chain = {
  path: PATHS.accessReviewEntries,
  purpose: ACCESS_REVIEW_FORMAT,
  noun: 'access-review',
  code: 'access-review-altered',
  time: 'addedAt',
  label: (entry) => `access-review entry ${entry.sequence} (${String(entry.kind)} of review ${String(entry.reviewId)}, ${String(entry.system)})`,
};

/** Each batch of decisions decides a review an earlier entry started; each file its line includes is there, whole. */
async function checkAccessReviews(scope: BundleScope, keys: KeyChain, links: ChainLink[]): Promise<number> {
  const started = new Set<unknown>();
  return walk(scope, keys, ACCESS_REVIEWS, links, async (entry, line, label) => {
    if (entry.kind === 'review') started.add(entry.reviewId);
    else if (!started.has(entry.reviewId)) scope.problem('access-review-altered', PATHS.accessReviewEntries, `${label}: decides review ${String(entry.reviewId)}, which no earlier entry started`);
    if (!line.file) return;
    for (const hash of Array.isArray(entry.files) ? (entry.files as unknown[]) : []) {
      const path = PATHS.accessReviewFile(String(hash));
      if (!scope.zip.has(path)) scope.problem('file-missing', path, `${label}: its file is listed as included but is not in the bundle`);
      else if ((await scope.zip.digest(path)).sha256 !== hash) scope.problem('access-review-altered', path, `${label}: its file does not hash to ${String(hash)}, the SHA-256 its signed entry names`);
    }
  });
}

function parseLine(text: string, purpose: string): { line: EntryLine; entry: Entry } | null {
  try {
    const line = JSON.parse(text) as EntryLine;
    const entry = line.entry as Entry;
    if (typeof line.signature !== 'string' || typeof entry !== 'object' || entry === null || entry.format !== purpose || !Number.isInteger(entry.sequence)) return null;
    return { line, entry };
  } catch {
    return null;
  }
}

/** Walk one chain, adding each well-formed entry's sequence and hash to `links`; `each` gets it after its chain and signature checks. Returns the number of entries. */
async function walk(scope: BundleScope, keys: KeyChain, chain: Chain, links: ChainLink[], each: (entry: Entry, line: EntryLine, label: string) => Promise<void> | void): Promise<number> {
  if (!scope.zip.has(chain.path)) return 0;
  let prior: { sequence: number; hash: string } | null = null;
  let count = 0;
  const signers = new EntrySigners(keys);
  for await (const text of scope.zip.lines(chain.path)) {
    if (!text) continue;
    count++;
    const parsed = parseLine(text, chain.purpose);
    if (!parsed) {
      scope.problem(chain.code, chain.path, `line ${count} is not a signed ${chain.noun} entry`);
      continue;
    }
    const { line, entry } = parsed;
    const label = chain.label(entry);
    const hash: string = sha256Hex(canonicalJson(entry));
    const expected: number = (prior?.sequence ?? 0) + 1;
    if (entry.sequence !== expected) scope.problem('chain-broken', chain.path, `${label} follows ${prior ? `${chain.noun} ${prior.sequence}` : 'the start'}: ${chain.noun} ${expected} is missing or out of order`);
    else if (entry.previous !== (prior?.hash ?? null)) scope.problem('chain-broken', chain.path, `${label} links to previous entry ${entry.previous ?? 'none'}, but ${prior ? `${chain.noun} ${prior.sequence} has hash ${prior.hash}` : 'it is the first entry'}`);
    const signature = signers.check(label, `entry ${hash}`, String(entry[chain.time]), (key) => documentSignedBy(key, chain.purpose, Buffer.from(hash, 'utf8'), line.signature));
    if (signature) scope.problem('signature-invalid', chain.path, signature);
    prior = { sequence: entry.sequence, hash };
    links.push(prior);
    await each(entry, line, label);
  }
  return count;
}

/** Check the bundle's document entries and files, its exception acceptances and its access reviews; returns how many entries of each. */
export async function checkSignedEntries(scope: BundleScope, keys: KeyChain): Promise<{ counts: { documents: number; acceptances: number; accessReviews: number }; links: BundleLinks }> {
  const links: BundleLinks = { documents: [], acceptances: [], accessReviews: [] };
  const documents = await walk(scope, keys, DOCUMENTS, links.documents, async (entry, line, label) => {
    if (!line.file) return;
    const path = PATHS.documentFile(String(entry.content));
    if (!scope.zip.has(path)) scope.problem('file-missing', path, `${label}: its file is listed as included but is not in the bundle`);
    else if ((await scope.zip.digest(path)).sha256 !== entry.content) scope.problem('document-altered', path, `${label}: its file does not hash to ${String(entry.content)}, the content its signed entry names`);
  });
  const accepted = new Map<number, { check: unknown; item: unknown; revoked: boolean }>();
  const acceptances = await walk(scope, keys, ACCEPTANCES, links.acceptances, (entry, _line, label) => {
    if (entry.action === 'accept') {
      accepted.set(entry.sequence, { check: entry.check, item: entry.item, revoked: false });
      return;
    }
    const target = accepted.get(Number(entry.revokes));
    if (!target || target.check !== entry.check || target.item !== entry.item) scope.problem('acceptance-altered', PATHS.acceptanceEntries, `${label}: revokes ${String(entry.revokes)}, which is no earlier acceptance of ${String(entry.check)} for this item`);
    else if (target.revoked) scope.problem('acceptance-altered', PATHS.acceptanceEntries, `${label}: acceptance ${String(entry.revokes)} was already revoked`);
    else target.revoked = true;
  });
  return { counts: { documents, acceptances, accessReviews: await checkAccessReviews(scope, keys, links.accessReviews) }, links };
}
