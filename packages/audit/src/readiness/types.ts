/**
 * Readiness (gap analysis) vocabulary: per requirement of a framework, what
 * evidences it (streams, checks, evidence requests, reviews), every problem
 * that stands between it and an audit, and one status for sorting that never
 * hides the others (`statuses` lists them all).
 */
import type { FrameworkId } from '@evidentia/catalog';
import type { CriterionLink } from '../frameworks/resolve.js';

/**
 * Most urgent first; a requirement's `status` is the first of its `statuses`.
 * exceptions: a check found exceptions, or a request was fulfilled late;
 * overdue: a request occurrence is past its deadline without a document;
 * gaps: a serving stream has an open coverage gap or could not read an in-scope item;
 * not-assessed: a check could not judge (no evidence, items the evidence could not decide (not assessable), or it could not run), or the sources hold no evidence of the period;
 * no-evidence-path: no connector stream, check, request or review serves it;
 * open: a request occurrence is not yet due and has no document;
 * partial: evidence and nothing open, but only through SOC 2 criteria that serve part of it;
 * ready: evidence in the period and nothing open.
 */
export const READINESS_STATUSES = ['exceptions', 'overdue', 'gaps', 'not-assessed', 'no-evidence-path', 'open', 'partial', 'ready'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/** The statuses a problem can raise (the others follow from the whole requirement). */
export type ProblemStatus = Extract<ReadinessStatus, 'exceptions' | 'overdue' | 'gaps' | 'not-assessed' | 'open'>;

export type EvidenceKind = 'stream' | 'check' | 'request' | 'review';

/** One thing that serves a requirement and what it holds for the period. */
export interface EvidencePath {
  kind: EvidenceKind;
  id: string;
  /** Whether it holds evidence of the period (a successful collection, a judged item, a document, a completed review). */
  evidenced: boolean;
  /** One short line: `248 expected, 1 successful`, `3 pass, 3 exceptions`, `1 of 4 fulfilled`. */
  summary: string;
}

/** One thing that is missing, as one concrete line: `check C: 3 exceptions`, `request R overdue since D …`. */
export interface ReadinessProblem {
  status: ReadinessStatus;
  /** What it concerns; null for what concerns the requirement itself (no evidence path, partial support). */
  source: { kind: EvidenceKind; id: string } | null;
  text: string;
}

/**
 * The extension point for user access reviews (and any later evidence kind
 * judged outside the checks): the producer judges its own reviews for the
 * period and hands readiness this shape; readiness only places it under the
 * requirements of its criteria.
 */
export interface ReviewEvidence {
  /** e.g. `access-review github:acme-corp`. */
  id: string;
  /** SOC 2 criteria it evidences (CC6.2, CC6.3 for user access reviews). */
  criteria: string[];
  /** A review of the period was completed (decisions made). */
  evidenced: boolean;
  summary: string;
  problems: Array<{ status: ProblemStatus; text: string }>;
}

export interface RequirementReadiness {
  requirement: string;
  label: string;
  /** The most urgent of `statuses`. */
  status: ReadinessStatus;
  /** Every status that applies, most urgent first: a requirement with exceptions and a gap lists both. */
  statuses: ReadinessStatus[];
  /** The SOC 2 criteria it is reached through (for SOC 2 itself: the criterion, equal-to). */
  via: CriterionLink[];
  evidence: EvidencePath[];
  /** What is missing, one line each, most urgent first; empty only when ready. */
  missing: ReadinessProblem[];
}

export interface ReadinessTodo {
  status: ReadinessStatus;
  text: string;
  requirements: string[];
}

export interface Readiness {
  format: 'evidentia.readiness/1';
  framework: FrameworkId;
  name: string;
  period: { since: string; until: string };
  /** When it was judged; the part of the period after it is not judged yet. */
  now: string;
  summary: {
    requirements: number;
    /** By each requirement's most urgent status (they add up to `requirements`). */
    byStatus: Record<ReadinessStatus, number>;
    /** Requirements with each status among their statuses (a requirement may count under several). */
    withStatus: Record<ReadinessStatus, number>;
    /** The most urgent things to do, each with the requirements it would unblock. */
    todo: ReadinessTodo[];
  };
  requirements: RequirementReadiness[];
}
