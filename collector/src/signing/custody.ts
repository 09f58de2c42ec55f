/** The key custody the configured `signing:` names: a key directory outside the locker, or an AWS KMS key. */
import { KeyDirectory, type KeyCustody } from '@evidentia/locker';
import type { SigningSettings } from '../config/signing.js';
import { KmsKey } from './kms-key.js';

export function keyCustodyOf(signing: SigningSettings): KeyCustody {
  return signing.type === 'kms' ? new KmsKey(signing) : new KeyDirectory(signing.dir);
}
