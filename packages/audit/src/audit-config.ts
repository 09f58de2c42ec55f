/**
 * The part of a loaded configuration the judging half reads: the file name
 * (for messages), the audit zone, the configured streams (what each collects,
 * on which schedule, how stale it may get), check settings, people aliases,
 * the frameworks in scope and the evidence requests. The collector's LoadedConfig satisfies it, so
 * audit never imports the CLI, the SDK or a connector to read a config.
 */
import type { Category, FrameworkId } from '@evidentia/catalog';
import type { KindName, StreamType } from '@evidentia/evidence';
import type { AccessReviewSettings } from './access-reviews/settings.js';
import type { EvidenceRequest } from './requests/types.js';

/** One configured stream as audit sees it. */
export interface AuditStream {
  name: string;
  definition: { type: StreamType; kind: KindName; retentionDays?: number; recollectsChanges?: boolean };
  /** Criteria after config overrides. */
  controls: string[];
  /** Cron expression the daemon collects it on. */
  schedule: string;
  /** State streams: hours without a successful snapshot before coverage shows a gap. */
  maxStalenessHours: number;
}

/** One configured connector instance as audit sees it. */
export interface AuditInstance {
  /** The entry's name in the config, e.g. `github`. */
  id: string;
  definition: { id: string };
  streams: AuditStream[];
}

export interface AuditConfig {
  file: string;
  instances: AuditInstance[];
  /** The audit time zone (IANA name); read it through auditTimezone(). Absent means UTC. */
  timezone?: string;
  /** Settings per check id, validated by each check. */
  checks: Record<string, unknown>;
  people: { aliases: Record<string, string[]> };
  /** Frameworks in scope; absent means soc2 only. */
  frameworks?: FrameworkId[];
  /** SOC 2 categories in scope; absent means security only. */
  soc2?: { categories: Category[] };
  /** Evidence requests in effect (starter set and the organization's own); absent means none. */
  requests?: EvidenceRequest[];
  /** Systems under user access review, frequency and revoke SLA (the access-review-performed check's settings); absent means none. */
  accessReviews?: AccessReviewSettings;
}
