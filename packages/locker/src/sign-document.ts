/**
 * Signatures over documents that are not manifests, such as an audit
 * bundle's index, a key rotation record or a witness checkpoint, so an
 * auditor holding only the public key can tell that they left the locker as
 * they are. The signed message is a purpose label, a newline and the
 * document: manifests are signed over bare canonical JSON (it starts with
 * `{`), so a document signature can never pass for one, nor for a document
 * of another purpose.
 */
import { LockerError } from './errors.js';
import { parsePublicKey, signatureValid, signBytes, type PublicKeyInfo, type Signer } from './keys.js';

const PURPOSE = /^[a-z][a-z0-9.-]*\/\d+$/;

function message(purpose: string, bytes: Buffer): Buffer {
  if (!PURPOSE.test(purpose)) throw new LockerError(`document purpose ${JSON.stringify(purpose)} must look like "evidentia.bundle-index/1"`);
  return Buffer.concat([Buffer.from(`${purpose}\n`, 'utf8'), bytes]);
}

/** Sign `bytes` for `purpose` (base64 signature: raw Ed25519, or DER ECDSA for a P-256 key). */
export function signDocument(signer: Signer, purpose: string, bytes: Buffer): Promise<string> {
  return signBytes(message(purpose, bytes), signer);
}

/** Whether `signature` is the signature of `bytes` for `purpose` by `publicKey`. */
export function documentSignedBy(publicKey: PublicKeyInfo, purpose: string, bytes: Buffer, signature: string): boolean {
  return signatureValid(message(purpose, bytes), signature, publicKey);
}

/** Whether `signature` is the signature of `bytes` for `purpose` by the holder of `publicKeyPem`. */
export function documentSignatureValid(publicKeyPem: string, purpose: string, bytes: Buffer, signature: string): boolean {
  return documentSignedBy(parsePublicKey(publicKeyPem), purpose, bytes, signature);
}

/** The key id manifests name: SHA-256 (hex) of the raw Ed25519 key, or of a P-256 key's DER form. */
export function publicKeyId(publicKeyPem: string): string {
  return parsePublicKey(publicKeyPem).keyId;
}
