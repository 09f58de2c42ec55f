/**
 * Signing keys as the locker sees them. Manifests are signed so that an
 * auditor holding only a public key can tell a genuine chain from a
 * rewritten one. The locker itself holds public keys only (keys/signing.pub,
 * the root, and the rotation records); the private key sits with a Signer
 * that the caller hands in: a key file outside the locker, or a KMS key that
 * never leaves the KMS. Two algorithms: Ed25519 (evidentia's own keys) and
 * ECDSA P-256 with SHA-256 (what AWS KMS offers for signing).
 */
import { join } from 'node:path';
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sha256Hex } from '@evidentia/evidence';
import { LockerError } from './errors.js';

export const PUBLIC_KEY_FILE = 'signing.pub';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256-sha256';

export interface PublicKeyInfo {
  pem: string;
  key: KeyObject;
  algorithm: KeyAlgorithm;
  /** SHA-256 (hex) of the raw 32-byte Ed25519 public key, or of the DER SubjectPublicKeyInfo of a P-256 key. */
  keyId: string;
}

/** Holds one private key and signs with it; async because a KMS signature is a network call. */
export interface Signer {
  readonly publicKey: PublicKeyInfo;
  /** Where the private key lives (a path, a KMS key ARN), for messages; never the key itself. */
  readonly location: string;
  /** The signature over `message`: 64 raw bytes for Ed25519, DER for ECDSA. */
  sign(message: Buffer): Promise<Buffer>;
}

/** Where private keys are kept: finds the signer of a key the locker names, and makes new keys for init and rotation. */
export interface KeyCustody {
  /** The signer for `keyId`, or null when this custody does not hold that key. */
  signerFor(keyId: string): Promise<Signer | null>;
  /** A key to sign with from now on (a new key file; the configured KMS key). */
  newSigner(): Promise<Signer>;
  /** Where this custody keeps keys, for messages. */
  readonly location: string;
}

function keyIdOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'ed25519') {
    const { x } = key.export({ format: 'jwk' });
    return sha256Hex(Buffer.from(x as string, 'base64url'));
  }
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

function algorithmOf(key: KeyObject): KeyAlgorithm | null {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256';
  return null;
}

/** A public key in PEM or DER SubjectPublicKeyInfo form; anything but Ed25519 or P-256 is refused. */
export function parsePublicKey(source: string | Buffer): PublicKeyInfo {
  let key: KeyObject;
  try {
    key = typeof source === 'string' ? createPublicKey(source) : createPublicKey({ key: source, format: 'der', type: 'spki' });
  } catch (error) {
    throw new LockerError(`not a public key: ${(error as Error).message}`);
  }
  const algorithm = algorithmOf(key);
  if (!algorithm) throw new LockerError(`a ${key.asymmetricKeyType} key cannot sign evidentia manifests: use Ed25519 or ECDSA P-256`);
  return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), key, algorithm, keyId: keyIdOf(key) };
}

export function publicKeyPath(keysDir: string): string {
  return join(keysDir, PUBLIC_KEY_FILE);
}

/** Base64 signature over `bytes`. */
export async function signBytes(bytes: Buffer, signer: Signer): Promise<string> {
  return (await signer.sign(bytes)).toString('base64');
}

export function signatureValid(bytes: Buffer, signature: string, publicKey: PublicKeyInfo): boolean {
  try {
    return verify(publicKey.algorithm === 'ed25519' ? null : 'sha256', bytes, publicKey.key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
