/**
 * The locker's Ed25519 signing key. Manifests are signed so that an auditor
 * holding only the public key can tell a genuine chain from a rewritten one;
 * the private key stays in keys/ with mode 0600 and is read only to seal a run.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { sha256Hex } from '@evidentia/evidence';
import { LockerError } from './errors.js';

const PRIVATE_KEY_FILE = 'signing.key';
const PUBLIC_KEY_FILE = 'signing.pub';

export interface PublicKeyInfo {
  pem: string;
  key: KeyObject;
  /** SHA-256 (hex) of the raw 32-byte Ed25519 public key. */
  keyId: string;
}

export interface Signer {
  privateKey: KeyObject;
  keyId: string;
}

function keyIdOf(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new LockerError('signing key is not an Ed25519 key');
  return sha256Hex(Buffer.from(x, 'base64url'));
}

export function parsePublicKey(pem: string): PublicKeyInfo {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new LockerError(`not a PEM public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new LockerError('the locker public key is not an Ed25519 key');
  return { pem, key, keyId: keyIdOf(key) };
}

export function publicKeyPath(keysDir: string): string {
  return join(keysDir, PUBLIC_KEY_FILE);
}

/** Create the key pair unless one exists; an existing key is never replaced (it signed the chain). */
export function ensureSigningKey(keysDir: string): { publicKey: PublicKeyInfo; created: boolean } {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  if (existsSync(privatePath)) {
    const pem = createPublicKey(createPrivateKey(readFileSync(privatePath))).export({ type: 'spki', format: 'pem' }).toString();
    if (!existsSync(publicKeyPath(keysDir))) writeFileSync(publicKeyPath(keysDir), pem, { mode: 0o644 });
    return { publicKey: parsePublicKey(pem), created: false };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  chmodSync(privatePath, 0o600);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(publicKeyPath(keysDir), pem, { mode: 0o644 });
  return { publicKey: parsePublicKey(pem), created: true };
}

/** The private key, checked against the public key verifiers will use. */
export function loadSigner(keysDir: string, expectedKeyId: string): Signer {
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  if (!existsSync(privatePath)) throw new LockerError(`no signing key at ${privatePath}: this locker copy can be verified but not written`);
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const keyId = keyIdOf(createPublicKey(privateKey));
  if (keyId !== expectedKeyId) {
    throw new LockerError(`${privatePath} (key ${keyId}) does not match ${publicKeyPath(keysDir)} (key ${expectedKeyId})`);
  }
  return { privateKey, keyId };
}

export function signBytes(bytes: Buffer, signer: Signer): string {
  return sign(null, bytes, signer.privateKey).toString('base64');
}

export function signatureValid(bytes: Buffer, signature: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, bytes, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
