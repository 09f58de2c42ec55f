/**
 * Signatures over documents that are not manifests, such as an audit
 * bundle's index, so an auditor holding only the public key can tell that
 * the derived files of a bundle (populations, check results, the report)
 * left the locker as they are. The signed message is a purpose label, a
 * newline and the document: manifests are signed over bare canonical JSON
 * (it starts with `{`), so a document signature can never pass for one.
 */
import { createPublicKey } from 'node:crypto';
import { LockerError } from './errors.js';
import { loadSigner, parsePublicKey, signatureValid, signBytes } from './keys.js';

const PURPOSE = /^[a-z][a-z0-9.-]*\/\d+$/;

function message(purpose: string, bytes: Buffer): Buffer {
  if (!PURPOSE.test(purpose)) throw new LockerError(`document purpose ${JSON.stringify(purpose)} must look like "evidentia.bundle-index/1"`);
  return Buffer.concat([Buffer.from(`${purpose}\n`, 'utf8'), bytes]);
}

/** Sign `bytes` for `purpose` with the locker's private key (base64 Ed25519 signature). */
export function signDocumentWithKey(keysDir: string, keyId: string, purpose: string, bytes: Buffer): string {
  return signBytes(message(purpose, bytes), loadSigner(keysDir, keyId));
}

/** Whether `signature` is the signature of `bytes` for `purpose` by the holder of `publicKeyPem`. */
export function documentSignatureValid(publicKeyPem: string, purpose: string, bytes: Buffer, signature: string): boolean {
  return signatureValid(message(purpose, bytes), signature, createPublicKey(publicKeyPem));
}

/** SHA-256 (hex) of the raw Ed25519 public key: the key id manifests name. */
export function publicKeyId(publicKeyPem: string): string {
  return parsePublicKey(publicKeyPem).keyId;
}
