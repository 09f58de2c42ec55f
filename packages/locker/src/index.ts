export * from './types.js';
export { LockerBusyError, LockerError } from './errors.js';
export { acquirePidLock, livePidLock, releasePidLock, type PidLockHolder } from './pid-lock.js';
export { initLocker, openLocker, type InitResult, type OpenOptions } from './locker.js';
export { MerkleBuilder, merkleRoot } from './merkle.js';
export { ListCache, snapshotEntryHash, snapshotRows } from './snapshot-lists.js';
export { MANIFEST_FORMAT, parseManifest } from './manifest.js';
export { documentSignatureValid, publicKeyId } from './sign-document.js';
