/**
 * Readiness, pure: per requirement of one framework, its sources (through the
 * SOC 2 criteria it maps to), every problem they show and its statuses. The
 * rule is the one of the checks and the framework tables, never a pass on
 * missing evidence: `ready` only with evidence of the period that a check,
 * request or review judged, and nothing open (records no one judged are not
 * assessed); a requirement with an exception and a gap lists both; one reached
 * only through criteria that serve part of it is `partial`, never ready.
 */
import { getFramework, requirementsOf, type FrameworkId } from '@evidentia/catalog';
import type { CheckOutcome } from '../checks/runner.js';
import type { Ledger, Period } from '../coverage/types.js';
import { resolveRequirement, viaText, type CriterionLink } from '../frameworks/resolve.js';
import type { FrameworkScope } from '../frameworks/scope.js';
import type { RequestLedger } from '../requests/types.js';
import { checkEvidence, type CriterionEvidence, evidenceByCriterion, judgedStreamEvidence, requestEvidence, reviewEvidence, streamEvidence } from './criterion-evidence.js';
import { type EvidencePath, READINESS_STATUSES, type Readiness, type ReadinessProblem, type ReadinessStatus, type ReadinessTodo, type RequirementReadiness, type ReviewEvidence } from './types.js';

export interface ReadinessInput {
  framework: FrameworkId;
  /** The SOC 2 criteria in scope (the configured categories): only they carry evidence across. */
  scope: Pick<FrameworkScope, 'criteria'>;
  period: Period;
  now: Date;
  /** The coverage ledger of the period (its streams and their gaps). */
  ledger: Pick<Ledger, 'streams'>;
  /** The check outcomes of the period. */
  checks: readonly CheckOutcome[];
  /** The request ledger of the period; null when no request is configured. */
  requests: Pick<RequestLedger, 'requests'> | null;
  /** User access reviews, once they exist: the extension point (see ReviewEvidence). */
  reviews?: readonly ReviewEvidence[];
  /** Items of the period per SOC 2 criterion and record kind: records a connector linked to a criterion no configured source serves are named, not counted. */
  records?: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export const NO_EVIDENCE_PATH = 'no connector, check or request maps here';
const TODO_LIMIT = 10;

const rank = (status: ReadinessStatus) => READINESS_STATUSES.indexOf(status);
const byUrgency = (a: ReadinessProblem, b: ReadinessProblem) => rank(a.status) - rank(b.status);

function sourcesOf(input: ReadinessInput): Map<string, CriterionEvidence> {
  const byId = new Map(input.ledger.streams.map((stream) => [stream.stream, stream]));
  return evidenceByCriterion([
    ...input.ledger.streams.map((stream) => ({ criteria: stream.controls, evidence: streamEvidence(stream) })),
    ...input.checks.map((check) => ({ criteria: check.criteria, evidence: checkEvidence(check) })),
    // A check's pass rests on the streams it judged: their gaps are its criteria's too, whatever criteria the streams' controls name.
    ...input.checks.flatMap((check) => (check.streams ?? []).map((id) => ({ criteria: check.criteria, evidence: judgedStreamEvidence(id, byId.get(id)) }))),
    ...(input.requests?.requests ?? []).map((line) => ({ criteria: line.criteria, evidence: requestEvidence(line) })),
    ...(input.reviews ?? []).map((review) => ({ criteria: review.criteria, evidence: reviewEvidence(review) })),
  ]);
}

/** The requirement's sources through its criteria in scope, each source once (a check serving two of them is one source). */
function merged(links: CriterionLink[], byCriterion: Map<string, CriterionEvidence>): CriterionEvidence {
  const evidence = new Map<string, CriterionEvidence['evidence'][number]>();
  const problems = new Map<string, ReadinessProblem>();
  for (const link of links) {
    const entry = byCriterion.get(link.criterion);
    for (const path of entry?.evidence ?? []) evidence.set(`${path.kind}\n${path.id}`, path);
    for (const problem of entry?.problems ?? []) problems.set(problem.text, problem);
  }
  return { evidence: [...evidence.values()], problems: [...problems.values()].sort(byUrgency) };
}

const only = (status: ReadinessStatus, text: string): Pick<RequirementReadiness, 'status' | 'statuses' | 'evidence' | 'missing'> => ({
  status,
  statuses: [status],
  evidence: [],
  missing: [{ status, source: null, text }],
});

/**
 * Records can carry a criterion no configured stream names (a CloudTrail event linked to CC6.6 by its
 * connector): they are evidence nobody watches for gaps, so they make no evidence path, but the line says they exist.
 */
function unwatched(links: CriterionLink[], records: ReadinessInput['records']): string {
  const kinds = new Map<string, number>();
  for (const link of links) for (const [kind, items] of records?.get(link.criterion) ?? []) kinds.set(kind, (kinds.get(kind) ?? 0) + items);
  if (kinds.size === 0) return NO_EVIDENCE_PATH;
  const held = [...kinds].sort(([a], [b]) => a.localeCompare(b)).map(([kind, items]) => `${items} ${kind}`).join(', ');
  return `${NO_EVIDENCE_PATH}: ${held} record(s) of the period carry it, but no configured stream names it, so its gaps cannot show (name it in a stream's controls, or add a request)`;
}

/** A source that judged something of the period: a check that decided items, a request with a document, a review; collecting records judges nothing. */
const judges = (path: EvidencePath): boolean => path.evidenced && path.kind !== 'stream';

/**
 * Streams that collected evidence of the period while no check, request or review judged any of it: the
 * evidence exists, but nothing says it shows the criterion met (the report and OSCAL call it "no check
 * judges them"), so it is never ready. A judging source's own problem (a check that could not run or
 * judged nothing) already says why.
 */
function unjudgedProblem(evidence: readonly EvidencePath[], problems: readonly ReadinessProblem[]): ReadinessProblem | null {
  const collected = evidence.filter((path) => path.evidenced && path.kind === 'stream').map((path) => path.id);
  if (collected.length === 0 || evidence.some(judges) || problems.some((problem) => problem.source !== null && problem.source.kind !== 'stream')) return null;
  return { status: 'not-assessed', source: null, text: `${collected.join(', ')} collected evidence of the period, but no check, request or review judged it` };
}

function judge(input: ReadinessInput, via: CriterionLink[], byCriterion: Map<string, CriterionEvidence>): Pick<RequirementReadiness, 'status' | 'statuses' | 'evidence' | 'missing'> {
  const { framework, scope } = input;
  if (via.length === 0) return only('no-evidence-path', 'no SOC 2 mapping: nothing evidentia collects reaches it; judge it separately');
  const links = via.filter((link) => scope.criteria.has(link.criterion));
  if (links.length === 0) return only('no-evidence-path', `maps only to ${via.map((link) => link.criterion).join(', ')}, outside the SOC 2 categories in scope`);
  const { evidence, problems } = merged(links, byCriterion);
  if (evidence.length === 0) return only('no-evidence-path', unwatched(links, input.records));
  const missing = [...problems];
  if (!evidence.some((path) => path.evidenced) && problems.length === 0) {
    missing.push({ status: 'not-assessed', source: null, text: `no evidence in the period from its ${evidence.length} source(s)` });
  }
  const unjudged = unjudgedProblem(evidence, problems);
  if (unjudged) missing.push(unjudged);
  // Partial support is a fact about the mapping: shown even beside other problems, so fixing them never reads as ready.
  const covering = links.filter((link) => link.support === 'covering' && byCriterion.get(link.criterion)?.evidence.some(judges));
  const partial = links.filter((link) => link.support === 'partial');
  if (framework !== 'soc2' && covering.length === 0 && partial.length > 0 && evidence.some((path) => path.evidenced)) {
    missing.push({ status: 'partial', source: null, text: `SOC 2 evidence serves only part of it (through ${partial.map(viaText).join(', ')}): judge the rest` });
  }
  const statuses = [...new Set(missing.map((problem) => problem.status))].sort((a, b) => rank(a) - rank(b));
  if (statuses.length === 0) return { status: 'ready', statuses: ['ready'], evidence, missing: [] };
  return { status: statuses[0]!, statuses, evidence, missing };
}

function todoOf(requirements: RequirementReadiness[]): ReadinessTodo[] {
  const todo = new Map<string, ReadinessTodo>();
  for (const requirement of requirements) {
    for (const problem of requirement.missing) {
      const entry = todo.get(problem.text) ?? { status: problem.status, text: problem.text, requirements: [] };
      entry.requirements.push(requirement.requirement);
      todo.set(problem.text, entry);
    }
  }
  const ranked = [...todo.values()].sort((a, b) => rank(a.status) - rank(b.status) || b.requirements.length - a.requirements.length || a.text.localeCompare(b.text));
  // Round robin over the statuses, so ten exceptions never push the overdue requests or the missing evidence paths out of sight.
  const queues = READINESS_STATUSES.map((status) => ranked.filter((item) => item.status === status));
  const picked: ReadinessTodo[] = [];
  for (let round = 0; picked.length < TODO_LIMIT && queues.some((queue) => queue.length > round); round++) {
    for (const queue of queues) if (queue[round] && picked.length < TODO_LIMIT) picked.push(queue[round]!);
  }
  return picked.sort((a, b) => ranked.indexOf(a) - ranked.indexOf(b));
}

function countBy(requirements: RequirementReadiness[], has: (requirement: RequirementReadiness, status: ReadinessStatus) => boolean): Record<ReadinessStatus, number> {
  return Object.fromEntries(READINESS_STATUSES.map((status) => [status, requirements.filter((requirement) => has(requirement, status)).length])) as Record<ReadinessStatus, number>;
}

export function computeReadiness(input: ReadinessInput): Readiness {
  const catalog = getFramework(input.framework);
  const byCriterion = sourcesOf(input);
  const listed = requirementsOf(input.framework).filter((requirement) => input.framework !== 'soc2' || input.scope.criteria.has(requirement.id));
  const requirements = listed.map((requirement): RequirementReadiness => {
    const via = resolveRequirement(requirement.id)?.criteria ?? [];
    return { requirement: requirement.id, label: requirement.label, ...judge(input, via, byCriterion), via };
  });
  return {
    format: 'evidentia.readiness/1',
    framework: input.framework,
    name: `${catalog.name} ${catalog.version}`,
    period: { since: input.period.since.toISOString(), until: input.period.until.toISOString() },
    now: input.now.toISOString(),
    summary: {
      requirements: requirements.length,
      byStatus: countBy(requirements, (requirement, status) => requirement.status === status),
      withStatus: countBy(requirements, (requirement, status) => requirement.statuses.includes(status)),
      todo: todoOf(requirements),
    },
    requirements,
  };
}
