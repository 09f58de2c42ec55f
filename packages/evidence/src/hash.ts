/**
 * Canonical JSON (RFC 8785) and SHA-256: the one way evidentia turns a value
 * into bytes and a content address. Everything stored in the locker is named
 * by the hash these functions produce, so they must never change behaviour.
 */
import { createHash } from 'node:crypto';
import canonicalizeJson from 'canonicalize';

/** RFC 8785 canonical JSON text of a JSON value. Throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalizeJson(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/** Lower-case hex SHA-256 of bytes or of a UTF-8 string. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical bytes of a value and their SHA-256, computed together so callers store exactly what they hashed. */
export function hashCanonical(value: unknown): { hash: string; bytes: Buffer } {
  const bytes = Buffer.from(canonicalJson(value), 'utf8');
  return { hash: sha256Hex(bytes), bytes };
}

/** A 64-character lower-case hex SHA-256. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;
