/**
 * What the collector tells people, and through which channel. Collection,
 * the daemon, coverage and checks call a Notifier; the Slack implementation
 * (slack.ts) posts one concise message per event. A failure to notify is
 * logged and never fails the work that triggered it; gap notices reject
 * instead, and their callers log it, so an undelivered gap is not recorded
 * as announced.
 */
import type { AuditNotifier, ExceptionNotice, GapNotice } from '@evidentia/audit';
import type { Manifest } from '@evidentia/locker';

export type { ExceptionNotice, GapNotice };

/** A collection run that left no manifest: the locker refused it, the key could not sign, the commit failed. */
export interface UnrecordedRunNotice {
  trigger: string;
  /** What it was to collect, as `<instance>/<stream>`. */
  streams: string[];
  error: string;
}

/** A sealed run's checkpoint that one or more witnesses did not take (the run itself is committed). */
export interface UnwitnessedCheckpointNotice {
  runId: string;
  /** The sealed run's manifest sequence, which the checkpoint names. */
  sequence: number;
  /** One line per witness that missed it, naming the witness and why. */
  warnings: string[];
}

/** The audit notices (gaps, exceptions) and the collector's own: run results. */
export interface Notifier extends AuditNotifier {
  /** After a run that was partial or failed (complete runs are not announced). */
  runFinished(manifest: Manifest): Promise<void>;
  /** After a run that could not be recorded at all (no manifest to announce). */
  runNotRecorded(notice: UnrecordedRunNotice): Promise<void>;
  /** After a sealed run whose checkpoint a witness did not take (the daemon: when witnesses start missing, not each run). */
  checkpointNotWitnessed(notice: UnwitnessedCheckpointNotice): Promise<void>;
}

/** The notifier used when no channel is configured. */
export const silentNotifier: Notifier = {
  async runFinished() {},
  async runNotRecorded() {},
  async checkpointNotWitnessed() {},
  async gapsFound() {},
  async exceptionsFound() {},
};
