/**
 * `rotateKey`: hand the locker's signing over to a new key. Taken under the
 * writer lock, so no run seals a manifest between reading the head and
 * writing the record: the new key signs from the next manifest on.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeRotation, type KeyChain } from './key-rotation.js';
import type { Signer } from './keys.js';
import { openDatabase } from './schema.js';
import { acquireWriterLock, releaseWriterLock } from './writer-lock.js';
import type { KeyRotation } from './types.js';

export interface RotationContext {
  dir: string;
  dbPath: string;
  /** The key chain as it is once the lock is held. */
  chain: () => KeyChain;
  now: () => Date;
}

export async function rotateLockerKey(ctx: RotationContext, from: Signer, to: Signer): Promise<KeyRotation> {
  const lockId = `key-rotation-${randomBytes(4).toString('hex')}`;
  acquireWriterLock(ctx.dir, lockId);
  try {
    const db = openDatabase(ctx.dbPath, { readonly: true });
    let head: number;
    try {
      head = (db.prepare('SELECT COALESCE(MAX(sequence), 0) FROM manifests').pluck().get() as number) ?? 0;
    } finally {
      db.close();
    }
    const record = await writeRotation(join(ctx.dir, 'keys'), ctx.chain(), from, to, head + 1, ctx.now());
    return { sequence: record.sequence, from: record.from.keyId, to: record.to.keyId, effectiveFrom: record.effectiveFrom, location: to.location };
  } finally {
    releaseWriterLock(ctx.dir, lockId);
  }
}
