/**
 * What the judging half tells people: new coverage gaps and check
 * exceptions. Audit calls an AuditNotifier; the collector's Notifier (Slack
 * or silent) implements it and adds the run notices.
 */
import type { DeclaredGap } from '@evidentia/evidence';

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

export interface AuditNotifier {
  /** New gaps found by a run (declared) or by coverage. */
  gapsFound(gaps: GapNotice[]): Promise<void>;
  /** New check exceptions. */
  exceptionsFound(exceptions: ExceptionNotice[]): Promise<void>;
}
