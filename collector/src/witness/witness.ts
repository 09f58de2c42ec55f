/**
 * A witness: somewhere outside the locker that keeps each sealed run's signed
 * checkpoint, out of reach of whoever can write the locker. `verify` reads
 * the readable ones back and fails when the locker is behind or forked from
 * what they hold.
 */
import type { SignedCheckpoint } from '@evidentia/locker';

export interface WitnessLog {
  checkpoints: SignedCheckpoint[];
  /** Entries that are not checkpoints, each named (line number, object key). */
  malformed: string[];
}

export interface Witness {
  /** How messages name it, e.g. `file /srv/witness/acme.log` or `s3 s3://bucket/prefix`. */
  readonly name: string;
  /** Add the checkpoint; throws with a one-line reason when it could not. */
  publish(signed: SignedCheckpoint): Promise<void>;
  /** Every checkpoint it holds; absent for write-only witnesses (Slack). Throws when it cannot be read. */
  read?(): Promise<WitnessLog>;
}
