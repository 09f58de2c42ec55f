export * from './types.js';
export { LockerBusyError, LockerError, LockerObjectError, LockerWriteError, NoPrivateKeyError } from './errors.js';
export { acquirePidLock, livePidLock, releasePidLock, type PidLockHolder } from './pid-lock.js';
export { initLocker, openLocker, type InitResult, type KeyOptions, type OpenOptions } from './locker.js';
export { parsePublicKey, signatureValid, type KeyAlgorithm, type KeyCustody, type PublicKeyInfo, type Signer } from './keys.js';
export { InLockerKey, KeyDirectory } from './file-keys.js';
export { followRotations, keyInEffect, ROTATION_FORMAT, sealedAfterRetirement, type KeyChain, type KeyEpoch, type RotationFile, type RotationRecord } from './key-rotation.js';
export { EntrySigners } from './entry-signers.js';
export { MerkleBuilder, merkleRoot } from './merkle.js';
export { ListCache, snapshotEntryHash, snapshotRows } from './snapshot-lists.js';
export { MANIFEST_FORMAT, parseManifest } from './manifest.js';
export { documentSignatureValid, documentSignedBy, publicKeyId, signDocument } from './sign-document.js';
export {
  CHECKPOINT_PURPOSE,
  checkpointBytes,
  checkpointLine,
  lockerIdOf,
  parseCheckpoint,
  parseCheckpointLog,
  signCheckpoint,
  type Checkpoint,
  type EntryHead,
  type SignedCheckpoint,
} from './checkpoint.js';
export { checkpointKeys, compareCheckpoints, type ChainLinks, type CheckpointProblemCode } from './checkpoint-compare.js';
export { detectDocumentType, MEDIA_TYPES, type DocumentType } from './document-type.js';
export { DocumentObject } from './documents.js';
export { AcceptanceObject } from './acceptances.js';
export { PORTAL_LOG_FORMAT } from './portal-log.js';
export { PORTAL_LOG_ACTIONS, type PortalLogAction, type PortalLogEntry, type PortalLogInput } from './portal-log-types.js';
export { ACCEPTANCE_FORMAT, ACCESS_REVIEW_FORMAT, DOCUMENT_FORMAT, ENTRY_TABLES, WITNESSED_CHAINS, type ChainLink, type EntryChain, type WitnessedChain } from './entry-formats.js';
export type { AccessReviewEntry, AccessReviewEntryKind, AccessReviewGuard, AccessReviewInput } from './access-review-types.js';
export { CHANGE_MARK_QUERIES } from './change-mark.js';
