/**
 * Which key may sign an entry people add (documents, acceptances, access
 * reviews, the portal log, catalog text imports). Entries are not sequenced
 * with manifests, so the entry's own signed time places it: the key that
 * signed it must not have been handed over before that time, and along a
 * chain the signing key never goes back to an older one. Otherwise whoever
 * kept a retired key could still add entries. The locker's verify and the
 * bundle verifier apply the same rule; free of dependencies for the
 * standalone verifier.
 */
import type { KeyChain } from './key-rotation.js';
import type { PublicKeyInfo } from './keys.js';

/** The signing keys of one chain's entries, checked in the chain's order. */
export class EntrySigners {
  /** The newest epoch an entry so far was signed in, and that entry. */
  private newest: { epoch: number; label: string } | null = null;

  constructor(private readonly keys: KeyChain) {}

  /**
   * The problem with the signature of entry `label` (over `subject`, added at
   * `at`; `signedBy` tells whether a key made it), or null when the key in
   * effect at that time signed it.
   */
  check(label: string, subject: string, at: string, signedBy: (key: PublicKeyInfo) => boolean): string | null {
    const { epochs } = this.keys;
    const signing = epochs.flatMap((epoch, index) => (signedBy(epoch.key) ? [index] : []));
    if (signing.length === 0) return `${label}: the signature over ${subject} does not verify with key ${epochs.map(({ key }) => key.keyId).join(' or ')}`;
    const time = Date.parse(at);
    const inEffect = epochs.findLastIndex((epoch, index) => index === 0 || Date.parse(epoch.rotatedAt!) <= time);
    // A key may come back in a later rotation: its epoch is the one the entry's time falls in, else the first after.
    const epoch = signing.findLast((index) => index <= inEffect) ?? signing[0]!;
    const { keyId } = epochs[epoch]!.key;
    const handover = epochs[epoch + 1];
    const newest = this.newest;
    if (!newest || epoch > newest.epoch) this.newest = { epoch, label };
    // An unreadable time cannot place the entry before the hand-over.
    if (handover && !(time < Date.parse(handover.rotatedAt!))) {
      return `${label}: signed at ${at} with key ${keyId}, which was retired at ${handover.rotatedAt!} (handed over to key ${handover.key.keyId}); a retired key signs nothing new`;
    }
    if (newest && epoch < newest.epoch) {
      return `${label}: signed with key ${keyId}, older than key ${epochs[newest.epoch]!.key.keyId} that signed ${newest.label} before it; the signing key never goes back along a chain`;
    }
    return null;
  }
}
