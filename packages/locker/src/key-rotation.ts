/**
 * Key rotation. A locker keeps its first public key (keys/signing.pub) and,
 * for each rotation, a record in keys/rotations/ naming the old key, the new
 * key and the manifest sequence from which the new key signs; the record is
 * signed by the old key (it hands over) and by the new key (it accepts), so
 * neither can be forged by whoever holds only the other, or only the files.
 * Verification starts at a trusted key and follows the records: a manifest
 * must be signed by the key in effect at its sequence.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '@evidentia/evidence';
import { LockerError } from './errors.js';
import { parsePublicKey, publicKeyPath, type KeyAlgorithm, type PublicKeyInfo, type Signer } from './keys.js';
import { documentSignedBy, signDocument } from './sign-document.js';

export const ROTATION_FORMAT = 'evidentia.key-rotation/1';
const ROTATIONS_DIR = 'rotations';

interface KeyRef {
  keyId: string;
  algorithm: KeyAlgorithm;
  publicKey: string;
}

export interface RotationRecord {
  format: typeof ROTATION_FORMAT;
  /** 1 for the first rotation of the locker, and so on. */
  sequence: number;
  /** The first manifest sequence the new key signs. */
  effectiveFrom: number;
  rotatedAt: string;
  from: KeyRef;
  to: KeyRef;
}

/** A key and the first manifest sequence it signs. */
export interface KeyEpoch {
  key: PublicKeyInfo;
  from: number;
  /** When the rotation that put the key in effect was recorded (its rotatedAt); absent for the first key. Signed entries, not sequenced with manifests, are placed by time. */
  rotatedAt?: string;
}

/** The keys a locker's manifests may be signed with, in order, reached from a trusted key; problems name the records that broke the chain. */
export interface KeyChain {
  root: PublicKeyInfo;
  epochs: KeyEpoch[];
  problems: string[];
}

const refOf = (key: PublicKeyInfo): KeyRef => ({ keyId: key.keyId, algorithm: key.algorithm, publicKey: key.pem });
const fileName = (sequence: number) => `${String(sequence).padStart(6, '0')}.json`;

/** A rotation record as stored: `keys/rotations/000001.json` and its text (a bundle carries the same files). */
export interface RotationFile {
  path: string;
  text: string;
}

export function readRotationFiles(keysDir: string): RotationFile[] {
  const dir = join(keysDir, ROTATIONS_DIR);
  const names = existsSync(dir) ? readdirSync(dir).filter((name) => /^\d{6}\.json$/.test(name)).sort() : [];
  return names.map((name) => ({ path: `keys/${ROTATIONS_DIR}/${name}`, text: readFileSync(join(dir, name), 'utf8') }));
}

/** Why a stored rotation cannot extend the chain at `current`, or the epoch it begins. */
function checkRotation(text: string, position: number, current: KeyEpoch): KeyEpoch | string {
  let parsed: { record: RotationRecord; signatures: { from: string; to: string } };
  let next: PublicKeyInfo;
  try {
    parsed = JSON.parse(text) as typeof parsed;
    next = parsePublicKey(parsed.record.to.publicKey);
  } catch (error) {
    return `is not a key rotation record (${(error as Error).message})`;
  }
  const { record, signatures } = parsed;
  if (record.format !== ROTATION_FORMAT || record.sequence !== position) return `is not rotation ${position} of this locker`;
  if (record.from.keyId !== current.key.keyId) return `hands over from key ${record.from.keyId}, but key ${current.key.keyId} was in effect`;
  if (record.to.keyId !== next.keyId) return `names key ${record.to.keyId} for a public key whose id is ${next.keyId}`;
  if (!Number.isInteger(record.effectiveFrom) || record.effectiveFrom < current.from) return `takes effect at manifest ${record.effectiveFrom}, before key ${current.key.keyId} did`;
  if (typeof record.rotatedAt !== 'string' || Number.isNaN(Date.parse(record.rotatedAt))) return `has no valid rotation time (${JSON.stringify(record.rotatedAt)})`;
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  if (!documentSignedBy(current.key, ROTATION_FORMAT, bytes, signatures?.from ?? '')) return `is not signed by the key it hands over from (${current.key.keyId})`;
  if (!documentSignedBy(next, ROTATION_FORMAT, bytes, signatures?.to ?? '')) return `is not signed by the key it hands over to (${next.keyId})`;
  return { key: next, from: record.effectiveFrom, rotatedAt: record.rotatedAt };
}

