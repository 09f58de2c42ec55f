/**
 * What the collector tells people, and through which channel. Collection,
 * the daemon, coverage and checks call a Notifier; the Slack implementation
 * (slack.ts) posts one concise message per event. A failure to notify is
 * logged and never fails the work that triggered it.
 */
import type { Manifest } from '@evidentia/locker';
import type { DeclaredGap } from '@evidentia/sdk';

/** A gap in the coverage of a stream, as coverage or a run declares it. */
export interface GapNotice {
  /** `<connector>/<stream>` */
  stream: string;
  gap: DeclaredGap;
}

/** A failing check result, for a short summary (not one message per item). */
export interface ExceptionNotice {
  check: string;
  title: string;
  exceptions: number;
  /** A few item keys to name in the message. */
  examples: string[];
}

export interface Notifier {
  /** After a run that was partial or failed (complete runs are not announced). */
  runFinished(manifest: Manifest): Promise<void>;
  /** New gaps found by a run (declared) or by coverage. */
  gapsFound(gaps: GapNotice[]): Promise<void>;
  /** New check exceptions. */
  exceptionsFound(exceptions: ExceptionNotice[]): Promise<void>;
}

/** The notifier used when no channel is configured. */
export const silentNotifier: Notifier = {
  async runFinished() {},
  async gapsFound() {},
  async exceptionsFound() {},
};
