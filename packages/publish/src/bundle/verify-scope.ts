/**
 * What the bundle verifier's parts share while they check one bundle: the
 * zip, its index, the manifests and record table read so far, and where
 * problems go. A file of its own so the stream checks need not import the
 * verifier that calls them.
 */
import type { Manifest } from '@evidentia/locker';
import type { BundleIndex } from './layout.js';
import type { RecordTable } from './record-table.js';
import type { BundleZip } from './zip-reader.js';

export type BundleProblemCode =
  | 'file-altered'
  | 'file-missing'
  | 'file-added'
  /** An entry the zip cannot give whole (does not inflate, not the size the zip states, too large): the checks stop there. */
  | 'file-unreadable'
  /** The zip's local headers read differently from its central directory (another name, shared or unlisted bytes). */
  | 'zip-ambiguous'
  | 'index-invalid'
  | 'index-unsigned'
  | 'index-signature-invalid'
  | 'key-mismatch'
  | 'chain-broken'
  | 'manifest-altered'
  | 'signature-invalid'
  | 'snapshot-altered'
  | 'record-set-altered'
  | 'record-missing'
  | 'record-added'
  | 'records-unordered'
  | 'object-missing'
  | 'checkpoint-invalid'
  | 'checkpoint-mismatch'
  | 'document-altered'
  | 'acceptance-altered'
  | 'access-review-altered';

export interface BundleScope {
  zip: BundleZip;
  index: BundleIndex;
  manifests: Map<number, Manifest>;
  records: RecordTable;
  problem(code: BundleProblemCode, path: string | null, message: string): void;
}
