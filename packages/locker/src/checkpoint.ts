/**
 * Checkpoints: a small signed statement "this locker's chain was at run
 * sequence N with head manifest H at time T", published after every sealed run
 * to witnesses outside the locker. Nothing inside a locker can prove that its
 * newest runs were not deleted (a restored locker.db, a lost WAL); a witness
 * holding a later checkpoint can. The locker id is the hash of manifest #1, so
 * it needs no new table and a replaced locker cannot claim an old one's id.
 * Checkpoints are signed as documents (purpose label + canonical JSON), so a
 * checkpoint signature can never pass for a manifest or bundle signature.
 * A checkpoint also names the head and count of each signed entry chain
 * (documents, acceptances, access reviews), so deleting their newest entries
 * is caught as well; a checkpoint signed before it did so has no `entries`
 * and still verifies (its signature covers the fields it has).
 */
import { canonicalJson, HASH_PATTERN } from '@evidentia/evidence';
import { WITNESSED_CHAINS, type WitnessedChain } from './entry-formats.js';
import { followRotations } from './key-rotation.js';
import { parsePublicKey } from './keys.js';
import { documentSignatureValid } from './sign-document.js';
import type { Locker, ManifestEntry } from './types.js';

export const CHECKPOINT_FORMAT = 'evidentia.checkpoint/1';
export const CHECKPOINT_PURPOSE = 'evidentia.checkpoint/1';

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** The hash of the locker's manifest #1. */
  lockerId: string;
  sequence: number;
  /** The hash of manifest `sequence`: the head of the chain when the checkpoint was signed. */
  head: string;
  runId: string;
  time: string;
  keyId: string;
  /** Each signed entry chain at the time: absent in checkpoints signed before they were witnessed. */
  entries?: Partial<Record<WitnessedChain, EntryHead>>;
}

/** A signed entry chain as a checkpoint names it: how many entries it held and the newest one's hash (null when none). */
export interface EntryHead {
  count: number;
  head: string | null;
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** Base64 Ed25519 signature over the purpose label and the checkpoint's canonical JSON. */
  signature: string;
}

/** The bytes a checkpoint signature covers (before the purpose label). */
export function checkpointBytes(checkpoint: Checkpoint): Buffer {
  return Buffer.from(canonicalJson(checkpoint), 'utf8');
}

/** The locker id of a chain: its first manifest's hash (null while there is none). */
export function lockerIdOf(manifests: Pick<ManifestEntry, 'sequence' | 'hash'>[]): string | null {
  return manifests.find((manifest) => manifest.sequence === 1)?.hash ?? null;
}

/**
 * Sign a checkpoint of the locker's current head with its key (the one place
 * checkpoints are signed, so a change of signer touches only this function).
 * Null when the locker has no manifest yet.
 */
export async function signCheckpoint(locker: Pick<Locker, 'manifests' | 'publicKey' | 'keyRotations' | 'signDocument' | 'chainLinks'>, time: Date): Promise<SignedCheckpoint | null> {
  const manifests = await locker.manifests();
  const head = manifests.at(-1);
  const lockerId = lockerIdOf(manifests);
  if (!head || !lockerId) return null;
  const links = await locker.chainLinks();
  const entries = Object.fromEntries(
    (Object.keys(WITNESSED_CHAINS) as WitnessedChain[]).map((chain) => [chain, { count: links[chain].length, head: links[chain].at(-1)?.hash ?? null }]),
  );
  const checkpoint: Checkpoint = {
    format: CHECKPOINT_FORMAT,
    lockerId,
    sequence: head.sequence,
    head: head.hash,
    runId: head.runId,
    time: time.toISOString(),
    // The key that signs it: the locker's first key followed through its rotations.
    keyId: followRotations(parsePublicKey(await locker.publicKey()), await locker.keyRotations()).epochs.at(-1)!.key.keyId,
    entries,
  };
  const { signature } = await locker.signDocument(CHECKPOINT_PURPOSE, checkpointBytes(checkpoint));
  return { checkpoint, signature };
}

/** One line of a checkpoint log (a witness file, the git log, a bundle's copy). */
export function checkpointLine(signed: SignedCheckpoint): string {
  return `${JSON.stringify(signed)}\n`;
}

/** Whether `entries` is absent or a map of well-formed chain heads (a chain this evidentia does not know is kept, and not compared). */
function entriesWellFormed(entries: unknown): boolean {
  if (entries === undefined) return true;
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return false;
  return Object.values(entries).every((value) => {
    const { count, head } = (value ?? {}) as Partial<EntryHead>;
    return Number.isInteger(count) && count! >= 0 && (count === 0 ? head === null : typeof head === 'string' && HASH_PATTERN.test(head));
  });
}

/** Parse a checkpoint log line, or throw naming what is wrong with it. */
export function parseCheckpoint(text: string): SignedCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`not JSON: ${text.slice(0, 60)}`);
  }
  const { checkpoint, signature } = (value ?? {}) as Partial<SignedCheckpoint>;
  const c = (checkpoint ?? {}) as Partial<Checkpoint>;
  const wellFormed =
    c.format === CHECKPOINT_FORMAT &&
    typeof c.lockerId === 'string' && HASH_PATTERN.test(c.lockerId) &&
    Number.isInteger(c.sequence) && (c.sequence ?? 0) >= 1 &&
    typeof c.head === 'string' && HASH_PATTERN.test(c.head) &&
    typeof c.runId === 'string' && typeof c.time === 'string' && typeof c.keyId === 'string' &&
    entriesWellFormed(c.entries) && typeof signature === 'string';
  if (!wellFormed) throw new Error(`not an ${CHECKPOINT_FORMAT} checkpoint: ${text.slice(0, 60)}`);
  return { checkpoint: c as Checkpoint, signature: signature as string };
}

/** Parse every non-empty line of a checkpoint log; a line that is not a checkpoint is reported by its number. */
export function parseCheckpointLog(text: string): { checkpoints: SignedCheckpoint[]; malformed: string[] } {
  const checkpoints: SignedCheckpoint[] = [];
  const malformed: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      checkpoints.push(parseCheckpoint(line));
    } catch (error) {
      malformed.push(`line ${index + 1}: ${(error as Error).message}`);
    }
  });
  return { checkpoints, malformed };
}

/** Whether the checkpoint was signed by the holder of `publicKeyPem`. */
export function checkpointSignatureValid(publicKeyPem: string, signed: SignedCheckpoint): boolean {
  try {
    return documentSignatureValid(publicKeyPem, CHECKPOINT_PURPOSE, checkpointBytes(signed.checkpoint), signed.signature);
  } catch {
    return false;
  }
}
