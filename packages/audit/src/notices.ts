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

/** An item named in an exception notice, with the acceptance that names it, if any. */
export interface ExceptionExample {
  item: string;
  /** accepted: an acceptance holds for the period (still an exception); lapsed or revoked: it did not hold, so the item is open again. Absent: none names it. */
  acceptance?: { id: number; status: 'accepted' | 'lapsed' | 'revoked'; until: string };
}

/** A failing check result, for a short summary (not one message per item). */
export interface ExceptionNotice {
  check: string;
  title: string;
  /** Every exception, accepted ones included: an accepted exception is never a pass. */
  exceptions: number;
  /** Of them, those an acceptance in effect covers (absent: none). */
  accepted?: number;
  /** A few items to name in the message, open ones first. */
  examples: ExceptionExample[];
}

export interface AuditNotifier {
  /**
   * New gaps found by a run (declared) or by coverage. Rejects when the
   * notice was not delivered, so that it is not recorded as announced; the
   * caller logs that and goes on.
   */
  gapsFound(gaps: GapNotice[]): Promise<void>;
  /** New check exceptions. */
  exceptionsFound(exceptions: ExceptionNotice[]): Promise<void>;
}
