/**
 * What every signed chain of people's entries beside the manifests shares
 * (documents, access reviews): each row names the previous entry's hash and
 * carries the locker key's signature over its own entry's hash. Here: the
 * link check that names entries removed or slipped in between others, and
 * the signature check against any key of the trusted chain.
 */
import type { KeyChain } from './key-rotation.js';
import { documentSignedBy } from './sign-document.js';
import type { ProblemCode } from './types.js';
import type { VerifyScope } from './verify-scope.js';

export interface ChainRow {
  sequence: number;
  hash: string;
  previous: string | null;
  signature: string;
}

/** Name a gap in the sequence or a previous hash that is not the prior row's; `noun` names the entries ("document"). */
export function checkChainLink(scope: VerifyScope, row: ChainRow, prior: ChainRow | null, label: string, noun: string, code: ProblemCode): void {
  const expected = (prior?.sequence ?? 0) + 1;
  if (row.sequence > expected) {
    const gap = row.sequence - 1 > expected ? `${noun} entries ${expected}–${row.sequence - 1} are` : `${noun} entry ${expected} is`;
    scope.problem(code, `${gap} missing: the chain goes from ${prior ? `${noun} ${prior.sequence}` : 'its start'} to ${label}`);
  }
  if (row.previous !== (prior?.hash ?? null)) {
    scope.problem('chain-broken', `${label} links to previous entry ${row.previous ?? 'none'}, but ${prior ? `${noun} ${prior.sequence} has hash ${prior.hash}` : 'it is the first entry'}`);
  }
}

/** Name a signature over the row's entry hash that no key of the trusted chain made (entries are not sequenced with manifests, so any may have). */
export function checkEntrySignature(scope: VerifyScope, keys: KeyChain, purpose: string, row: ChainRow, label: string): void {
  if (keys.epochs.some(({ key }) => documentSignedBy(key, purpose, Buffer.from(row.hash, 'utf8'), row.signature))) return;
  scope.problem('signature-invalid', `${label}: the signature over entry ${row.hash} does not verify with key ${keys.epochs.map(({ key }) => key.keyId).join(' or ')}`);
}

/** The JSON an entry object holds, or null when it is not JSON. */
export function parseJsonObject(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