/** Follow the rotation records (in order) from `root`; the first record that does not verify ends the chain (later keys are not trusted). */
export function followRotations(root: PublicKeyInfo, files: RotationFile[]): KeyChain {
  const chain: KeyChain = { root, epochs: [{ key: root, from: 1 }], problems: [] };
  for (const [index, file] of files.entries()) {
    const current = chain.epochs.at(-1)!;
    const next = checkRotation(file.text, index + 1, current);
    if (typeof next === 'string') {
      chain.problems.push(`key rotation ${file.path} ${next}: keys it introduces are not trusted`);
      break;
    }
    chain.epochs.push(next);
  }
  return chain;
}

/** The key the locker in `lockerDir` signs with now: its first key followed through its rotations. */
export function currentLockerKey(lockerDir: string): PublicKeyInfo {
  const keysDir = join(lockerDir, 'keys');
  return followRotations(parsePublicKey(readFileSync(publicKeyPath(keysDir), 'utf8')), readRotationFiles(keysDir)).epochs.at(-1)!.key;
}

/**
 * Refuse to write with `signer` when it is no longer the key in effect: a
 * rotation taken after the caller chose the key (before it held the writer
 * lock, which rotations take too) retired it, and whatever it signed now
 * would fail verification for good. Call under the writer lock.
 */
export function assertSignerInEffect(lockerDir: string, signer: Signer): void {
  const current = currentLockerKey(lockerDir);
  if (current.keyId !== signer.publicKey.keyId) {
    throw new LockerError(`the locker's signing key was rotated from ${signer.publicKey.keyId} to ${current.keyId} before this write took the writer lock: nothing was stored, try again`);
  }
}

/** The key that signs manifest `sequence`. */
export function keyInEffect(chain: KeyChain, sequence: number): KeyEpoch {
  return chain.epochs.findLast((epoch) => epoch.from <= sequence) ?? chain.epochs[0]!;
}

/**
 * Why manifest sealed at `sealedAt` with the key of `epoch` (the key in effect
 * at its sequence) cannot be trusted, or null: that key was handed over
 * before it. A rotation takes effect at the manifest after the head, so every
 * manifest its old key sealed honestly was sealed before the hand-over; one
 * sealed after it is a rolled-back head that whoever kept the retired key
 * sealed again. An unreadable time cannot place it before the hand-over.
 */
export function sealedAfterRetirement(chain: KeyChain, epoch: KeyEpoch, sealedAt: string): string | null {
  const handover = chain.epochs[chain.epochs.indexOf(epoch) + 1];
  if (!handover || Date.parse(sealedAt) <= Date.parse(handover.rotatedAt!)) return null;
  return `sealed at ${sealedAt} with key ${epoch.key.keyId}, which was retired at ${handover.rotatedAt!} (handed over to key ${handover.key.keyId} from manifest ${handover.from}); a retired key seals nothing new`;
}

/**
 * Record the hand-over from `from` (the key in effect) to `to`, taking effect
 * at manifest `effectiveFrom`. The caller holds the writer lock, so no run
 * seals a manifest meanwhile.
 */
export async function writeRotation(keysDir: string, chain: KeyChain, from: Signer, to: Signer, effectiveFrom: number, at: Date): Promise<RotationRecord> {
  const current = chain.epochs.at(-1)!;
  if (chain.problems.length > 0) throw new LockerError(`cannot rotate: ${chain.problems[0]}`);
  if (from.publicKey.keyId !== current.key.keyId) throw new LockerError(`cannot rotate from key ${from.publicKey.keyId}: key ${current.key.keyId} is in effect`);
  if (to.publicKey.keyId === current.key.keyId) throw new LockerError(`key ${current.key.keyId} is already the locker's signing key: there is nothing to rotate to`);
  const record: RotationRecord = {
    format: ROTATION_FORMAT,
    sequence: chain.epochs.length,
    effectiveFrom,
    rotatedAt: at.toISOString(),
    from: refOf(from.publicKey),
    to: refOf(to.publicKey),
  };
  const bytes = Buffer.from(canonicalJson(record), 'utf8');
  const signatures = { from: await signDocument(from, ROTATION_FORMAT, bytes), to: await signDocument(to, ROTATION_FORMAT, bytes) };
  const dir = join(keysDir, ROTATIONS_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName(record.sequence));
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ record, signatures }, null, 2)}\n`, { mode: 0o644 });
  renameSync(`${path}.tmp`, path);
  return record;
}
