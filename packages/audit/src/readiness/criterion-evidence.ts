/**
 * What serves each SOC 2 criterion in a period and what each source lacks:
 * streams from the coverage ledger (open gaps, unreadable in-scope items),
 * checks from their outcomes (exceptions, items not assessed or not
 * assessable, a check that could not run; items exempt by configuration are
 * neither a problem nor a pass), evidence requests from the request ledger (late, overdue,
 * open occurrences) and reviews through their extension point. Every other
 * framework reaches these through the mappings.
 */
import { checkMet, type CheckOutcome, undecided } from '../checks/runner.js';
import { causeText, minute } from '../coverage/render.js';
import { unreadItem } from '../coverage/ledger.js';
import type { StreamCoverage } from '../coverage/types.js';
import { addDays } from '../requests/windows.js';
import type { RequestLedger, RequestLine } from '../requests/types.js';
import type { EvidencePath, ReadinessProblem, ReviewEvidence } from './types.js';

export interface CriterionEvidence {
  evidence: EvidencePath[];
  problems: ReadinessProblem[];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function streamEvidence(stream: StreamCoverage): CriterionEvidence {
  const id = stream.stream;
  const problems: ReadinessProblem[] = stream.gaps
    .filter((gap) => gap.status === 'open')
    .map((gap) => ({ status: 'gaps', source: { kind: 'stream', id }, text: `stream ${id} gap ${minute(gap.since)}..${minute(gap.until)} (${causeText(gap)})` }));
  for (const item of stream.itemGaps.filter(unreadItem)) {
    problems.push({ status: 'gaps', source: { kind: 'stream', id }, text: `stream ${id} could not read ${item.item} in ${plural(item.collections, 'collection')} (${item.reason})` });
  }
  return { evidence: [{ kind: 'stream', id, evidenced: stream.successful > 0, summary: `${stream.expected} expected, ${stream.successful} successful` }], problems };
}

/**
 * A stream a check judged, for the check's criteria: its coverage when it is configured; when the
 * configuration no longer names it (disabled or removed), its records still count in the check, but
 * nothing can say which part of the period they cover.
 */
export function judgedStreamEvidence(id: string, stream: StreamCoverage | undefined): CriterionEvidence {
  if (stream) return streamEvidence(stream);
  return {
    evidence: [{ kind: 'stream', id, evidenced: false, summary: 'not configured: coverage not judged' }],
    problems: [{ status: 'gaps', source: { kind: 'stream', id }, text: `stream ${id} is no longer configured (disabled or removed): a check judged its records, but its coverage of the period cannot be judged` }],
  };
}

export function checkEvidence(check: CheckOutcome): CriterionEvidence {
  const { id, counts } = check;
  const judged = counts.pass + counts.exception + undecided(check);
  const problems: ReadinessProblem[] = [];
  if (check.error !== null) problems.push({ status: 'not-assessed', source: { kind: 'check', id }, text: `check ${id} could not run: ${check.error}` });
  if (counts.exception > 0) problems.push({ status: 'exceptions', source: { kind: 'check', id }, text: `check ${id}: ${plural(counts.exception, 'exception')}` });
  if (counts['not-assessed'] > 0) {
    const first = check.findings.find((finding) => finding.status === 'not-assessed');
    problems.push({ status: 'not-assessed', source: { kind: 'check', id }, text: `check ${id}: ${plural(counts['not-assessed'], 'item')} not assessed${first ? ` (${first.item}: ${first.reason})` : ''}` });
  }
  // What the evidence could not decide (MFA "unknown") is not judged either: never ready on it, as the report and OSCAL never satisfy it.
  if (undecided(check) > 0) {
    const first = check.findings.find((finding) => finding.status === 'not-assessable' && finding.exempt === undefined);
    problems.push({ status: 'not-assessed', source: { kind: 'check', id }, text: `check ${id}: ${plural(undecided(check), 'item')} not assessable${first ? ` (${first.item}: ${first.reason})` : ''}` });
  }
  // Items exempt by configuration are no pass: a check that judged nothing else met nothing (the runner says not assessed; this holds for outcomes built without it).
  if (problems.length === 0 && !checkMet(check) && (check.exempt ?? 0) > 0) problems.push({ status: 'not-assessed', source: { kind: 'check', id }, text: `check ${id}: only ${plural(check.exempt ?? 0, 'item')} exempt by configuration, none passed` });
  const summary = check.error !== null ? 'could not run' : `${counts.pass} pass, ${plural(counts.exception, 'exception')}, ${undecided(check)} not assessable, ${counts['not-assessed']} not assessed${check.exempt ? `, ${check.exempt} exempt` : ''}`;
  return { evidence: [{ kind: 'check', id, evidenced: check.error === null && judged > 0, summary }], problems };
}

export function requestEvidence(line: RequestLine): CriterionEvidence {
  const { id, owner } = line;
  const problems: ReadinessProblem[] = [];
  if (line.unwatched) problems.push({ status: 'not-assessed', source: { kind: 'request', id }, text: `request ${id} not judged: ${line.unwatched}` });
  for (const occurrence of line.occurrences) {
    // A document listed by `evidence list` but not counted here is named, so "no document" is never read against it.
    const uncounted = occurrence.uncounted ? `; ${occurrence.uncounted}` : '';
    if (occurrence.status === 'overdue') problems.push({ status: 'overdue', source: { kind: 'request', id }, text: `request ${id} overdue since ${addDays(occurrence.deadline, 1)}: no document for ${occurrence.label} (owner: ${owner})${uncounted}` });
    if (occurrence.status === 'late') problems.push({ status: 'exceptions', source: { kind: 'request', id }, text: `request ${id} fulfilled late for ${occurrence.label}: ${occurrence.cause ?? 'after its deadline'}` });
    if (occurrence.status === 'open') problems.push({ status: 'open', source: { kind: 'request', id }, text: `request ${id} due ${occurrence.due}: no document for ${occurrence.label} yet (owner: ${owner})${uncounted}` });
  }
  const summary = line.expected === 0 ? 'nothing expected in the period' : `${line.fulfilled + line.late} of ${line.expected} fulfilled${line.late > 0 ? ` (${line.late} late)` : ''}`;
  return { evidence: [{ kind: 'request', id, evidenced: line.fulfilled + line.late > 0, summary }], problems };
}

/**
 * What the request ledger holds against a criterion, for the report and OSCAL: each occurrence overdue
 * and each fulfilled late, and a request that cannot be judged, named as readiness names them; one open
 * and not yet due is not against it.
 */
export function unmetRequests(ledger: Pick<RequestLedger, 'requests'> | null, criterion: string): string[] {
  const lines = (ledger?.requests ?? []).filter((line) => line.criteria.includes(criterion));
  return lines.flatMap((line) => requestEvidence(line).problems.filter((problem) => problem.status !== 'open').map((problem) => problem.text));
}

export function reviewEvidence(review: ReviewEvidence): CriterionEvidence {
  return {
    evidence: [{ kind: 'review', id: review.id, evidenced: review.evidenced, summary: review.summary }],
    problems: review.problems.map((problem) => ({ ...problem, source: { kind: 'review', id: review.id } })),
  };
}

/** Each criterion's sources, from everything that names it. */
export function evidenceByCriterion(sources: Array<{ criteria: readonly string[]; evidence: CriterionEvidence }>): Map<string, CriterionEvidence> {
  const byCriterion = new Map<string, CriterionEvidence>();
  for (const { criteria, evidence } of sources) {
    for (const criterion of new Set(criteria)) {
      const entry = byCriterion.get(criterion) ?? { evidence: [], problems: [] };
      entry.evidence.push(...evidence.evidence);
      entry.problems.push(...evidence.problems);
      byCriterion.set(criterion, entry);
    }
  }
  return byCriterion;
}
